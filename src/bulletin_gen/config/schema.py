"""Field rules for front matter and site.yaml: what each key may hold."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bulletin_gen.errors import ContentError
from bulletin_gen.sources.yamlload import Invalid

Check = Callable[[Any], Any]

EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
GITHUB_REPOSITORY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ValueError(f"expected text, got {_show(value)}")
    result = str(value).strip()
    if not result:
        raise ValueError("expected text, got an empty value")
    return result


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
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected an ISO date like 2022-06-30, got {_show(value)}")


def date_or_datetime(value: Any) -> dt.date | dt.datetime:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                return parse(value.strip())
            except ValueError:
                continue
    raise ValueError("expected an ISO date or date-time like 2022-07-20 or "
                     f"2022-07-20T10:00, got {_show(value)}")


def url(value: Any) -> str:
    """An absolute http(s) or mailto URL."""
    result = text(value)
    parts = urlsplit(result)
    if parts.scheme == "mailto" and EMAIL_RE.match(parts.path):
        return result
    if parts.scheme in ("http", "https") and parts.netloc and " " not in result:
        return result
    raise ValueError(f"expected an absolute URL starting with https://, got {_show(value)}")


def base_url(value: Any) -> str:
    result = text(value)
    parts = urlsplit(result)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"expected an absolute URL like https://example.org/, got {_show(value)}")
    return result if result.endswith("/") else result + "/"


def email(value: Any) -> str:
    result = text(value)
    if not EMAIL_RE.match(result):
        raise ValueError(f"expected an e-mail address like name@example.org, got {_show(value)}")
    return result


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


def one_of(*allowed: str) -> Check:
    def check(value: Any) -> str:
        # Any other value, text or not (`email: no` reads as false), is told the choices.
        if isinstance(value, str) and value.strip() in allowed:
            return value.strip()
        raise ValueError(f"expected one of {', '.join(allowed)}, got {_show(value)}")
    return check


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
