"""Split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin_gen.errors import ContentError
from bulletin_gen.yamlload import load_yaml

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """A Markdown source as read: front matter values, their lines, the body."""

    path: str  # relative to the repository, for messages
    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int  # the line the body starts on


def read_text(file: Path, rel: str) -> str:
    """Read a source as UTF-8 text; a BOM and CRLF line endings are accepted."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(rel, None, f"file is {size // 1024} KB; the limit is "
                               f"{MAX_FILE_BYTES // 1024 // 1024} MB")
        raw = file.read_bytes()
    except OSError as error:
        raise ContentError(rel, None, f"cannot read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(rel, line, f"not UTF-8 text (byte 0x{raw[error.start]:02x}); "
                           "save the file as UTF-8") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_source(text: str, rel: str) -> SourceFile:
    """Parse `---` front matter and the Markdown body after it."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ContentError(rel, 1, "no front matter: the file must start with a line '---'")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            end = index
            break
    else:
        raise ContentError(rel, 1, "front matter is not closed: add a line '---' after it")
    document = load_yaml("\n".join(lines[1:end]), rel, first_line=2)
    meta = document.data
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(rel, 2, "front matter must be a mapping of 'key: value' lines, "
                           f"got a {_yaml_type(meta)}")
    body = "\n".join(lines[end + 1 :])
    return SourceFile(rel, meta, document.lines, body, end + 2)


def _yaml_type(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number",
            bool: "boolean"}.get(type(value), type(value).__name__)
