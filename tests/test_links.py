"""A crawl of the built site: every local link and src (relative, or absolute under base_url)
resolves to a file, and every #fragment to an element of the page it points at."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from tests.archive_sites import build_both

BASES = {"example": "https://bulletin.example.org/",
         "fixture": "https://news.example.net/makers/bulletin/"}
LINKING = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src"}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_both(tmp_path_factory)


def links(page: Path) -> list[str]:
    root = lxml.html.fromstring(page.read_bytes())
    found = []
    for tag, attribute in LINKING.items():
        found.extend(node.get(attribute) for node in root.iter(tag) if node.get(attribute))
    return found


def anchors(page: Path) -> set[str]:
    root = lxml.html.fromstring(page.read_bytes())
    return {node.get("id") or node.get("name") for node in root.xpath("//*[@id or @name]")}


def local_target(site: Path, page: Path, url: str, base: str) -> tuple[Path, str] | None:
    """The file and fragment a link points at inside site/, or None for an outside link."""
    if url.startswith(base):
        path = url[len(base):]
    else:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("*|", "{{", "[", "%")):
            return None  # another site, mailto:, or an email service's placeholder
        if not parts.path:  # "#fragment": this very page
            return page, parts.fragment
        page_dir = page.parent.relative_to(site).as_posix()
        path = posixpath.normpath(posixpath.join(page_dir, parts.path))
        path = "" if path == "." else path + ("/" if parts.path.endswith("/") else "")
        path += f"#{parts.fragment}" if parts.fragment else ""
    parts = urlsplit(path)
    target = unquote(parts.path)
    if target in ("", ".") or target.endswith("/"):
        target += "index.html"
    assert not target.startswith("../"), f"{page}: {url} leads out of site/"
    return site / target.lstrip("./"), parts.fragment


@pytest.mark.parametrize("name", ["example", "fixture"])
def test_every_local_link_and_src_resolves(sites: dict, name: str) -> None:
    site = sites[name]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 4
    broken, checked = [], 0
    for page in pages:
        for url in links(page):
            target = local_target(site, page, url, BASES[name])
            if target is None:
                continue
            checked += 1
            file, fragment = target
            if not file.is_file():
                broken.append(f"{page.relative_to(site)}: {url} (no {file.relative_to(site)})")
            elif fragment and file.suffix == ".html" and fragment not in anchors(file):
                broken.append(f"{page.relative_to(site)}: {url} (no #{fragment})")
    assert not broken, "\n".join(broken)
    assert checked > 20


def test_the_crawl_notices_a_broken_link(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text('<a href="../missing/">x</a><a href="#here">y</a>')
    page = site / "a/index.html"
    file, _ = local_target(site, page, "../missing/", "https://x.example/")
    assert not file.is_file()
    assert "here" not in anchors(page)
    assert local_target(site, page, "https://elsewhere.example/", "https://x.example/") is None
    assert local_target(site, page, "#here", "https://x.example/") == (page, "here")
    assert local_target(site, page, "../", "https://x.example/") == (site / "index.html", "")
    assert local_target(site, page, "https://x.example/a/#here", "https://x.example/") == (
        site / "a/index.html", "here")
