"""Calendar files (RFC 5545) and "Add to calendar" links for upcoming events."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from bulletin_gen.config.settings import Config
from bulletin_gen.model import Bulletin, Item
from bulletin_gen.render.text import html_to_text

PRODID = "-//bulletin-gen//bulletin-gen//EN"
GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
# An event given only a start time is shown for an hour, as calendar apps do by default.
DEFAULT_LENGTH = dt.timedelta(hours=1)
FOLD = 74  # octets of a content line before each fold (the continuation's space is the 75th)
CALENDAR_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class Span:
    """When an event happens: aware date-times, or whole days with an exclusive end."""

    starts: dt.datetime | dt.date
    ends: dt.datetime | dt.date

    @property
    def all_day(self) -> bool:
        return not isinstance(self.starts, dt.datetime)


def is_upcoming(bulletin: Bulletin, item: Item) -> bool:
    """True for a dated event that starts after the issue's date (midnight)."""
    if item.kind != "event" or item.starts is None:
        return False
    if isinstance(item.starts, dt.datetime):
        return item.starts.replace(tzinfo=None) > dt.datetime.combine(bulletin.date, dt.time())
    return item.starts > bulletin.date


def upcoming_events(bulletin: Bulletin) -> tuple[Item, ...]:
    return tuple(item for item in bulletin.items if is_upcoming(bulletin, item))


def event_span(item: Item, timezone: str) -> Span:
    """The event's start and end in the site's zone; an end is always given."""
    return _span(item.starts, item.ends, timezone)


def _span(starts: dt.datetime | dt.date | None, ends: dt.datetime | dt.date | None,
          timezone: str) -> Span:
    assert starts is not None, "only dated events have a span"
    if not isinstance(starts, dt.datetime):
        end_day = ends.date() if isinstance(ends, dt.datetime) else ends
        # DTEND of a whole-day event is exclusive: the day after the last one.
        return Span(starts, (end_day or starts) + dt.timedelta(days=1))
    zone = zoneinfo.ZoneInfo(timezone)
    start = _in_zone(starts, zone)
    if isinstance(ends, dt.datetime):
        end = _in_zone(ends, zone)
    elif isinstance(ends, dt.date):
        end = dt.datetime.combine(ends + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    else:
        end = start + DEFAULT_LENGTH
    return Span(start, end)


def _in_zone(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    # A naive time is read in the site's zone; one written with an offset is converted to it.
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def ics_path(bulletin: Bulletin, item: Item) -> str:
    return f"{bulletin.slug}/{item.slug}.ics"


def event_url(config: Config, bulletin: Bulletin, item: Item) -> str:
    return f"{config.base_url}{bulletin.slug}/#{item.anchor}"


def description(config: Config, bulletin: Bulletin, item: Item, with_body: bool = True) -> str:
    """The event's text as calendar apps show it: body, where to register, the issue's link."""
    # Imported here: templates imports archive, which imports this module.
    from bulletin_gen.render.urls import rebase

    parts = []
    if with_body:
        body = str(rebase(item.body_html, config.base_url))
        parts.append(html_to_text(body, wrap=False).strip())
    if item.register:
        parts.append(f"Register: {item.register}")
    parts.append(f"From {bulletin.title}: {event_url(config, bulletin, item)}")
    return "\n\n".join(part for part in parts if part)


def calendar_file(config: Config, bulletin: Bulletin, item: Item) -> bytes:
    """One VCALENDAR holding the event, with the site's time zone defined.

    What icalendar's Calendar.to_ical() writes for the four fixed properties, the zone
    and the event, made more cheaply: the calendar's head and each zone are written once
    per process, and the event's values are given to icalendar already typed (no add()
    inferring a type for each) and written out as its content_lines() would.
    """
    # Imported here, so commands that write no calendar don't pay for the import.
    from icalendar import Event, vDDDTypes, vText, vUri

    span = event_span(item, config.timezone)
    starts, ends = vDDDTypes(span.starts), vDDDTypes(span.ends)
    event = Event()
    # Stable across builds: the issue and the item's file name, under the site's host.
    event["UID"] = vText(f"{bulletin.slug}-{item.slug}@{_hostname(config.base_url)}")
    # DTSTAMP comes from the date, never the clock, so builds repeat to the byte.
    event["DTSTAMP"] = vDDDTypes(dt.datetime.combine(bulletin.date, dt.time(), tzinfo=dt.UTC))
    event["DTSTART"] = starts
    event["DTEND"] = ends
    event["SUMMARY"] = vText(item.title)
    event["DESCRIPTION"] = vText(description(config, bulletin, item))
    if item.location:
        event["LOCATION"] = vText(item.location)
    event["URL"] = vUri(event_url(config, bulletin, item))
    zones = b""
    if not span.all_day:
        first = span.starts.date() if isinstance(span.starts, dt.datetime) else span.starts
        # Only the transitions around the event: a short file that needs no tz database.
        # As calendar.add_missing_timezones(first_date, last_date) would add them, before
        # the event, each made once per process (they were a third of the time a file took).
        # Missing are the zones the event's times name; UTC needs none, being written with Z.
        tzids = {value.params.get("TZID") for value in (starts, ends)} - {None, "UTC"}
        zones = b"".join(_zone(tzid, dt.date(first.year - 1, 1, 1), dt.date(first.year + 2, 1, 1))
                         for tzid in sorted(tzids))
    return _calendar_head() + zones + _serialise_flat(event) + CALENDAR_END


@functools.cache
def _calendar_head() -> bytes:
    """BEGIN:VCALENDAR and the calendar's own properties: the same in every file."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    content = _serialise(calendar)
    assert content.endswith(CALENDAR_END)
    return content[:-len(CALENDAR_END)]


@functools.cache
def _hostname(base_url: str) -> str | None:
    return urlsplit(base_url).hostname


def _serialise(component: Any) -> bytes:
    """component.to_ical(), with its lines folded by fold: icalendar folds character by
    character, which was a third of the time a file took."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def _serialise_flat(component: Any) -> bytes:
    """_serialise(component) for a component without subcomponents whose values are all
    typed: each line is put together as icalendar's Contentline.from_parts does, from the
    value's and its parameters' own to_ical(), without the Parameters and Contentline
    objects content_lines() makes for every line (half the time a file took)."""
    lines = [f"BEGIN:{component.name}"]
    for name in component.sorted_keys():  # the order content_lines() writes them in
        value = component[name]
        # from_parts decodes with utf-8-sig, which drops a leading BOM, so this does too.
        text = value.to_ical().decode("utf-8-sig")
        params = value.params.to_ical().decode("utf-8-sig") if value.params else ""
        lines.append(f"{name};{params}:{text}" if params else f"{name}:{text}")
    lines.append(f"END:{component.name}")
    return b"".join(fold(line) + b"\r\n" for line in lines)


@functools.cache
def _zone(tzid: str, first_date: dt.date, last_date: dt.date) -> bytes:
    """The VTIMEZONE of tzid, serialised; nothing for a zone icalendar does not know."""
    import icalendar

    try:
        zone = icalendar.Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date)
    except ValueError:
        return b""
    return _serialise(zone)


def fold(line: str) -> bytes:
    """A content line in UTF-8, folded as icalendar's Contentline.to_ical() folds it (RFC 5545
    3.1): at most 74 octets a line, never inside a character; a backslash or caret before
    a fold moves to the next line, so no escape is split. icalendar encodes character by
    character: on a long description with accents, 4 ms a line."""
    data = line.encode()
    chunks = []
    start = 0
    while len(data) - start > FOLD:
        end = start + FOLD
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation octet: back to its character
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        chunks.append(data[start:end])
        start = end
    chunks.append(data[start:])
    return b"\r\n ".join(chunks)


def calendar_files(config: Config, bulletin: Bulletin) -> list[tuple[str, bytes]]:
    """(path, content) of each upcoming event's .ics file in an issue."""
    return [(ics_path(bulletin, item), calendar_file(config, bulletin, item))
            for item in upcoming_events(bulletin)]


def google_calendar_url(config: Config, bulletin: Bulletin, item: Item) -> str:
    """A link that opens Google Calendar's "new event" form, filled in.

    The details hold the links, not the body: the URL stays short enough for the plain-text
    email and for the browsers' limits.
    """
    return _google_calendar_url(config.timezone, item.title, item.starts, item.ends,
                                item.location, description(config, bulletin, item, with_body=False))


# Every page that shows an event asks for its link (the web page, email and text),
# and percent-encoding it was most of the time that took. Equal arguments make the same
# link: times that are equal are the same instant, so the same time in the site's zone.
@functools.lru_cache(maxsize=1024)
def _google_calendar_url(timezone: str, title: str, starts: dt.datetime | dt.date | None,
                         ends: dt.datetime | dt.date | None, location: str | None,
                         details: str) -> str:
    span = _span(starts, ends, timezone)
    if span.all_day:
        dates = f"{span.starts:%Y%m%d}/{span.ends:%Y%m%d}"
    else:
        dates = f"{span.starts:%Y%m%dT%H%M%S}/{span.ends:%Y%m%dT%H%M%S}"
    query = {"action": "TEMPLATE", "text": title, "dates": dates, "ctz": timezone,
             "details": details}
    if location:
        query["location"] = location
    return f"{GOOGLE_CALENDAR}?{urlencode(query)}"
