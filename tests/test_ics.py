"""Calendar files: one per upcoming event, RFC 5545 that icalendar reads back, stable UIDs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from bulletin_gen.model import Bulletin, Item
from bulletin_gen.render.ics import event_span, fold, is_upcoming
from tests.archive_sites import FIXTURE, build, build_both

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
BASE = "https://news.example.net/makers/bulletin/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_both(tmp_path_factory)


def read_event(path: Path) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def test_only_upcoming_dated_events_get_a_calendar_file(sites: dict) -> None:
    fixture = sorted(p.relative_to(sites["fixture"]).as_posix()
                     for p in sites["fixture"].rglob("*.ics"))
    # Not the open-day recap, not the repair café retold in March, not the undated trip.
    assert fixture == ["2023-11/soldering-evening.ics", "2024-01/repair-cafe.ics",
                       "2024-03/printing-morning.ics"]
    example = sorted(p.name for p in sites["example"].rglob("*.ics"))
    assert example == ["air-quality-webinar.ics"]


def test_calendar_file_is_rfc5545_with_every_property(sites: dict) -> None:
    calendar, event = read_event(sites["fixture"] / "2023-11/soldering-evening.ics")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//")
    assert str(event["UID"]) == "2023-11-soldering-evening@news.example.net"
    assert event.decoded("DTSTAMP") == dt.datetime(2023, 11, 15, tzinfo=dt.UTC)
    assert event.decoded("DTSTART") == dt.datetime(2023, 12, 5, 18, 30, tzinfo=PARIS)
    assert event.decoded("DTEND") == dt.datetime(2023, 12, 5, 20, 0, tzinfo=PARIS)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["SUMMARY"]) == "Soldering evening for beginners"
    assert str(event["LOCATION"]) == "Riverside workshop, 12 Quai des Ateliers, Lyon"
    assert str(event["URL"]) == BASE + "2023-11/#event-soldering-evening"
    description = str(event["DESCRIPTION"])
    assert "Learn to solder a small blinking badge" in description
    assert "**" not in description and "<" not in description
    assert "Register: https://makers.example.net/events/soldering-evening" in description


def test_whole_day_event_ends_the_day_after_its_last_day(sites: dict) -> None:
    _, event = read_event(sites["fixture"] / "2024-01/repair-cafe.ics")
    assert event.decoded("DTSTART") == dt.date(2024, 2, 10)
    assert event.decoded("DTEND") == dt.date(2024, 2, 12)  # DTEND is exclusive
    assert "VALUE=DATE" in event.to_ical().decode().replace("\r\n ", "")


def test_event_without_an_end_lasts_an_hour(sites: dict) -> None:
    _, event = read_event(sites["fixture"] / "2024-03/printing-morning.ics")
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(hours=1)
    assert str(event["LOCATION"]) == "online"


def test_uids_are_stable_across_builds_and_unique(tmp_path: Path) -> None:
    first = build(FIXTURE, tmp_path / "first")
    second = build(FIXTURE, tmp_path / "second")
    uids = []
    for path in sorted(first.rglob("*.ics")):
        again = second / path.relative_to(first)
        assert path.read_bytes() == again.read_bytes()
        uids.append(str(read_event(path)[1]["UID"]))
    assert len(set(uids)) == len(uids) == 3


def test_example_webinar_is_in_london_time(sites: dict) -> None:
    _, event = read_event(sites["example"] / "2022-06/air-quality-webinar.ics")
    london = zoneinfo.ZoneInfo("Europe/London")
    assert event.decoded("DTSTART") == dt.datetime(2022, 7, 20, 10, 0, tzinfo=london)
    assert event.decoded("DTEND") == dt.datetime(2022, 7, 20, 11, 0, tzinfo=london)
    assert event.decoded("DTSTAMP") == dt.datetime(2022, 6, 30, tzinfo=dt.UTC)


def test_description_paragraphs_are_not_hard_wrapped(sites: dict) -> None:
    # Calendar apps flow text themselves: a line break mid-sentence shows as one.
    _, event = read_event(sites["example"] / "2022-06/air-quality-webinar.ics")
    paragraphs = str(event["DESCRIPTION"]).split("\n\n")
    assert "There is now a direct link identified between air quality and health of human " \
           "beings. Health professionals" in paragraphs[1]
    assert all("\n" not in paragraph for paragraph in paragraphs)


def test_google_calendar_link_carries_the_event(sites: dict) -> None:
    html = (sites["example"] / "2022-06/index.html").read_text()
    start = html.index("https://calendar.google.com/")
    url = html[start:html.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlsplit(url).query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == ["Webinar: air quality and health"]
    assert query["dates"] == ["20220720T100000/20220720T110000"]
    assert query["ctz"] == ["Europe/London"]
    assert query["location"] == ["online"]
    assert "https://bulletin.example.org/2022-06/#event-air-quality-webinar" in query["details"][0]


def _bulletin(date: dt.date) -> Bulletin:
    return Bulletin(slug="s", path="p", title="t", date=date, preheader=None, intro_html="",
                    items=())


def _event(starts: dt.date | dt.datetime | None, ends: dt.date | dt.datetime | None = None,
           kind: str = "event") -> Item:
    return Item(path="p", slug="e", kind=kind, title="E", body_html="", starts=starts, ends=ends)


@pytest.mark.parametrize("starts, upcoming", [
    (dt.date(2024, 3, 19), True),
    (dt.date(2024, 3, 18), False),  # a whole day on the issue's date has begun
    (dt.datetime(2024, 3, 18, 18, 0), True),  # later on the issue's day
    (dt.datetime(2024, 3, 18, 0, 0), False),
    (dt.date(2024, 3, 1), False),
    (None, False),
])
def test_upcoming_means_starting_after_the_issue_date(starts, upcoming: bool) -> None:
    assert is_upcoming(_bulletin(dt.date(2024, 3, 18)), _event(starts)) is upcoming


def test_news_is_never_an_upcoming_event() -> None:
    assert not is_upcoming(_bulletin(dt.date(2024, 3, 18)), _event(dt.date(2025, 1, 1), kind="news"))


def test_span_reads_naive_times_in_the_site_zone_and_converts_offsets() -> None:
    naive = event_span(_event(dt.datetime(2024, 7, 1, 9, 0)), "Europe/Paris")
    assert naive.starts == dt.datetime(2024, 7, 1, 9, 0, tzinfo=PARIS)
    utc = dt.datetime(2024, 7, 1, 7, 0, tzinfo=dt.UTC)
    converted = event_span(_event(utc), "Europe/Paris")
    assert converted.starts == utc and converted.starts.tzinfo == PARIS
    until_day = event_span(_event(dt.datetime(2024, 7, 1, 9, 0), dt.date(2024, 7, 2)),
                           "Europe/Paris")
    assert until_day.ends == dt.datetime(2024, 7, 3, 0, 0, tzinfo=PARIS)


# Characters of one to four octets in UTF-8, and the escapes a fold must not split.
FOLDED_TEXT = st.text(st.sampled_from("ab\\^;,:é€𝄞 ñ\u0301ŁØ日"), max_size=400)


@settings(max_examples=300, deadline=None)
@given(FOLDED_TEXT)
@example("x" * 73 + "\\n" + "é" * 80)
@example("DESCRIPTION:" + "Zoë Ångström in Kraków; " * 20)
def test_fold_is_icalendars_folding_byte_for_byte(line: str) -> None:
    assert fold(line) == Contentline(line).to_ical()
