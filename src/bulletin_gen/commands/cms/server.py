"""`bulletin cms`: the editor's page and decap-server, both on 127.0.0.1, started and
stopped together. Decap's saves pass through here, to be written as `bulletin add` writes."""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click

from bulletin_gen.commands.cms.admin import index_html
from bulletin_gen.commands.cms.config import (
    LOCAL_API,
    NEW_ISSUE,
    cms_config,
    config_yaml,
    local_backend,
)
from bulletin_gen.commands.cms.packages import Packages
from bulletin_gen.commands.cms.save import Planned, SaveRefused, plan_save
from bulletin_gen.commands.scaffold import new_issue
from bulletin_gen.config.settings import Config, load_config
from bulletin_gen.errors import BulletinError, ContentError, ContentErrors, MissingPartError
from bulletin_gen.sources.discover import discover
from bulletin_gen.sources.frontmatter import parse_source
from bulletin_gen.sources.load import load_bulletin

HOST = "127.0.0.1"
START_TIMEOUT = 20.0  # seconds for decap-server to listen
MAX_REQUEST = 60 * 1024 * 1024  # decap-server's own limit is 50 MB of JSON


class EditorSession:
    """One run of `bulletin cms`: the publication, decap-server's port, the files saved."""

    def __init__(self, config: Config, packages: Packages, backend_port: int) -> None:
        self.config = config
        self.packages = packages
        self.backend = f"http://{HOST}:{backend_port}{LOCAL_API}"
        self.created: dict[str, str] = {}  # Decap's path for a new item -> the file written
        self.lock = threading.Lock()

    def settings(self) -> dict[str, Any]:
        self.config = load_config(self.config.root)  # a kind added to site.yaml shows at once
        return cms_config(self.config, local_backend())

    def admin_page(self) -> str:
        return index_html(self.config.title, "decap-cms.js", "bulletin.css", self.settings())

    def config_file(self) -> str:
        self.settings()
        return config_yaml(self.config, local_backend())

    def stylesheet(self) -> Path | None:
        return next((folder / "css" / "bulletin.css" for folder in self.config.asset_dirs
                     if (folder / "css" / "bulletin.css").is_file()), None)

    def api(self, request: dict[str, Any]) -> tuple[int, bytes]:
        """Answer one call of Decap's proxy backend, mostly by passing it on."""
        params = request.get("params") or {}
        if request.get("action") == "persistEntry":
            return self.persist(request, params)
        if request.get("action") == "getEntry" and isinstance(params.get("path"), str):
            params["path"] = self.created.get(params["path"], params["path"])
        return self.forward(request)

    def persist(self, request: dict[str, Any], params: dict[str, Any]) -> tuple[int, bytes]:
        files = params.get("dataFiles") or [params.get("entry") or {}]
        if (params.get("options") or {}).get("collectionName") == NEW_ISSUE:
            with self.lock:
                return self.start_issue(str(files[0].get("raw", "")))
        with self.lock:
            try:
                planned = [(file["path"], plan_save(self.config, str(file.get("path", "")),
                                                    str(file.get("raw", "")), self.created))
                           for file in files]
            except SaveRefused as refused:
                return _error(str(refused))
            for file, (_, plan) in zip(files, planned, strict=True):
                file.update(path=plan.rel, raw=plan.text)
                file.pop("newPath", None)  # a file keeps its name (and number) when retitled
            status, answer = self.forward(request)
            if status != HTTPStatus.OK:
                return status, answer
            problems = self.problems([plan for _, plan in planned])
            if problems:
                for _, plan in planned:
                    _restore(self.config.root / plan.rel, plan.before)
                return _error("Not saved: " + "\n".join(problems))
            for path, plan in planned:
                if plan.before is None:
                    self.created[path] = plan.rel
                    click.echo(f"Created {plan.rel}")
                else:
                    click.echo(f"Saved {plan.rel}")
            return status, answer

    def start_issue(self, raw: str) -> tuple[int, bytes]:
        """`bulletin new ISSUE --from FROM`, from the new-issue form."""
        try:
            meta = parse_source(raw, "new issue").meta
            from_slug = meta.get("from")
            created = new_issue(self.config, str(meta.get("issue", "")),
                                str(from_slug) if from_slug else None, dt.date.today())
        except BulletinError as error:
            return _error(error.format_message())
        for path in created:
            click.echo(f"Created {path.relative_to(self.config.root).as_posix()}")
        return HTTPStatus.OK, json.dumps({"message": "entry persisted"}).encode("utf-8")

    def problems(self, planned: list[Planned]) -> list[str]:
        """What the build would refuse in the saved files, as `path:line: message`."""
        saved = {plan.rel for plan in planned}
        config = replace(self.config, drafts=True)
        slugs = tuple(sorted({rel.split("/")[1] for rel in saved}))
        try:
            for source in discover(config, slugs):
                load_bulletin(source, config)
        except ContentErrors as found:
            return [e.location_message() for e in found.errors if e.path in saved]
        except ContentError as error:
            return [error.location_message()] if error.path in saved else []
        return []

    def forward(self, request: dict[str, Any]) -> tuple[int, bytes]:
        data = json.dumps(request).encode("utf-8")
        call = urllib.request.Request(self.backend, data=data, method="POST",
                                      headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(call, timeout=60) as answer:  # noqa: S310 (loopback)
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError as error:
            return _error(f"decap-server did not answer: {error}")


def run_editor(config: Config, packages: Packages, port: int, open_browser: bool) -> None:
    """Start decap-server and the page; serve until Ctrl-C, then stop both."""
    backend_port = free_port()
    session = EditorSession(config, packages, backend_port)
    try:
        server = ThreadingHTTPServer((HOST, port), _handler(session))
    except OSError as error:
        raise BulletinError(f"cannot listen on {HOST}:{port} ({error.strerror}); "
                            "try another --port") from None
    server.daemon_threads = True
    env = {**os.environ, "PORT": str(backend_port), "BIND_HOST": HOST, "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(config.root), "LOG_LEVEL": "warn"}
    # cwd: decap-server reads a .env from there; the publication's own is none of its business.
    backend = subprocess.Popen([packages.node, str(packages.server_script)], env=env,
                               cwd=packages.server_script.parent, stdin=subprocess.DEVNULL)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        _wait_listening(backend, backend_port)
        url = f"http://{HOST}:{server.server_address[1]}/admin/"
        click.echo(f"Editing {config.root} at {url} (Ctrl-C stops it)")
        if open_browser:
            webbrowser.open(url)
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        backend.terminate()
        try:
            backend.wait(timeout=5)
        except subprocess.TimeoutExpired:
            backend.kill()
            backend.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _wait_listening(backend: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if backend.poll() is not None:
            raise MissingPartError(f"decap-server stopped as it started "
                                   f"(exit {backend.returncode})")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise MissingPartError(f"decap-server did not start listening within {START_TIMEOUT:.0f} s")


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops both servers as Ctrl-C does


def _restore(path: Path, before: str | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(before, encoding="utf-8")


def _error(message: str) -> tuple[int, bytes]:
    return HTTPStatus.UNPROCESSABLE_ENTITY, json.dumps({"error": message}).encode("utf-8")


def _handler(session: EditorSession) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            if path in ("/", "/admin"):
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", "/admin/")
                self.end_headers()
            elif path in ("/admin/", "/admin/index.html", "/admin/config.yml"):
                try:  # site.yaml is read again: it may have gained a kind, or a mistake
                    page = session.config_file() if path.endswith(".yml") else \
                        session.admin_page()
                except BulletinError as error:
                    click.echo(error.format_message(), err=True)
                    self._send(error.format_message().encode("utf-8"),
                               "text/plain; charset=utf-8", HTTPStatus.INTERNAL_SERVER_ERROR)
                    return
                kind = "text/yaml" if path.endswith(".yml") else "text/html"
                self._send(page.encode("utf-8"), f"{kind}; charset=utf-8")
            elif path == "/admin/bulletin.css" and (css := session.stylesheet()) is not None:
                self._send(css.read_bytes(), "text/css; charset=utf-8")
            elif path.startswith("/admin/") and "/" not in (name := path[len("/admin/"):]) \
                    and not name.startswith(".") and (session.packages.admin_dist / name).is_file():
                kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
                self._send((session.packages.admin_dist / name).read_bytes(), kind)
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            if self.path != LOCAL_API or not 0 < length <= MAX_REQUEST:
                self.send_error(HTTPStatus.BAD_REQUEST)
                return
            try:
                request = json.loads(self.rfile.read(length))
            except ValueError:
                self.send_error(HTTPStatus.BAD_REQUEST)
                return
            status, answer = session.api(request if isinstance(request, dict) else {})
            self._send(answer, "application/json; charset=utf-8", status)

        def _send(self, body: bytes, content_type: str, status: int = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # the terminal shows what was saved, not every request

    return Handler
