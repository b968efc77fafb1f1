"""Dates in words, the way a reader says them."""

from __future__ import annotations

import datetime as dt


def long_date(value: dt.date) -> str:
    """30 June 2022."""
    return f"{value.day} {value:%B %Y}"


def day_date(value: dt.date) -> str:
    """Wednesday 20 July 2022."""
    return f"{value:%A} {long_date(value)}"


def clock(value: dt.datetime) -> str:
    """10:00."""
    return f"{value:%H:%M}"


def event_when(starts: dt.date | dt.datetime, ends: dt.date | dt.datetime | None) -> str:
    """Wednesday 20 July 2022, 10:00 to 11:00; or a span of days."""
    start_day = starts.date() if isinstance(starts, dt.datetime) else starts
    text = day_date(start_day)
    if isinstance(starts, dt.datetime):
        text += f", {clock(starts)}"
    if ends is None:
        return text
    end_day = ends.date() if isinstance(ends, dt.datetime) else ends
    if end_day == start_day:
        return text + (f" to {clock(ends)}" if isinstance(ends, dt.datetime) else "")
    end_text = day_date(end_day) + (f", {clock(ends)}" if isinstance(ends, dt.datetime) else "")
    return f"{text} to {end_text}"


def iso_instant(value: dt.date, timezone: str) -> str:
    """Midnight of a date in the site's zone, as RFC 3339."""
    import zoneinfo

    moment = dt.datetime.combine(value, dt.time(), tzinfo=zoneinfo.ZoneInfo(timezone))
    return moment.isoformat()
