"""What the editor saves, written as `bulletin add` writes it: in a new file the scaffold
with its explanations, in an existing one only the lines whose values changed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bulletin_gen.commands.cms.fields import ITEM_ORDER
from bulletin_gen.commands.scaffold import name_taken, next_number, slugify
from bulletin_gen.commands.scaffold.texts import item_text, quoted
from bulletin_gen.config import schema
from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError
from bulletin_gen.sources.discover import INDEX_FILE, SLUG_RE
from bulletin_gen.sources.frontmatter import parse_source
from bulletin_gen.sources.load import BULLETIN_FIELDS

# Keys whose values `bulletin add` and the example write without quotes when they can.
PLAIN_KEYS = frozenset({"kind", "image", "banner", "signature", "link", "register", "location",
                        "member_url", "website", "email"})
DATE_KEYS = frozenset({"date", "starts", "ends"})
PLAIN_RE = re.compile(r"^[A-Za-z0-9][\w./:?&=%#+~@-]*$")
KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
BULLETIN_ORDER = tuple(BULLETIN_FIELDS)


class SaveRefused(Exception):
    """The editor asked for something `bulletin add` would not do; the message says why."""


@dataclass(frozen=True)
class Planned:
    """One file the editor saves: where, its new text, and its text before (None: new)."""

    rel: str
    text: str
    before: str | None


def plan_save(config: Config, path: str, raw: str, created: dict[str, str]) -> Planned:
    """Where and what to write for one entry Decap persists.

    created maps the paths Decap made up for new items (its slug, no number) to the files
    written for them in this session, so that a second save goes to the same file.
    """
    rel = created.get(path, path)
    issue = _issue_of(rel)
    meta, body = _read_raw(raw, rel)
    target = config.root / rel
    if target.is_file():
        before = target.read_text(encoding="utf-8")
        order = BULLETIN_ORDER if target.name == INDEX_FILE else ITEM_ORDER
        return Planned(rel, merge(before, meta, body, order), before)
    if target.name == INDEX_FILE:
        raise SaveRefused(f"{rel} does not exist: start an issue with `bulletin new`")
    folder = config.root / "bulletins" / issue
    if not folder.is_dir():
        raise SaveRefused(f"no such issue: {issue}")
    kinds = tuple(kind.name for kind in config.kinds)
    kind, title = meta.get("kind"), meta.get("title")
    if kind not in kinds or not isinstance(title, str) or not title.strip():
        raise SaveRefused(f"a new item needs a kind (one of {', '.join(kinds)}) and a title")
    slug = slugify(title)
    taken = name_taken(folder, slug)
    if taken is not None:
        raise SaveRefused(f"{taken.relative_to(config.root).as_posix()} already has the name "
                          f"{slug!r}: give the new item another title; nothing was written")
    rel = f"bulletins/{issue}/{next_number(folder)}-{slug}.md"
    # The very file `bulletin add` writes, then filled in as its comments explain.
    scaffold = item_text(str(kind), kinds, title.strip(), "")
    return Planned(rel, merge(scaffold, meta, body, ITEM_ORDER), None)


def merge(original: str, meta: dict[str, Any], body: str, order: tuple[str, ...]) -> str:
    """original with the front matter values of meta and the body, changing only the
    lines whose values differ; a new key takes the place of its commented-out example."""
    old = parse_source(original, "original")
    lines = original.split("\n")
    close = old.body_line - 2
    blocks = _blocks(lines[1:close])
    wanted = {key: value for key, value in meta.items() if not _empty(value)}
    if wanted.get("draft") is False and "draft" not in old.meta:
        del wanted["draft"]  # false is what no line says
    result: list[list[str]] = []
    placed: set[str] = set()
    for index, (key, block) in enumerate(blocks):
        if key is not None and key in old.meta:
            placed.add(key)
            if key not in wanted:
                if result and result[-1][0].startswith(f"# {key}: ") and len(result[-1]) == 1:
                    result.pop()  # its explanation goes with it
                continue
            same = _normal(wanted[key]) == _normal(old.meta[key])
            result.append(block if same else _format(key, wanted[key]))
            continue
        example = _example_key(block, blocks[index - 1][1] if index else [])
        if example is not None and example in wanted and example not in old.meta:
            placed.add(example)
            result.append(_format(example, wanted[example]))
            continue
        result.append(block)
    for key in wanted:
        if key not in placed:
            _insert(result, key, _format(key, wanted[key]), order)
    head = [line for block in result for line in block]
    old_body = "\n".join(lines[close + 1:])
    new_body = old_body if body.strip() == old_body.strip() else body.strip("\n") + "\n"
    if not new_body.strip():
        new_body = "\n"
    return "\n".join(["---", *head, "---", new_body.rstrip("\n")]) + "\n"


def _blocks(head: list[str]) -> list[tuple[str | None, list[str]]]:
    """Front matter lines grouped: a top-level key with its indented lines, or one line."""
    blocks: list[tuple[str | None, list[str]]] = []
    for line in head:
        match = KEY_RE.match(line)
        if match:
            blocks.append((match.group(1), [line]))
        elif blocks and blocks[-1][0] is not None and line[:1] in (" ", "\t"):
            blocks[-1][1].append(line)
        else:
            blocks.append((None, [line]))
    return blocks


def _example_key(block: list[str], previous: list[str]) -> str | None:
    """The key of a scaffold's commented-out example (`# key: value` after `# key: why.`)."""
    match = re.match(r"^# ([A-Za-z_][\w-]*): ", block[0])
    if match and len(previous) == 1 and previous[0].startswith(f"# {match.group(1)}: "):
        return match.group(1)
    return None


def _insert(result: list[list[str]], key: str, lines: list[str], order: tuple[str, ...]) -> None:
    """Put a key after the nearest key before it in the form's order that the file has."""
    before = order[: order.index(key)] if key in order else order
    for index in range(len(result) - 1, -1, -1):
        match = KEY_RE.match(result[index][0])
        if match and match.group(1) in before:
            result.insert(index + 1, lines)
            return
    result.append(lines)


def _format(key: str, value: Any) -> list[str]:
    if isinstance(value, dict):
        dumped = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True,
                                default_flow_style=False, width=10_000)
        return dumped.rstrip("\n").split("\n")
    return [f"{key}: {_scalar(key, value)}"]


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(quoted(str(v)) for v in value) + "]"
    text = str(value).strip()
    if key in DATE_KEYS and _as_date(text) is not None and PLAIN_RE.match(text):
        return text
    if key in PLAIN_KEYS and PLAIN_RE.match(text) and yaml.safe_load(text) == text:
        return text
    return quoted(text)


def _normal(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if not _empty(v)}
    if isinstance(value, str):
        return value.strip()
    return value


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value is None or value == "" or value == []


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        parsed = schema.date_or_datetime(value)
    except ValueError:
        return None
    return parsed.date() if isinstance(parsed, dt.datetime) else parsed


def _read_raw(raw: str, rel: str) -> tuple[dict[str, Any], str]:
    try:
        file = parse_source(raw.replace("\r\n", "\n"), rel)
    except ContentError as error:
        raise SaveRefused(error.location_message()) from None
    if file.errors:
        raise SaveRefused(file.errors[0].location_message())
    return dict(file.meta), file.body


def _issue_of(rel: str) -> str:
    """The issue slug of a path the editor may write: bulletins/<slug>/<name>.md only."""
    parts = rel.split("/")
    if (len(parts) != 3 or parts[0] != "bulletins" or not SLUG_RE.match(parts[1])
            or not parts[2].endswith(".md") or parts[2].startswith((".", "_"))
            or "\\" in rel or Path(parts[2]).name != parts[2]):
        raise SaveRefused(f"the editor only writes bulletins/<issue>/<item>.md, not {rel!r}")
    return parts[1]
