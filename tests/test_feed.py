"""The Atom feed: one entry per issue, the newest in full, absolute links, read by feedparser
without a single complaint."""

from __future__ import annotations

import re
import time
from pathlib import Path

import feedparser
import pytest

from tests.archive_sites import build_both

BASE = "https://news.example.net/makers/bulletin/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_both(tmp_path_factory)


def parse(site: Path) -> feedparser.FeedParserDict:
    return feedparser.parse((site / "feed.xml").read_bytes())


@pytest.mark.parametrize("name", ["example", "fixture"])
def test_feedparser_reads_the_feed_without_complaint(sites: dict, name: str) -> None:
    feed = parse(sites[name])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"


def test_one_entry_per_issue_newest_first_with_stable_ids(sites: dict) -> None:
    feed = parse(sites["fixture"])
    assert feed.feed.title == "Riverside Makers news"
    assert feed.feed.link == BASE
    assert [entry.id for entry in feed.entries] == [
        BASE + "2024-03/", BASE + "2024-01/", BASE + "2023-11/"]
    assert [entry.link for entry in feed.entries] == [entry.id for entry in feed.entries]
    assert feed.entries[1].title == "Riverside Makers news: January 2024"
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == [BASE + "feed.xml"]


def test_entries_are_dated_by_their_issue(sites: dict) -> None:
    feed = parse(sites["fixture"])
    # Midnight of the issue's date in the site's zone (Europe/Paris, UTC+1 in winter).
    assert feed.entries[1].updated == "2024-01-20T00:00:00+01:00"
    assert time.strftime("%Y-%m-%d %H:%M", feed.entries[1].updated_parsed) == "2024-01-19 23:00"
    assert feed.feed.updated == feed.entries[0].updated


def test_entries_carry_the_whole_issue_with_absolute_urls(sites: dict) -> None:
    entry = parse(sites["fixture"]).entries[2]  # November 2023
    assert entry.summary == ("A soldering evening in December, and how the tool library did "
                             "in its first year")
    content = entry.content[0]
    assert content.type == "text/html"
    html = content.value
    for text in ("Welcome to the first newsletter", "Soldering evening for beginners",
                 "blinking badge", "Open day at the workshop", "cordless drill",
                 "Browse the tool library", "See you at the workshop"):
        assert text in html, text
    assert f'src="{BASE}2023-11/images/banner.png"' in html
    assert f'src="{BASE}2023-11/images/soldering.png"' in html
    assert f'href="{BASE}2023-11/soldering-evening.ics"' in html
    urls = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert urls and all(re.match(r"(https?:|mailto:)", url) for url in urls), urls


def test_example_feed_holds_the_june_issue(sites: dict) -> None:
    feed = parse(sites["example"])
    assert len(feed.entries) == 1
    html = feed.entries[0].content[0].value
    assert "Webinar: air quality and health" in html
    assert "https://bulletin.example.org/2022-06/images/webinar-air-quality.png" in html


def test_a_long_archive_carries_its_newest_issues_in_full_and_the_rest_by_summary(
        tmp_path: Path, invoke) -> None:
    from bulletin_gen.render.site import FEED_FULL
    from tests.issues_helper import add_issue, publication

    # The example's June 2022 and FEED_FULL + 1 older months.
    slugs = tuple(f"{2020 + n // 12}-{n % 12 + 1:02d}" for n in range(FEED_FULL + 1))
    root = publication(tmp_path, slugs)
    assert invoke(root, "build").exit_code == 0
    feed = parse(root / "site")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert len(feed.entries) == FEED_FULL + 2  # one entry per issue, still
    assert [e.link for e in feed.entries if "content" in e] == [
        e.link for e in feed.entries[:FEED_FULL]]
    for entry in feed.entries[FEED_FULL:]:  # the two oldest: title, link, date and summary
        assert "content" not in entry and entry.summary and entry.title and entry.published
    # A new issue moves the oldest full one to a summary, in a rebuild as in a first build.
    add_issue(root, "2022-07")
    assert invoke(root, "build").exit_code == 0
    again = parse(root / "site")
    assert again.entries[0].link.endswith("/2022-07/")
    assert [e.link for e in again.entries if "content" in e] == [
        e.link for e in again.entries[:FEED_FULL]]
    assert (root / "site/feed.xml").read_bytes() == fresh_feed(root, tmp_path, invoke)


def fresh_feed(root: Path, tmp_path: Path, invoke) -> bytes:
    from tests.conftest import copy_publication

    copy = copy_publication(root, tmp_path / "fresh")
    assert invoke(copy, "build").exit_code == 0
    return (copy / "site/feed.xml").read_bytes()
