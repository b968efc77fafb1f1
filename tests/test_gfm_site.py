"""The GFM fixture (tests/fixtures/gfm: items written as GitHub users write them), built:
what its web page and email show, read as a reader's browser and inbox read them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from playwright.sync_api import sync_playwright

from tests.archive_sites import CHROMIUM, CHROMIUM_ARGS, build
from tests.conftest import REPO, copy_publication
from tests.test_html_valid import vnu

FIXTURE = REPO / "tests" / "fixtures" / "gfm"
ISSUE = "2025-02"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(FIXTURE, tmp_path_factory.mktemp("gfm"))


def _page(site: Path, name: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / ISSUE / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["index.html", "email.html"])
def test_lists_nested_by_two_and_three_spaces_nest(site: Path, name: str) -> None:
    page = _page(site, name)
    compiler = page.xpath("//li[starts-with(normalize-space(text()), 'Compiler')]")[0]
    assert [li.text_content().split()[0] for li in compiler.xpath("./ul/li")] == ["stabilised",
                                                                                 "new"]
    cargo = page.xpath("//li[starts-with(normalize-space(text()), 'Cargo')]")[0]
    assert len(cargo.xpath("./ol/li")) == 2
    station = page.xpath("//li[starts-with(normalize-space(text()), 'Take the canal')]")[0]
    assert len(station.xpath("./ul/li")) == 2


@pytest.mark.parametrize("name", ["index.html", "email.html"])
def test_bare_addresses_strikethrough_tasks_and_headings(site: Path, name: str) -> None:
    page = _page(site, name)
    hrefs = {a.get("href") for a in page.iter("a")}
    assert "https://github.com/example/tool/issues/12345" in hrefs
    assert "http://www.example.com/tool" in hrefs
    assert "mailto:editors@tooling.example.com" in hrefs
    assert page.xpath("//del/code")[0].text == "Iterator::intersperse"
    text = page.text_content()
    assert "\u2611 read the compatibility notes" in text
    assert "\u2610 check your CI pins a toolchain" in text
    assert "[ ]" not in text and "~~" not in text
    assert [h.text for h in page.iter("h4")] == ["Upgrading", "Getting there"]
    assert page.xpath("//kbd")[0].text == "Ctrl" and page.xpath("//sub")[0].text == "2"
    clone = page.xpath("//li[starts-with(normalize-space(.), 'Clone the guide')]/pre/code")
    assert clone[0].text.startswith("git clone https://github.com/example/open-tooling-guide")


def test_the_web_page_aligns_cells_by_style_and_the_email_by_align(site: Path) -> None:
    web = [cell.get("style") for cell in _page(site, "index.html").xpath("//table//tr[1]/th")]
    assert web == ["text-align: left;", "text-align: left;", "text-align: center;",
                   "text-align: right;"]
    email = [cell.get("align") for cell in _page(site, "email.html").xpath("//thead//th")]
    assert email == ["left", "left", "center", "right"]


def test_every_footnote_link_has_its_target_in_the_page_and_in_gmail(site: Path) -> None:
    web = (site / ISSUE / "index.html").read_text(encoding="utf-8")
    email = (site / ISSUE / "email.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="#(fn[^"]*)"', web))
    assert len(links) == 6  # three items, one note each: there and back
    assert links <= set(re.findall(r' id="([^"]+)"', web))
    assert set(re.findall(r'href="#(fn[^"]*)"', email)) == links
    assert links <= set(re.findall(r'<a name="([^"]+)"', email))  # Gmail follows only name=
    assert '<a name="fn' not in web  # obsolete in HTML: the page has ids


def test_the_web_page_is_valid_html(site: Path) -> None:
    errors = [f"{m.get('lastLine', '?')}: {m['message']}" for m in vnu(site / ISSUE / "index.html")
              if m["type"] == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors)


def test_a_footnote_reference_takes_the_reader_to_the_note_and_back(site: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 640})
        page.goto((site / ISSUE / "index.html").as_uri())
        page.click("sup a[href='#fn-event-meetups-times']")
        note = page.locator("#fn-event-meetups-times")
        assert "Timings may move" in note.inner_text()
        assert note.evaluate("e => e.getBoundingClientRect().top") < 640
        page.click("#fn-event-meetups-times a[href='#fnref-event-meetups-times']")
        back = page.locator("#fnref-event-meetups-times")
        top = back.evaluate("e => e.getBoundingClientRect().top")
        assert -2 < top < 640  # scrolled to it (to within a sub-pixel)
        browser.close()


def test_check_finds_nothing_sanitised_and_places_a_skipped_heading(
        tmp_path: Path, invoke) -> None:
    root = copy_publication(FIXTURE, tmp_path / "gfm")
    result = invoke(root, "check")
    assert "[sanitised]" not in result.output and "[heading-skip]" not in result.output
    release = root / "bulletins" / ISSUE / "10-release.md"
    release.write_text(release.read_text().replace("# Upgrading", "### Upgrading\n\n##### Why"))
    found = [line for line in invoke(root, "check").output.splitlines() if "[heading-skip]" in line]
    assert found == [f"bulletins/{ISSUE}/10-release.md:26: [heading-skip] warning: heading "
                     "'Why' jumps from h4 to h6 (fix: use the next heading level)"]
