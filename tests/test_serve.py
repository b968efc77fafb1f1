"""`bulletin serve` in a subprocess: pages, live rebuilds, the error page, path safety, Ctrl-C."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bulletin_gen.commands.serve import safe_target
from tests.conftest import beside_site

ITEM = "bulletins/2022-06/90-help-to-grow.md"
DEADLINE = 20.0  # generous: the machine is shared; the measured time is printed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, str]:
    """GET a raw path (sent exactly as given, no client-side normalising)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_for(check: Callable[[], bool], what: str) -> float:
    """Poll until check() holds; return how long it took."""
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        try:
            if check():
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"not within {DEADLINE} s: {what}")


@pytest.fixture
def server(example: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin_gen", "-C", str(example), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        wait_for(lambda: fetch(port, "/")[0] == 200, "the server answers")
        yield port, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_rebuilds_shows_errors_recovers_and_stops(example: Path, server) -> None:
    port, process = server
    status, page = fetch(port, "/2022-06/")
    assert status == 200
    assert "Help to Grow is still running" in page
    since = int(re.search(r"since=(\d+)", page).group(1))  # the reload script, served only
    assert "EventSource" not in (example / "site/2022-06/index.html").read_text()

    item = example / ITEM
    original = item.read_text()
    item.write_text(original + "\nA sentence added while serving.\n")
    took = wait_for(lambda: "A sentence added while serving." in fetch(port, "/2022-06/")[1],
                    "the edited item in the page")
    print(f"edit to rebuilt page: {took:.2f} s")
    assert fetch(port, f"/__bulletin/events?since={since}") == (200, "data: reload\n\n")

    item.write_text(original.replace("kind: news", "kind: news\nimgae: x.png"))
    wait_for(lambda: fetch(port, "/2022-06/")[0] == 500, "the error page")
    status, page = fetch(port, "/2022-06/")
    assert "Build error" in page
    assert f"{ITEM}:3: unknown key &#x27;imgae&#x27;" in page
    assert process.poll() is None  # still serving

    item.write_text(original)
    wait_for(lambda: fetch(port, "/2022-06/")[0] == 200, "the page back after the fix")
    assert "Help to Grow is still running" in fetch(port, "/2022-06/")[1]

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=DEADLINE)
    assert process.returncode == 0
    assert "unknown key 'imgae'" in output  # the terminal showed the error too
    assert output.rstrip().endswith("Stopped.")
    assert "Traceback" not in output
    assert beside_site(example) == ["site", "site.spare", "site.yaml"]  # for the next build


@pytest.mark.parametrize("path", [
    "/../site.yaml", "/%2e%2e/site.yaml", "/%2e%2e%2fsite.yaml", "/%2E%2E%2Fsite.yaml",
    "/%252e%252e%252fsite.yaml", "/..%5csite.yaml", "/..\\site.yaml", "/assets/../../site.yaml",
    "/%2e%2e%5c%2e%2e%5csite.yaml"])
def test_serve_never_leaves_site(server, path: str) -> None:
    port, _ = server
    status, body = fetch(port, path)
    assert status == 403
    assert "title:" not in body  # site.yaml's text never comes back


@pytest.mark.parametrize("path", [
    "/__bulletin/events?since=abc", "/__bulletin/events?since=1e9", "/" + "a" * 5000,
    "http://[/", "/%00"])
def test_serve_answers_a_malformed_request_with_400(server, path: str) -> None:
    port, process = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                           .encode())
        status = int(connection.makefile("rb").readline().split()[1])
    assert status in (400, 403) if path == "/%00" else status == 400
    assert fetch(port, "/")[0] == 200  # and keeps serving
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=20)
    assert "Traceback" not in output and "Error" not in output, output


def listening_addresses(port: int) -> list[str]:
    """The local addresses of the sockets listening on port, from the kernel's tables."""
    found = []
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append(address)
    return found


def test_serve_listens_on_loopback_only(server) -> None:
    port, _ = server
    # 0100007F is 127.0.0.1 as the kernel writes it; 0.0.0.0 or :: would reach the network.
    assert listening_addresses(port) == ["0100007F"]


def test_serve_shows_drafts_marked_but_never_in_the_archive(example: Path, server) -> None:
    port, _ = server
    (example / "bulletins/2022-06/95-draft.md").write_text(
        "---\nkind: news\ntitle: A draft item\ndraft: true\n---\nNot yet.\n")
    wait_for(lambda: "A draft item" in fetch(port, "/2022-06/")[1], "the draft item")
    page = fetch(port, "/2022-06/")[1]
    assert re.search(r">DRAFT</p>\s*<article[^>]*id=\"news-draft\"", page), page
    assert "A draft item" not in fetch(port, "/feed.xml")[1]


def test_safe_target(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "2022-06").mkdir(parents=True)
    assert safe_target(site, "/2022-06/index.html?x=1") == (site / "2022-06/index.html").resolve()
    assert safe_target(site, "/%25252e%25252e/site.yaml") is None
    assert safe_target(site, "/a%00b") is None
