"""Split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin_gen.errors import ContentError
from bulletin_gen.sources.yamlload import CONTROL_RE, load_yaml

MAX_FILE_BYTES = 2 * 1024 * 1024
# CONTROL_RE's characters below 128: in ASCII text (most sources) deleting these bytes
# finds whether there is one, several times faster than the regular expression's search.
ASCII_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


@dataclass(frozen=True)
class SourceFile:
    """A Markdown source as read: front matter values, their lines, the body."""

    path: str  # relative to the repository, for messages
    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int  # the line the body starts on
    errors: tuple[ContentError, ...] = ()  # values that could not be read (meta holds Invalid)


@functools.lru_cache(maxsize=16)
def resolved_folder(folder: Path) -> Path:
    """A folder's real path (the repository's, an assets folder's), found once per
    process rather than once per file."""
    return folder.resolve()


def read_text(file: Path, rel: str, root: Path | None = None,
              real_folder: Path | None = None) -> str:
    """Read a source as UTF-8 text; a BOM and CRLF line endings are accepted.

    With root, a file that is (or sits in a folder that is) a symlink leading
    out of root is refused: a member's pull request must not publish /etc/passwd.
    real_folder is file's folder already resolved (an issue's files share one): then
    only a file that is itself a symlink is resolved, not every folder above it again.
    """
    try:
        status = os.lstat(file)
        linked = stat.S_ISLNK(status.st_mode)
        if root is not None:
            # A file that is no symlink is in its folder's real path: only a link needs
            # resolving, not every folder above each file again.
            real = real_folder / file.name if real_folder is not None and not linked \
                else file.resolve()
            if not real.is_relative_to(resolved_folder(root)):
                raise ContentError(rel, None, "a symlink leading out of the repository; "
                                   "copy the file in instead")
        if linked:
            status = os.stat(file)
        if not stat.S_ISREG(status.st_mode):
            raise ContentError(rel, None, "not a regular file")
        if status.st_size > MAX_FILE_BYTES:
            raise ContentError(rel, 1, f"file is {status.st_size / 1024 / 1024:.1f} MB; "
                               f"the limit is {MAX_FILE_BYTES // 1024 // 1024} MB")
        with open(file, "rb", buffering=0) as handle:  # unbuffered: one read, no tty check
            raw = handle.readall()
    except OSError as error:
        raise ContentError(rel, None, f"cannot read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(rel, line, f"not UTF-8 text (byte 0x{raw[error.start]:02x}); "
                           "save the file as UTF-8") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii() and len(text.encode("ascii").translate(None, ASCII_CONTROLS)) == len(text):
        return text  # no control character: CONTROL_RE would find none
    control = CONTROL_RE.search(text)
    if control:
        line_start = text.rfind("\n", 0, control.start()) + 1
        code = ord(control.group(0))
        # U+0080-U+009F is most often a Windows-1252 dash or quote pasted as Unicode.
        fix = "type that character again" if 0x80 <= code <= 0x9F else "delete it"
        raise ContentError(rel, text.count("\n", 0, control.start()) + 1,
                           f"invisible control character U+{code:04X} in "
                           f"column {control.start() - line_start + 1}; {fix}")
    return text


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
    return SourceFile(rel, meta, document.lines, body, end + 2, document.errors)


def _yaml_type(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number",
            bool: "boolean"}.get(type(value), type(value).__name__)
