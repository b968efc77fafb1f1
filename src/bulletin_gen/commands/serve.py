"""`bulletin serve`: build, serve site/ on 127.0.0.1, rebuild on change, reload the browser.

The reload script is added to HTML pages as they are served, never to the files
written: site/ stays exactly what `bulletin build --drafts` makes.
"""

from __future__ import annotations

import html
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import click

from bulletin_gen.config.settings import SITE_FILE, Config
from bulletin_gen.errors import BulletinError

EVENTS_PATH = "/__bulletin/events"
HOST = "127.0.0.1"  # a preview holds drafts: never reachable from another machine
RELOAD_SCRIPT = ('<script>(function(){var s=new EventSource("%s?since=%d");'
                 's.onmessage=function(){s.close();location.reload();};})();</script>')


class Preview:
    """The last build's outcome, shared by the watcher and the request handlers."""

    def __init__(self, config: Config) -> None:
        from bulletin_gen.incremental.session import BuildSession

        self.config = config
        self.session = BuildSession(config)  # kept from build to build
        self.error: str | None = None
        self.generation = 0  # counts builds; a page reloads when it changes
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.ready = threading.Event()  # set once the watcher sees every change

    def rebuild(self, changes: list[str] | None = None) -> None:
        """Build again; changes: the paths the watcher saw change since the last build."""
        from bulletin_gen.build import build

        if changes:
            self.session.hashes.changed(changes)
        try:
            result = build(self.config, session=self.session)
        except BulletinError as problem:
            self.error = problem.format_message()
            click.echo(f"Build failed; the browser shows why:\n{self.error}", err=True)
        else:
            self.error = None
            click.echo(f"Built {result.issues} issue{'s' if result.issues != 1 else ''} "
                       f"in {result.seconds:.2f} s")
            if self.generation == 0:  # ready the rebuilds to come (imports, templates, issues)
                self.session.warm_up()
                if self.ready.is_set():  # from now on it is told of every change
                    self.session.hashes.watched(self.watched())
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def wait_for_change(self, since: int, timeout: float) -> bool:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != since or self.stopping.is_set(),
                                  timeout)
            return self.generation != since

    def watched(self) -> list[Path]:
        root = self.config.root
        paths = [root / "bulletins", root / "templates", root / "assets", root / SITE_FILE]
        return [path for path in paths if path.exists()]

    def watch(self) -> None:
        """Rebuild after every burst of changes to the sources, until stopping.

        The first empty yield (after rust_timeout) shows the watches are in place:
        `ready` is set then, and the first build waits for it, so no edit is missed.
        A save is built 20 ms after its last change (step): an editor's save, a temporary
        file renamed over the old one, is over within a few milliseconds.
        """
        import watchfiles

        for changes in watchfiles.watch(*self.watched(), stop_event=self.stopping, step=20,
                                        debounce=400, raise_interrupt=False,
                                        yield_on_timeout=True, rust_timeout=100):
            self.ready.set()
            if changes:
                self.rebuild([path for _, path in changes])


def safe_target(site: Path, raw_path: str) -> Path | None:
    """The file under site/ a request path names, or None if it reaches outside.

    Decoded until stable, so `%2e%2e%2f` and double encoding cannot hide a `..`;
    backslashes and NUL are refused outright.
    """
    path = urlsplit(raw_path).path
    for _ in range(5):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    else:
        return None
    if "\\" in path or "\x00" in path or ".." in path.split("/"):
        return None
    target = (site / path.lstrip("/")).resolve()
    return target if target.is_relative_to(site.resolve()) else None


class Handler(SimpleHTTPRequestHandler):
    preview: Preview  # set on the subclass made for one server

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.respond(with_body=False)

    def respond(self, with_body: bool) -> None:
        # A request this cannot read (a `since` that is no number, a path no file system
        # takes) is the client's mistake: 400, never a dropped connection and a traceback.
        try:
            if urlsplit(self.path).path == EVENTS_PATH:
                self.stream_events(_since(self.path))
                return
            self.send_file(with_body)
        except (ValueError, OSError) as problem:
            if isinstance(problem, (BrokenPipeError, ConnectionResetError)):
                return  # the browser went away
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed request")

    def send_file(self, with_body: bool) -> None:
        site = self.preview.config.out_dir
        target = safe_target(site, self.path)
        if target is None:
            self.send_error(HTTPStatus.FORBIDDEN, "Outside the site")
            return
        if target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", urlsplit(self.path).path + "/")
                self.end_headers()
                return
            target = target / "index.html"
        generation, error = self.preview.generation, self.preview.error
        if error is not None and (target.suffix == ".html" or not target.is_file()):
            self.send_page(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(error, generation),
                           "text/html; charset=utf-8", with_body)
        elif not target.is_file():
            self.send_error(HTTPStatus.NOT_FOUND, "No such page in site/")
        elif target.suffix == ".html":
            page = target.read_bytes().decode("utf-8", "replace")
            self.send_page(HTTPStatus.OK, with_reload(page, generation).encode("utf-8"),
                           "text/html; charset=utf-8", with_body)
        else:
            self.send_page(HTTPStatus.OK, target.read_bytes(), self.guess_type(str(target)),
                           with_body)

    def send_page(self, status: int, body: bytes, content_type: str, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def stream_events(self, since: int) -> None:
        """Server-sent events: one "reload" message when the build after `since` is done."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            while not self.preview.stopping.is_set():
                if self.preview.wait_for_change(since, timeout=10):
                    self.wfile.write(b"data: reload\n\n")
                    self.wfile.flush()
                    return
                self.wfile.write(b": still here\n\n")  # finds a closed tab on the next write
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the terminal shows builds, not every request


def _since(request_path: str) -> int:
    """The build generation an events request asks about; ValueError if it is no number."""
    query = parse_qs(urlsplit(request_path).query)
    return int(query.get("since", ["-1"])[0] or -1)


def with_reload(page: str, generation: int) -> str:
    script = RELOAD_SCRIPT % (EVENTS_PATH, generation)
    index = page.lower().rfind("</body>")
    return page + script if index < 0 else page[:index] + script + page[index:]


def error_page(error: str, generation: int) -> bytes:
    page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Build error</title></head><body style=\"font-family:sans-serif;margin:2em\">"
            "<h1 style=\"color:#b00020\">Build error</h1><p>Fix the file below and save: "
            "this page reloads by itself.</p><pre style=\"white-space:pre-wrap\">"
            f"{html.escape(error)}</pre></body></html>")
    return with_reload(page, generation).encode("utf-8")


def serve(config: Config, port: int, open_browser: bool = False) -> None:
    """Build, then serve and rebuild until Ctrl-C."""
    preview = Preview(config)
    handler = type("BoundHandler", (Handler,), {"preview": preview})
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise BulletinError(f"cannot listen on {HOST}:{port} ({error.strerror}); "
                            "try another --port") from None
    server.daemon_threads = True
    watcher = threading.Thread(target=preview.watch, name="watch", daemon=True)
    watcher.start()
    preview.ready.wait(timeout=10)
    preview.rebuild()
    url = f"http://{HOST}:{server.server_address[1]}/"
    click.echo(f"Serving {url} (drafts shown, marked DRAFT); Ctrl-C stops.")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stopping.set()
        with preview.changed:
            preview.changed.notify_all()
        server.server_close()
        watcher.join(timeout=2)
        click.echo("Stopped.")
