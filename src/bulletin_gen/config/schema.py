"""Field rules for front matter and site.yaml: what each key may hold."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Any
from urllib.parse import urlsplit

from bulletin_gen.errors import ContentError
from bulletin_gen.render.dates import FIRST_YEAR, LAST_YEAR
from bulletin_gen.sources.yamlload import Invalid

Check = Callable[[Any], Any]

EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
GITHUB_REPOSITORY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
# What str.splitlines() breaks at: any of them in a header would start a new header.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# ASCII that RFC 3986 never allows in a URL (spaces, quotes, angle brackets...): written
# into an attribute or a List-Unsubscribe header, any of them could end it early.
NOT_IN_URL_RE = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False


def text(value: Any) -> str:
    """One line of text: a title, a name, an address... (it may end up in a header)."""
    if isinstance(value, str) and any(char in LINE_BREAKS for char in value.strip()):
        before = re.split(f"[{LINE_BREAKS}]", value.strip())[0]
        raise ValueError(f"expected one line of text, got a line break after {_show(before)}; "
                         "write it on one line")
    return paragraph(value)


def paragraph(value: Any) -> str:
    """Text that may run over several lines (a postal address, a sign-off)."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ValueError(f"expected text, got {_show(value)}")
    result = str(value).strip()
    if not result:
        raise ValueError("expected text, got an empty value")
    for char in result:
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            raise ValueError(f"invisible control character U+{ord(char):04X} in "
                             f"{_show(result)}; delete it")
    return result


def mapping(expected: str) -> Check:
    """A mapping of keys (checked later, each at its line), described for the message."""
    def check(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValueError(f"expected {expected}, got {_kind_of(value)}")
        return value
    return check


def sequence(expected: str) -> Check:
    def check(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise ValueError(f"expected {expected}, got {_kind_of(value)}")
        return value
    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_show(value)}")
    return value


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {_show(value)}")
    return value


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected an ISO date like 2022-06-30, got {_show(value)}")
    if isinstance(value, dt.date):
        return _in_range(value)
    if isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return _in_range(parsed, value)
    raise ValueError(f"expected an ISO date like 2022-06-30, got {_show(value)}")


def date_or_datetime(value: Any) -> dt.date | dt.datetime:
    if isinstance(value, dt.date):
        return _in_range(value)
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                parsed = parse(value.strip())
            except ValueError:
                continue
            return _in_range(parsed, value)
    raise ValueError("expected an ISO date or date-time like 2022-07-20 or "
                     f"2022-07-20T10:00, got {_show(value)}")


def _in_range(value: Any, given: Any = None) -> Any:
    """A date the calendar files can hold (far-future ones overflow Python's dates)."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        shown = _show(given.strip() if isinstance(given, str) else value.isoformat())
        raise ValueError(f"expected a date between {FIRST_YEAR} and {LAST_YEAR} (what a "
                         f"calendar file can hold), got {shown}")
    return value


def url(value: Any) -> str:
    """An absolute http(s) or mailto URL."""
    result = text(value)
    if not NOT_IN_URL_RE.search(result):
        parts = urlsplit(result)
        if parts.scheme == "mailto" and _is_address(parts.path):
            return result
        if parts.scheme in ("http", "https") and _has_host(parts):
            return result
    raise ValueError(f"expected an absolute URL starting with https://, got {_show(value)}")


def base_url(value: Any) -> str:
    result = text(value)
    parts = urlsplit(result)
    if (NOT_IN_URL_RE.search(result) or parts.scheme not in ("http", "https")
            or not _has_host(parts) or parts.query or "#" in result):
        raise ValueError(f"expected an absolute URL like https://example.org/, got {_show(value)}")
    return result if result.endswith("/") else result + "/"


def email(value: Any) -> str:
    result = text(value)
    if not _is_address(result):
        raise ValueError(f"expected an e-mail address like name@example.org, got {_show(value)}")
    return result


def _is_address(value: str) -> bool:
    """An addr-spec both our pattern and the email package (which writes headers) accept."""
    if not EMAIL_RE.match(value):
        return False
    try:
        parsed = Address(addr_spec=value)
    except (ValueError, IndexError, HeaderParseError):
        return False
    return parsed.addr_spec == value


def _has_host(parts: Any) -> bool:
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return False
    return bool(parts.hostname)


def colour(value: Any) -> str:
    result = text(value)
    if not HEX_COLOUR_RE.match(result):
        # Gmail drops a whole style attribute holding other colour syntaxes.
        raise ValueError(f"expected a colour as #rrggbb, got {_show(value)}")
    return result.lower()


def github_repository(value: Any) -> str:
    result = text(value)
    if not GITHUB_REPOSITORY_RE.match(result):
        raise ValueError(f"expected a GitHub repository as owner/name, got {_show(value)}")
    return result


@dataclass(frozen=True)
class OneOf:
    """A check that a value is one of a few words; its choices are there for the forms
    that offer them (the web editor's select)."""
    choices: tuple[str, ...]

    def __call__(self, value: Any) -> str:
        # Any other value, text or not (`email: no` reads as false), is told the choices.
        if isinstance(value, str) and value.strip() in self.choices:
            return value.strip()
        raise ValueError(f"expected one of {', '.join(self.choices)}, got {_show(value)}")


def one_of(*allowed: str) -> OneOf:
    return OneOf(allowed)


def validate_fields(meta: dict[str, Any], fields: dict[str, Field], path: str,
                    lines: dict[str, int], prefix: str = "",
                    default_line: int | None = 1) -> tuple[dict[str, Any], list[ContentError]]:
    """Check every key against its rule; return the clean values and all the errors."""
    values: dict[str, Any] = {}
    errors: list[ContentError] = []
    for key, raw in meta.items():
        dotted = f"{prefix}{key}"
        line = lines.get(dotted, default_line)
        if key not in fields:
            message = unknown_key_message(str(dotted), fields, prefix)
            errors.append(ContentError(path, line, message))
            continue
        if isinstance(raw, Invalid):
            continue  # unreadable YAML: reported by the loader, at its line
        try:
            values[key] = fields[key].check(raw)
        except ValueError as error:
            errors.append(ContentError(path, line, f"'{dotted}': {error}"))
    for key, field in fields.items():
        if field.required and key not in meta:
            errors.append(ContentError(path, lines.get(prefix.rstrip("."), default_line),
                                       f"'{prefix}{key}' is required"))
    return values, errors


def unknown_key_message(key: str, fields: dict[str, Field], prefix: str = "") -> str:
    names = sorted(fields)
    close = difflib.get_close_matches(key.removeprefix(prefix), names, n=1)
    hint = f" (did you mean '{prefix}{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}; allowed: {', '.join(names)}"


def _kind_of(value: Any) -> str:
    """What a value is, in the editor's words: the text 'David', the number 5."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return _show(value)


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    shown = str(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return repr(shown)
