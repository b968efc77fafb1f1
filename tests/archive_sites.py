"""Built archives for the archive tests: the example issue and the fixture publication
(three issues over two years and a draft), each built once per test module into tmp."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_gen.cli import main
from tests.conftest import REPO, copy_publication

FIXTURE = REPO / "tests" / "fixtures" / "archive"
# Content as people write it on GitHub: long URLs and code, wide tables and pictures.
REALWORLD = REPO / "tests" / "fixtures" / "realworld"
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build(source: Path, target: Path) -> Path:
    """Copy a publication into target, build it, return its site/ folder."""
    root = copy_publication(source, target)
    result = CliRunner().invoke(main, ["-C", str(root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "site"


def build_both(factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {"example": build(REPO, factory.mktemp("example")),
            "fixture": build(FIXTURE, factory.mktemp("fixture"))}


def build_all(factory: pytest.TempPathFactory) -> dict[str, Path]:
    """build_both's sites and the real-world fixture's."""
    return {**build_both(factory), "realworld": build(REALWORLD, factory.mktemp("realworld"))}


def web_pages(site: Path) -> list[Path]:
    """The archive's web pages: every index.html (not the emails)."""
    return sorted(site.rglob("index.html"))


def tool(path: Path) -> Path:
    """A test tool installed by `make install` (npm ci); missing is a failure, not a skip."""
    if not path.is_file():
        pytest.fail(f"{path.relative_to(REPO)} is missing: run `make install` (npm ci)")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
