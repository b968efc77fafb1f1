"""Dates in words, the way a reader says them."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

# The years an event may fall in: its calendar file holds the time-zone rules from the
# year before to two years after it, and Python's dates end at 9999-12-31.
FIRST_YEAR, LAST_YEAR = 1901, 9997


def long_date(value: dt.date) -> str:
    """30 June 2022."""
    return _long_date(value, *_kind(value))


def _kind(value: object) -> tuple[type, Any]:
    """What a cached wording is keyed by besides the value: its type, and the zone of a
    date-time (equal instants in two zones are equal, but read differently on the clock)."""
    return type(value), getattr(value, "tzinfo", None)


# The pages of an archive write the same dates again and again: an issue's date on each
# of its pages, an event's time on five. Each wording (strftime, mostly) is made once.
@functools.lru_cache(maxsize=4096)
def _long_date(value: dt.date, *_kind: object) -> str:
    return f"{value.day} {value:%B %Y}"


def day_date(value: dt.date) -> str:
    """Wednesday 20 July 2022."""
    return f"{value:%A} {long_date(value)}"


def short_day_date(value: dt.date) -> str:
    """Wed 20 Jul 2022: for a line that must stay short on a phone."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def clock(value: dt.datetime) -> str:
    """10:00."""
    return f"{value:%H:%M}"


def event_when(starts: dt.date | dt.datetime, ends: dt.date | dt.datetime | None,
               short: bool = False) -> str:
    """Wednesday 20 July 2022, 10:00 to 11:00; or a span of days. short: Wed 20 Jul 2022."""
    return _event_when(starts, ends, short, *_kind(starts), *_kind(ends))


@functools.lru_cache(maxsize=4096)
def _event_when(starts: dt.date | dt.datetime, ends: dt.date | dt.datetime | None,
                short: bool, *_kinds: object) -> str:
    in_words = short_day_date if short else day_date
    start_day = starts.date() if isinstance(starts, dt.datetime) else starts
    text = in_words(start_day)
    if isinstance(starts, dt.datetime):
        text += f", {clock(starts)}"
    if ends is None:
        return text
    end_day = ends.date() if isinstance(ends, dt.datetime) else ends
    if end_day == start_day:
        return text + (f" to {clock(ends)}" if isinstance(ends, dt.datetime) else "")
    end_text = in_words(end_day) + (f", {clock(ends)}" if isinstance(ends, dt.datetime) else "")
    return f"{text} to {end_text}"


def iso_instant(value: dt.date, timezone: str) -> str:
    """Midnight of a date in the site's zone, as RFC 3339."""
    import zoneinfo

    moment = dt.datetime.combine(value, dt.time(), tzinfo=zoneinfo.ZoneInfo(timezone))
    return moment.isoformat()
