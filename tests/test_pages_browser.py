"""The archive in a real browser (Debian's chromium, driven by Playwright): axe-core finds no
serious or critical violation, nothing scrolls sideways on a phone, every resource loads, and
search works from the built files alone, served from a sub-path or opened from disk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.archive_sites import (
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    build,
    build_all,
    serve,
    tool,
    web_pages,
)
from tests.conftest import REPO, copy_publication

PAGES = {
    "example": ["", "2022-06/", "events/"],
    "fixture": ["", "2023-11/", "2024-01/", "2024-03/", "events/"],
    "realworld": ["", "2025-03-05/", "2025-03-12/", "events/"],
}
ALL_PAGES = [(name, path) for name, paths in PAGES.items() for path in paths]
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory)


@pytest.fixture(scope="module")
def servers(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    # Each site is served from /site/, not /, as an archive under base_url's path would be.
    with serve(sites["example"].parent) as example, serve(sites["fixture"].parent) as fixture, \
            serve(sites["realworld"].parent) as realworld:
        yield {"example": example + "site/", "fixture": fixture + "site/",
               "realworld": realworld + "site/"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: .ci/run installs chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser: Browser, url: str, width: int = 1280,
              scheme: str = "light") -> tuple[Page, list[str]]:
    """Open url; return the page and the resources that failed to load."""
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    failures: list[str] = []
    page.on("requestfailed", lambda request: failures.append(f"{request.url} failed"))
    page.on("response", lambda response: failures.append(f"{response.url} {response.status}")
            if response.status >= 400 else None)
    page.goto(url, wait_until="load")
    # Bring lazy pictures into view so that they load too.
    page.evaluate("""async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 500) {
            window.scrollTo(0, y); await new Promise(r => setTimeout(r, 20));
        }
        window.scrollTo(0, 0);
    }""")
    page.wait_for_function("[...document.images].every(img => img.complete)")
    return page, failures


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(tool(AXE_JS)))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in SERIOUS]


def test_the_list_of_pages_is_every_web_page(sites: dict) -> None:
    for name, site in sites.items():
        found = [p.parent.relative_to(site).as_posix() + "/" for p in web_pages(site)]
        assert sorted(path.removeprefix("./") for path in found) == sorted(PAGES[name])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name, path", ALL_PAGES)
def test_axe_finds_no_serious_violation(browser: Browser, servers: dict, name: str, path: str,
                                        scheme: str) -> None:
    page, failures = open_page(browser, servers[name] + path, scheme=scheme)
    try:
        assert not failures, failures
        violations = axe_violations(page)
        assert not violations, "\n".join(violations)
    finally:
        page.close()


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("name, path", ALL_PAGES)
def test_no_sideways_scroll_on_a_phone(browser: Browser, servers: dict, name: str,
                                       path: str, width: int) -> None:
    page, _ = open_page(browser, servers[name] + path, width=width)
    try:
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} is {widths[0]}px wide in a {width}px window"
        broken = page.evaluate("""[...document.images]
            .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src)""")
        assert not broken, broken
    finally:
        page.close()


@pytest.mark.parametrize("width", [320, 375])
def test_wide_content_stays_in_its_own_box_on_a_phone(browser: Browser, servers: dict,
                                                      width: int) -> None:
    """A long URL, inline code and a code line wrap; a wide table scrolls inside itself;
    a wide picture shrinks: none of them widens the page."""
    page, _ = open_page(browser, servers["realworld"] + "2025-03-05/", width=width)
    try:
        found = page.evaluate("""() => {
            const box = el => ({width: el.getBoundingClientRect().width,
                                right: el.getBoundingClientRect().right,
                                scroll: el.scrollWidth, client: el.clientWidth});
            const code = [...document.querySelectorAll('main code')].find(
                c => c.textContent === 'windows_process_extensions_main_thread_handle');
            const url = [...document.querySelectorAll('main a')].find(
                a => a.textContent.length > 180);
            return {page: document.documentElement.scrollWidth, main: box(document.querySelector('main')),
                    pre: box(document.querySelector('main pre')), code: box(code), url: box(url),
                    tables: [...document.querySelectorAll('main table')].map(box),
                    picture: box(document.querySelector('main img[src$="pipeline.png"]'))};
        }""")
    finally:
        page.close()
    edge = found["main"]["right"]
    assert found["page"] <= width
    for name in ("pre", "code", "url", "picture"):
        assert found[name]["right"] <= edge + 0.5, (name, found[name])
    assert found["pre"]["scroll"] <= found["pre"]["client"]  # wrapped, not scrolled
    widest = max(found["tables"], key=lambda table: table["scroll"])
    assert widest["scroll"] > widest["client"] and widest["right"] <= edge + 0.5  # scrolls


def test_axe_does_report_a_serious_violation(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html><title>x</title><img src="x.png"><a href="/"></a></html>')
    with serve(tmp_path) as base:
        page, _ = open_page(browser, base + "bad.html")
        try:
            found = axe_violations(page)
        finally:
            page.close()
    assert any(v.startswith("image-alt") for v in found), found


def test_search_finds_an_item_and_takes_the_reader_there(browser: Browser,
                                                         servers: dict) -> None:
    page, failures = open_page(browser, servers["fixture"])
    try:
        box = page.get_by_label("Search the archive")
        box.fill("solder")
        results = page.locator("#search-results li")
        expect(results.first).to_be_visible()
        expect(page.locator("#search-status")).to_have_text(
            "2 results for \u201csolder\u201d")
        first = results.first.locator("a")
        expect(first).to_have_text("Soldering evening for beginners")
        assert page.url.endswith("/site/?q=solder")  # a search can be bookmarked
        violations = axe_violations(page)  # the results too are accessible
        assert not violations, "\n".join(violations)
        first.click()
        page.wait_for_url("**/site/2023-11/#event-soldering-evening")
        expect(page.locator("#event-soldering-evening h3")).to_be_in_viewport()
        assert not failures, failures
    finally:
        page.close()


def test_search_folds_accents_needs_every_word_and_says_when_nothing_matches(
        browser: Browser, servers: dict) -> None:
    page, _ = open_page(browser, servers["fixture"])
    try:
        box = page.get_by_label("Search the archive")
        box.fill("reparation")
        expect(page.locator("#search-results li a").first).to_have_text("Repair café weekend")
        box.fill("repair radio")  # only the March recap mentions the radio
        expect(page.locator("#search-results li")).to_have_count(1)
        expect(page.locator("#search-results li a")).to_have_attribute(
            "href", "2024-03/#event-repair-cafe-recap")
        box.fill("zeppelin")
        expect(page.locator("#search-status")).to_have_text(
            "No results for \u201czeppelin\u201d")
        expect(page.locator("#search-results")).to_be_hidden()
    finally:
        page.close()


def test_search_works_from_the_files_on_disk(browser: Browser, sites: dict) -> None:
    index = sites["example"] / "index.html"
    page = browser.new_page()
    try:
        page.goto(index.as_uri() + "?q=webinar")
        link = page.locator("#search-results li a").first
        expect(link).to_have_text("Webinar: air quality and health")
        assert link.get_attribute("href") == "2022-06/#event-air-quality-webinar"
    finally:
        page.close()


def test_a_square_logo_is_bounded_in_the_header(browser: Browser, tmp_path: Path) -> None:
    """The header draws any logo at most 200px wide and 60px tall, in its own proportions."""
    root = copy_publication(REPO, tmp_path / "square")
    Image.new("RGB", (400, 400), "#1d3c6e").save(root / "assets/images/logo.png")
    site = build(root, tmp_path / "built")
    page, failures = open_page(browser, (site / "index.html").as_uri())
    box = page.evaluate("() => { const r = document.querySelector('.site-logo img')"
                        ".getBoundingClientRect(); return [r.width, r.height]; }")
    page.close()
    assert box == [60, 60] and failures == []
