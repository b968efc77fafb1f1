"""HTML fragments to plain text for the text/plain part: wrapped, links written out."""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Mapping
from html import unescape
from html.parser import HTMLParser

WIDTH = 72
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
          "ul", "ol", "dl"}

Block = tuple[str, str, str, bool]
Tag = tuple[bool, str, Mapping[str, str | None], bool]  # closing, name, attributes, <x/>

# Bodies come from nh3, whose serialiser writes every tag one way: `<name>` or
# `<name attr="value">`, never a comment or a `<` in text. Such a fragment is cut into text
# and tags by one regex split, about three times faster than HTMLParser's scan, and read the
# same; anything else (a stray `<`, a comment, single quotes, a <script>) goes to
# HTMLParser as before.
TAG_SPLIT_RE = re.compile(r"(<[^<>]*>)")
STRICT_TAG_RE = re.compile(
    r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?: [a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*) ?(/?)>')
ATTRIBUTE_RE = re.compile(r' ([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')
# Elements whose content HTMLParser reads as raw text (later Pythons add to the first two):
# a fragment holding one takes HTMLParser's path.
RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
            "noscript", "plaintext"}
NO_ATTRIBUTES: Mapping[str, str | None] = {}
# Most tags of a body are bare (`<p>`, `</li>`): read once here instead of by the regex.
BARE_TAGS: dict[str, Tag] = {
    f"<{'/' * closing}{name}>": (closing, name, NO_ATTRIBUTES, False)
    for name in ("p", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small",
                 "abbr", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "br", "hr", "code",
                 "pre", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "dl",
                 "dt", "dd")
    for closing in (False, True)
}


class _Blocks:
    """Reads a fragment's tags and text into blocks (text, first-line prefix, indent,
    preformatted), which _layout then lays out at a width: one parse serves both widths."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.current: list[str] = []
        self.prefixes: list[str] = []
        self.list_counters: list[int | None] = []
        self.link: str | None = None
        self.link_text: list[str] = []
        self.pre = 0

    def start(self, tag: str, attributes: Mapping[str, str | None]) -> None:
        if tag in BLOCKS or tag == "li":
            self._flush()
        if tag == "ul":
            self.list_counters.append(None)
        elif tag == "ol":
            self.list_counters.append(0)
        elif tag == "li":
            counter = self.list_counters[-1] if self.list_counters else None
            if counter is None:
                self.prefixes.append("- ")
            else:
                self.list_counters[-1] = counter + 1
                self.prefixes.append(f"{counter + 1}. ")
        elif tag == "blockquote":
            self.prefixes.append("> ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            self.link = attributes.get("href")
            self.link_text = []
        elif tag == "img" and attributes.get("alt"):
            self.current.append(f"[{attributes['alt']}]")
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")

    def end(self, tag: str) -> None:
        if tag == "a":
            label = "".join(self.link_text).strip()
            href = self.link or ""
            if href.startswith("mailto:"):
                address = href.removeprefix("mailto:")
                shown = label if address in label else f"{label} ({address})"
            elif href and href != label:
                shown = f"{label} <{href}>"
            else:
                shown = label
            self.current.append(shown)
            self.link = None
            return
        if tag in BLOCKS or tag == "li":
            self._flush()
        if tag in ("ul", "ol") and self.list_counters:
            self.list_counters.pop()
        elif tag in ("li", "blockquote") and self.prefixes:
            self.prefixes.pop()
        elif tag == "pre":
            self.pre -= 1

    def data(self, data: str) -> None:
        target = self.link_text if self.link is not None else self.current
        target.append(data)

    def _flush(self) -> None:
        raw = "".join(self.current)
        self.current = []
        if not raw or raw.isspace():  # not raw.strip(), without the copy
            return
        prefix = "".join(self.prefixes)
        indent = " " * len(prefix) if prefix.endswith(("- ", ". ")) else prefix
        self.blocks.append((raw, prefix, indent, bool(self.pre)))

    def finish(self) -> tuple[Block, ...]:
        self._flush()
        return tuple(self.blocks)


class _Parser(HTMLParser):
    """Any fragment, read by the standard library (its <x/> calls both handlers)."""

    def __init__(self, blocks: _Blocks) -> None:
        super().__init__(convert_charrefs=True)
        self.reader = blocks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.reader.start(tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        self.reader.end(tag)

    def handle_data(self, data: str) -> None:
        self.reader.data(data)


def _layout(raw: str, prefix: str, indent: str, pre: bool, width: int | None) -> str:
    if pre:
        return "\n".join(indent + line for line in raw.strip("\n").split("\n"))
    lines: list[str] = []
    for part in raw.split("\n"):
        first = prefix if not lines else indent
        if width is None:
            lines.append(first + _words(part))
            continue
        lines.extend(_wrap_words(_words(part), first, indent) or [indent])
    return "\n".join(lines)


def _words(line: str) -> str:
    """" ".join(line.split()), without the split when line is that already (most are)."""
    # A printable string's only whitespace is " " (the others are controls or separators).
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


def html_to_text(fragment: str, wrap: bool = True) -> str:
    """Plain text of an HTML fragment: paragraphs wrapped at 72 columns, links as <url>.

    Without wrap, each paragraph is one line: for readers that flow text themselves
    (calendar apps show a hard-wrapped description with breaks mid-sentence).
    """
    return _html_to_text(str(fragment), WIDTH if wrap else None)


@functools.lru_cache(maxsize=256)
def _html_to_text(fragment: str, width: int | None) -> str:
    return "\n\n".join(_layout(*block, width) for block in _blocks(fragment))


# An event's body is converted for the email's text (wrapped) and again for its .ics file
# (unwrapped): parsing, the costly part, is done once for both. The few fragments of the
# issue being rendered are all a cache needs to hold.
@functools.lru_cache(maxsize=256)
def _blocks(fragment: str) -> tuple[Block, ...]:
    reader = _Blocks()
    pieces = TAG_SPLIT_RE.split(fragment)  # text, tag, text, ..., text
    # Every `<` must open a tag of the split, and every tag be one nh3 could have written.
    tags = _strict_tags(pieces[1::2]) if fragment.count("<") * 2 + 1 == len(pieces) else None
    if tags is None:
        parser = _Parser(reader)
        parser.feed(fragment)
        parser.close()
        return reader.finish()
    # As HTMLParser does: each run of text between tags is unescaped whole.
    start, end, data = reader.start, reader.end, reader.data
    if pieces[0]:
        data(unescape(pieces[0]))
    for (closing, name, attributes, self_closing), text in zip(tags, pieces[2::2], strict=True):
        if closing:
            end(name)
        else:
            start(name, attributes)
            if self_closing:
                end(name)
        if text:
            data(unescape(text))
    return reader.finish()


def _strict_tags(sources: list[str]) -> list[Tag] | None:
    """The tags read as HTMLParser reads them, or None if one is not in nh3's form."""
    tags = []
    for source in sources:
        tag = BARE_TAGS.get(source)
        if tag is None:
            match = STRICT_TAG_RE.fullmatch(source)
            if match is None:
                return None
            closing, name, attributes, self_closing = match.groups()
            name = name.lower()
            if name in RAW_TEXT or (closing and (attributes or self_closing)):
                return None
            # As HTMLParser: names lower-cased, the last of a repeated name kept, None for a
            # bare name, values unescaped.
            found = {attribute[1].lower(): attribute[2] and unescape(attribute[2])
                     for attribute in ATTRIBUTE_RE.finditer(attributes)}
            tag = (bool(closing), name, found, bool(self_closing))
        tags.append(tag)
    return tags


def wrap(text: str, indent: str = "") -> str:
    """Wrap one paragraph of plain text at 72 columns; indent the lines after the first."""
    return "\n".join(_wrap_words(_words(text), "", indent))


def _wrap_words(text: str, first: str, indent: str) -> list[str]:
    """Lines of at most WIDTH columns of text's words (single spaces between them, none
    around), filled greedily; a word longer than a line stands alone, unbroken. The same
    lines as textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=indent,
    break_long_words=False, break_on_hyphens=False), many times faster, which matters over
    a whole archive."""
    if max(len(first), len(indent)) >= WIDTH:  # textwrap's own error for a hopeless indent
        return textwrap.wrap(text, WIDTH, initial_indent=first,
                             subsequent_indent=indent, break_long_words=False,
                             break_on_hyphens=False)
    if not text:
        return []
    if len(first) + len(text) <= WIDTH:
        return [first + text]
    # The words hold no space, so a line is the longest run of whole words that fits
    # (the regex's greedy repeat backtracks to the last space in reach), or one long word.
    start = _line_re(WIDTH - len(first)).match(text)
    assert start is not None  # text starts with a word: one of the two branches matches
    rest = _line_re(WIDTH - len(indent)).findall(text, start.end())
    return [first + start[1], *[indent + line for line in rest]]


@functools.cache
def _line_re(room: int) -> re.Pattern[str]:
    """One line of at most room characters and the space after it (see _wrap_words)."""
    return re.compile(rf"(.{{1,{room}}}(?= |\Z)|[^ ]+) ?", re.DOTALL)


def underline(title: str, char: str = "-") -> str:
    return f"{title}\n{char * min(len(title), WIDTH)}"
