"""The public archive as a reader finds it: index, issue pages, events page, sitemap, search
index; built from the fixture publication (three issues over two years and a draft)."""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bulletin_gen.render.archive import search_terms
from tests.archive_sites import FIXTURE, build, build_both, web_pages
from tests.test_cli import tree_digest

BASE = "https://news.example.net/makers/bulletin/"
ISSUES = ["2024-03", "2024-01", "2023-11"]  # newest first; 2024-04 is a draft


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_both(tmp_path_factory)


@pytest.fixture(scope="module")
def site(sites: dict[str, Path]) -> Path:
    return sites["fixture"]


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / path).read_bytes())


def texts(root: lxml.html.HtmlElement, selector: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in root.cssselect(selector)]


def test_index_lists_every_published_issue_newest_first_grouped_by_year(site: Path) -> None:
    index = page(site, "index.html")
    assert texts(index, "section.year > h2") == ["2024", "2023"]
    links = [a.get("href") for a in index.cssselect(".issue-card h3 a")]
    assert links == [f"{slug}/" for slug in ISSUES]
    years = [[a.get("href") for a in section.cssselect("h3 a")]
             for section in index.cssselect("section.year")]
    assert years == [["2024-03/", "2024-01/"], ["2023-11/"]]
    assert "Secret draft event" not in (site / "search-index.js").read_text()
    assert not (site / "2024-04").exists()


def test_index_shows_title_date_summary_and_first_picture(site: Path) -> None:
    index = page(site, "index.html")
    cards = {card.cssselect("h3 a")[0].get("href"): card for card in index.cssselect(".issue-card")}
    january = cards["2024-01/"]
    assert texts(january, "h3") == ["Riverside Makers news: January 2024"]
    assert january.cssselect("time")[0].get("datetime") == "2024-01-20"
    assert texts(january, "time") == ["20 January 2024"]
    assert texts(january, ".summary") == [
        "The repair café returns in February, and a member's new bike workshop"]
    # No banner: the first picture of the issue's items stands for it.
    assert january.cssselect("img")[0].get("src") == "2024-01/images/repair-cafe.png"
    assert cards["2023-11/"].cssselect("img")[0].get("src") == "2023-11/images/banner.png"
    assert cards["2024-03/"].cssselect("img") == []  # an issue without pictures has none


def test_index_links_the_feed_and_names_the_organisation(site: Path) -> None:
    index = page(site, "index.html")
    assert "feed.xml" in [a.get("href") for a in index.cssselect("main a")]
    assert index.cssselect('link[rel="alternate"][type="application/atom+xml"]')[0].get(
        "href") == "feed.xml"
    footer = texts(index, "body > footer")[0]
    assert "Riverside Makers Association" in footer
    assert "12 Quai des Ateliers, 69002 Lyon, France" in footer


def test_issue_page_is_semantic_html5(site: Path) -> None:
    issue = page(site, "2024-01/index.html")
    for tag in ("body > header", "main", "main article", "nav", "body > footer"):
        assert issue.cssselect(tag), tag
    assert len(issue.cssselect("h1")) == 1
    levels = [int(h.tag[1]) for h in issue.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert issue.cssselect('link[rel="stylesheet"]')[0].get("href") == "../assets/css/bulletin.css"


def test_issue_page_has_description_open_graph_and_canonical(site: Path) -> None:
    issue = page(site, "2023-11/index.html")

    def meta(attribute: str, name: str) -> str:
        return issue.cssselect(f'meta[{attribute}="{name}"]')[0].get("content")

    description = "A soldering evening in December, and how the tool library did in its first year"
    assert meta("name", "description") == description
    assert meta("property", "og:title") == "Riverside Makers news: November 2023"
    assert meta("property", "og:description") == description
    assert meta("property", "og:image") == BASE + "2023-11/images/banner.png"
    assert issue.cssselect('link[rel="canonical"]')[0].get("href") == BASE + "2023-11/"
    # An issue without a preheader is described by the start of its introduction.
    march = page(site, "2024-03/index.html")
    assert march.cssselect('meta[name="description"]')[0].get("content")


@pytest.mark.parametrize("slug, older, newer", [
    ("2023-11", None, "2024-01"), ("2024-01", "2023-11", "2024-03"), ("2024-03", "2024-01", None)])
def test_issue_page_links_previous_next_and_the_archive(site: Path, slug: str,
                                                         older: str | None,
                                                         newer: str | None) -> None:
    issue = page(site, f"{slug}/index.html")
    pager = issue.cssselect("nav.pager")[0]
    prev = [a.get("href") for a in pager.cssselect('a[rel="prev"]')]
    next_ = [a.get("href") for a in pager.cssselect('a[rel="next"]')]
    assert prev == ([f"../{older}/"] if older else [])
    assert next_ == ([f"../{newer}/"] if newer else [])
    assert "../" in [a.get("href") for a in pager.cssselect("a")]
    assert "../" in [a.get("href") for a in issue.cssselect("nav.crumbs a")]


def test_issue_page_contents_link_every_item_in_order(site: Path) -> None:
    issue = page(site, "2023-11/index.html")
    contents = issue.cssselect("nav.contents")[0]
    assert texts(contents, "h2") == ["In this issue"]
    targets = [a.get("href") for a in contents.cssselect("li li a")]
    items = ["#" + article.get("id") for article in issue.cssselect("article.item")]
    # site.yaml names no kinds: the default order is news, events, members.
    assert targets == items == ["#news-tool-library", "#event-soldering-evening",
                                "#event-open-day-recap"]


def test_web_pages_carry_no_email_service_placeholders_or_unsubscribe(sites: dict) -> None:
    for site in sites.values():
        for path in web_pages(site):
            html = path.read_text()
            for needle in ("*|", "|*", "{{", "[[", "unsubscribe", "view this email"):
                assert needle not in html.lower(), (path, needle)


def test_links_between_pages_are_relative(sites: dict) -> None:
    # The site is served from base_url's path and must also work from a server at /.
    for site in sites.values():
        for path in web_pages(site):
            html = path.read_text()
            assert not re.search(r'(href|src)="/(?!/)', html), path


def test_upcoming_events_have_calendar_links_and_recaps_have_none(site: Path) -> None:
    issue = page(site, "2023-11/index.html")
    soldering = issue.get_element_by_id("event-soldering-evening")
    hrefs = [a.get("href") for a in soldering.cssselect(".calendar-links a")]
    assert hrefs[0] == "../2023-11/soldering-evening.ics"
    assert hrefs[1].startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert "Add to calendar" in texts(soldering, ".calendar-links")[0]
    recap = issue.get_element_by_id("event-open-day-recap")
    assert recap.cssselect(".calendar-links") == []
    # The same event retold after it happened is a recap in the later issue.
    march = page(site, "2024-03/index.html")
    assert march.get_element_by_id("event-repair-cafe-recap").cssselect(".calendar-links") == []
    assert march.get_element_by_id("event-printing-morning").cssselect(".calendar-links")
    january = page(site, "2024-01/index.html")
    assert january.get_element_by_id("event-spring-trip").cssselect(".calendar-links") == []


def test_events_page_lists_upcoming_then_past_newest_first(site: Path) -> None:
    events = page(site, "events/index.html")
    sections = {section.cssselect("h2")[0].get("id"): texts(section, "h3")
                for section in events.cssselect("section.events")}
    assert list(sections) == ["events-upcoming", "events-past", "events-undated"]
    assert sections["events-upcoming"] == ["3D printing morning"]
    # The repair café, announced in January and retold in March, is listed once.
    assert sections["events-past"] == ["Repair café weekend", "Soldering evening for beginners",
                                       "Open day at the workshop"]
    assert sections["events-undated"] == ["Spring trip to a fab lab"]
    upcoming = events.cssselect("section.events")[0]
    assert upcoming.cssselect(".calendar-links a")[0].get("href") == (
        "../2024-03/printing-morning.ics")
    past = events.cssselect("section.events")[1]
    assert past.cssselect(".calendar-links") == [] and past.cssselect(".button") == []
    link = upcoming.cssselect("h3 a")[0].get("href")
    assert link == "../2024-03/#event-printing-morning"


def test_events_page_measures_upcoming_from_source_date_epoch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")  # 1 January 2024
    events = page(build(FIXTURE, tmp_path / "pub"), "events/index.html")
    upcoming = events.cssselect("section.events")[0]
    assert texts(upcoming, "h3") == ["Repair café weekend", "3D printing morning"]


def test_sitemap_lists_the_archive_events_and_every_issue(site: Path) -> None:
    tree = ET.parse(site / "sitemap.xml")
    spaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in tree.findall("s:url/s:loc", spaces)]
    assert urls == [BASE, BASE + "events/", *(BASE + f"{slug}/" for slug in ISSUES)]


def test_search_index_holds_every_issue_and_item(site: Path) -> None:
    script = (site / "search-index.js").read_text()
    assert script.startswith("window.bulletinSearchIndex = ")
    entries = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
    urls = [entry["url"] for entry in entries]
    assert urls[:4] == ["2024-03/", "2024-03/#event-printing-morning",
                        "2024-03/#event-repair-cafe-recap", "2024-03/#news-laser-cutter"]
    repair = next(e for e in entries if e["url"] == "2024-01/#event-repair-cafe")
    assert "reparation" in repair["terms"].split()  # accents folded, as the script folds them
    assert repair["issue"] == "Riverside Makers news: January 2024"


def test_the_archive_builds_to_the_same_bytes_twice(tmp_path: Path) -> None:
    first = build(FIXTURE, tmp_path / "first")
    second = build(FIXTURE, tmp_path / "second")
    assert tree_digest(first) == tree_digest(second)


def test_the_email_offers_the_same_calendar_links_with_absolute_urls(site: Path) -> None:
    html = (site / "2023-11/email.html").read_text()
    ics = f'href="{BASE}2023-11/soldering-evening.ics"'
    assert html.count(ics) == 1 and html.count('.ics"') == 1  # the recap has none
    assert html.count('href="https://calendar.google.com/calendar/render?') == 1
    text = (site / "2023-11/email.txt").read_text()
    # A URL too long for the line after its label goes on a line of its own.
    assert f"Add to calendar (.ics file):\n{BASE}2023-11/soldering-evening.ics\n" in text
    assert text.count("https://calendar.google.com/") == 1
    assert ".ics" not in (site / "2024-03/email.txt").read_text().split("Repair café")[-1]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab Zé\u0301ŁøÅ_-1\tß日ﬁ"), max_size=200))
@example("Zoë Ångström met Łukasz in Kraków; café-naïve ﬁle_name")
def test_search_terms_are_the_words_lower_cased_without_accents(text: str) -> None:
    """As the search script folds a query: the plain definition, on the whole text."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    assert search_terms(text) == " ".join(sorted(set(re.findall(r"[^\W_]+", folded))))
