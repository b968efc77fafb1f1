"""HTML fragments to plain text for the text/plain part, laid out as a person would write
it: paragraphs re-flowed at 72 columns with links written out, lists indented by level
and tight where the Markdown's were, code indented and never wrapped, tables as columns,
footnotes as [1] with their notes after the text."""

from __future__ import annotations

import functools
import os
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import NamedTuple

from bulletin_gen.render.texttable import Cell, table_blocks

WIDTH = 72
CODE_INDENT = "    "
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul",
          "ol", "dl", "dt", "dd", "li", "hr"}
# Sub-headings are underlined: the introduction's own (`##`, an h2) as an item's title
# is, the levels below it (an item's headings start at h4) more lightly.
HEADING_RULES = {"h1": "-", "h2": "-", "h3": "~", "h4": "~", "h5": "~", "h6": "~"}
# The Markdown draws a task list item's box as a character (no email may hold an input).
TASK_BOXES = {"\u2610": "[ ]", "\u2611": "[x]", "\u2612": "[x]"}
STRUCK = ("del", "s", "strike")
THEMATIC_BREAK = "* * *"
# Python-Markdown's footnotes: `<a class="footnote-ref" href="#fn:1">` to `<li id="fn:1">`
# and `<a class="footnote-backref" href="#fnref:1">` back (`-` for `:` when so configured,
# an item's name before the number on a page of several bodies). Known by their class, or
# by their ids where a sanitiser took the classes out.
NOTE_RE = re.compile(r"fn[:-]")
NOTE_BACK_RE = re.compile(r"fnref\d*[:-]")


class Block(NamedTuple):
    """A paragraph, heading, code block or table, before it is laid out at a width."""

    text: str  # words, "\n" where a <br> breaks the line; for "lines", lines as they are
    first: str  # what its first line starts with: the indent and an item's mark
    rest: str  # what its other lines start with
    kind: str  # "text", "lines" (code and tables: never wrapped) or a heading's underline
    tight: bool  # on the line after the block before it: the items of a tight list


@dataclass
class _Level:
    """One level of indentation: a list item's mark ("- ", "2. ", "[1] ") or a quote's."""

    mark: str
    quote: bool = False
    shown: bool = False  # an item's mark is on its first line only

    @property
    def blank(self) -> str:
        return self.mark if self.quote else " " * len(self.mark)


@dataclass
class _List:
    number: int | None  # the last item's number; None for bullets
    root: int  # the outermost list it is in: a tight list's lines never run into another's
    notes: bool  # the footnotes, marked [1], [2]...


@dataclass
class _Link:
    href: str
    kind: str  # "link", "ref" (to a footnote) or "back" (from a note: dropped)
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Reads a fragment into Blocks, which _layout lays out at a width: one reading serves
    the email's text (wrapped) and a calendar's (unwrapped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.inline: list[str] = []
        self.levels: list[_Level] = []
        self.lists: list[_List] = []
        self.lists_seen = 0
        self.link: _Link | None = None
        self.heading = ""
        self.pre = 0
        self.paragraphs = 0  # open <p>s: a list whose items hold paragraphs is not tight
        self.divs: list[bool] = []  # for each open <div>, whether it holds the footnotes
        self.table: list[list[Cell]] | None = None
        self.header_rows = 0
        self.align: str | None = None  # the open cell's alignment; None between cells
        self.tight_root = 0  # the root list of the block before, when it was a tight item
        self.rule: Block | None = None  # an <hr>, written before the block after it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.table is not None:
            self._table_start(tag, attributes)
            return
        if tag in BLOCKS:
            self._flush()
        if tag in ("ul", "ol"):
            if not self.lists:
                self.lists_seen += 1
            start = attributes.get("start") or ""
            number = None if tag == "ul" else int(start) - 1 if start.isdigit() else 0
            self.lists.append(_List(number, self.lists_seen, any(self.divs)))
        elif tag == "li":
            if self.lists and NOTE_RE.match(attributes.get("id") or ""):
                self.lists[-1].notes = True
                self.rule = None
            self.levels.append(_Level(self._mark()))
        elif tag == "blockquote":
            self.levels.append(_Level("> ", quote=True))
        elif tag == "dd":
            self.levels.append(_Level(CODE_INDENT))
        elif tag == "p":
            self.paragraphs += 1
        elif tag == "pre":
            self.pre += 1
        elif tag in HEADING_RULES:
            self.heading = HEADING_RULES[tag]
        elif tag == "div":
            self.divs.append("footnote" in (attributes.get("class") or "").split())
        elif tag == "hr" and not any(self.divs):  # held: the line above footnotes goes
            indent = "".join(level.blank for level in self.levels)
            self.rule = Block(THEMATIC_BREAK, indent, indent, "text", False)
        elif tag == "table":
            self.table, self.header_rows = [], 0
        else:
            self._inline_tag(tag, attributes)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <br/>, <img/>: no end to wait for

    def handle_endtag(self, tag: str) -> None:
        if self.table is not None:
            self._table_end(tag)
            return
        if tag == "a":
            self._end_link()
            return
        if tag in STRUCK:
            self._text("~~")
        if tag in BLOCKS:
            self._flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("li", "blockquote", "dd") and self.levels:
            self.levels.pop()
        elif tag == "p":
            self.paragraphs = max(0, self.paragraphs - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag in HEADING_RULES:
            self.heading = ""
        elif tag == "div" and self.divs:
            self.divs.pop()

    def handle_data(self, data: str) -> None:
        # Outside <pre>, a line break of the source is a space: only <br> breaks a line.
        self._text(data if self.pre else data.replace("\n", " "))

    def _inline_tag(self, tag: str, attributes: dict[str, str | None]) -> None:
        if tag == "br":
            self._text("\n")
        elif tag in STRUCK:
            self._text("~~")
        elif tag == "a":
            href = attributes.get("href") or ""
            classes = (attributes.get("class") or "").split()
            target = href[1:] if href.startswith("#") else ""
            kind = ("ref" if "footnote-ref" in classes or NOTE_RE.match(target)
                    else "back" if "footnote-backref" in classes or NOTE_BACK_RE.match(target)
                    else "link")
            self.link = _Link(href, kind)
        elif tag == "img" and attributes.get("alt"):
            self._text(f"[{attributes['alt']}]")

    def _table_start(self, tag: str, attributes: dict[str, str | None]) -> None:
        """A tag inside a table: rows of cells of inline text, laid out at </table>."""
        assert self.table is not None
        if tag == "tr":
            self.table.append([])
        elif tag in ("td", "th"):
            self._flush_cell()
            style = (attributes.get("style") or "").replace(" ", "")
            self.align = attributes.get("align") or next(
                (side for side in ("left", "center", "right") if f"text-align:{side}" in style),
                "")
        else:
            self._inline_tag(tag, attributes)

    def _table_end(self, tag: str) -> None:
        assert self.table is not None
        if tag in ("td", "th"):
            self._flush_cell()
        elif tag == "thead":
            self.header_rows = len(self.table)
        elif tag == "a":
            self._end_link()
        elif tag in STRUCK:
            self._text("~~")
        elif tag == "table":
            self._flush_cell()
            rows, self.table = self.table, None
            room = WIDTH - len("".join(level.blank for level in self.levels))
            for text, kind in table_blocks(rows, self.header_rows, room):
                self.blocks.append(self._block(text, kind))

    def _flush_cell(self) -> None:
        text = " ".join("".join(self.inline).split())
        self.inline = []
        if self.table and self.align is not None:  # a cell is open
            self.table[-1].append(Cell(text, self.align))
        self.align = None

    def _text(self, text: str) -> None:
        (self.link.text if self.link is not None else self.inline).append(text)

    def _mark(self) -> str:
        if not self.lists:  # an <li> in no list
            self.lists_seen += 1
            self.lists.append(_List(None, self.lists_seen, False))
        current = self.lists[-1]
        if current.number is None:
            return "- "
        current.number += 1
        return f"[{current.number}] " if current.notes else f"{current.number}. "

    def _end_link(self) -> None:
        link, self.link = self.link, None
        if link is None or link.kind == "back":
            return
        label = " ".join("".join(link.text).split())
        href = link.href
        if link.kind == "ref":
            shown = f"[{label}]"
        elif href.startswith("mailto:"):
            address = href.removeprefix("mailto:")
            shown = label if address in label else f"{label} ({address})"
        elif not href or href.startswith("#") or href == label:
            shown = label  # a link within the page leads nowhere from the text
        elif href.split("://", 1)[-1] == label:  # www.example.org, linked: the whole URL
            shown = href
        else:
            shown = f"{label} <{href}>"
        self.inline.append(shown)

    def _flush(self) -> None:
        raw = "".join(self.inline)
        self.inline = []
        if not raw or raw.isspace():  # not raw.strip(), without the copy
            return
        if self.pre:  # without its blank first and last lines (spaces only count as blank)
            lines = raw.split("\n")
            while not lines[0].strip():
                lines.pop(0)
            while not lines[-1].strip():
                lines.pop()
            self.blocks.append(self._block("\n".join(lines), "lines", code=True))
        else:
            self.blocks.append(self._block(raw, self.heading or "text"))

    def _block(self, text: str, kind: str, code: bool = False) -> Block:
        if self.rule is not None:
            self.blocks.append(self.rule)
            self.rule = None
            self.tight_root = 0
        first = "".join(level.blank if level.shown else level.mark for level in self.levels)
        rest = "".join(level.blank for level in self.levels)
        item = self.levels[-1] if self.levels and not self.levels[-1].quote else None
        starts_item = item is not None and not item.shown
        if kind != "lines":
            text = text.strip()
            if starts_item and text[:1] in TASK_BOXES:
                text = TASK_BOXES[text[0]] + text[1:]
        if code:  # no mark beside code: every line indented alike
            first = rest = rest + CODE_INDENT
        for level in self.levels:
            level.shown = True
        # The items of a tight list (no <p> in them), and footnotes, one line after another.
        tight_root = 0
        if item is not None and self.lists:
            notes = self.lists[-1].notes
            if (notes and starts_item) or (not notes and kind == "text" and not self.paragraphs):
                tight_root = self.lists[0].root
        follows = tight_root != 0 and tight_root == self.tight_root
        self.tight_root = tight_root
        return Block(text, first, rest, kind, follows)

    def finish(self) -> tuple[Block, ...]:
        self.close()
        self._flush()
        return tuple(self.blocks)


def html_to_text(fragment: str, wrap: bool = True,
                 urls: Callable[[str], str] | None = None) -> str:
    """Plain text of an HTML fragment: paragraphs wrapped at 72 columns, links as <url>.

    Without wrap, each paragraph is one line: for readers that flow text themselves
    (calendar apps show a hard-wrapped description with breaks mid-sentence).
    urls: what to make of the URLs written out in a paragraph (the email's text tags
    them) before it is wrapped, so that a URL grown too long goes on a line of its own.
    """
    return _html_to_text(str(fragment), WIDTH if wrap else None, urls)


@functools.lru_cache(maxsize=256)
def _html_to_text(fragment: str, width: int | None,
                  urls: Callable[[str], str] | None) -> str:
    pieces: list[str] = []
    previous: Block | None = None
    for block in _blocks(fragment):
        if previous is not None:
            pieces.append("\n" if block.tight else "\n" + _between(previous, block) + "\n")
        if urls is not None and "://" in block.text:
            block = block._replace(text=urls(block.text))
        pieces.append(_layout(block, width))
        previous = block
    return "".join(pieces)


# An event's body is converted for the email's text (wrapped) and again for its .ics file
# (unwrapped): reading it, the costly part, is done once for both. The few fragments of
# the issue being rendered are all a cache needs to hold.
@functools.lru_cache(maxsize=256)
def _blocks(fragment: str) -> tuple[Block, ...]:
    reader = _Reader()
    reader.feed(fragment)
    return reader.finish()


def _between(previous: Block, block: Block) -> str:
    """The blank line between two blocks: inside a quote, a line of the quote's marks."""
    shared = os.path.commonprefix([previous.rest, block.first])
    return shared[:shared.rfind(">") + 1]


def _layout(block: Block, width: int | None) -> str:
    text, first, rest, kind, _ = block
    if kind == "lines":
        return "\n".join(((rest if number else first) + line).rstrip()
                         for number, line in enumerate(text.split("\n")))
    lines: list[str] = []
    for part in text.split("\n"):
        lead = first if not lines else rest
        if width is None:
            lines.append(lead + _words(part))
        else:
            lines.extend(_wrap_words(_words(part), lead, rest) or [lead.rstrip()])
    if kind != "text":  # a heading, underlined as long as its longest line
        longest = max(len(line) for line in lines) - len(rest)
        lines.append(rest + kind * min(longest, WIDTH - len(rest)))
    return "\n".join(lines)


def _words(line: str) -> str:
    """" ".join(line.split()), without the split when line is that already (most are)."""
    # A printable string's only whitespace is " " (the others are controls or separators).
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


def wrap(text: str, indent: str = "") -> str:
    """Wrap one paragraph of plain text at 72 columns; indent the lines after the first."""
    return "\n".join(_wrap_words(_words(text), "", indent))


def _wrap_words(text: str, first: str, indent: str) -> list[str]:
    """Lines of at most WIDTH columns of text's words (single spaces between them, none
    around), filled greedily; a word longer than a line (a long URL) stands alone,
    unbroken. The same lines as textwrap.wrap(text, WIDTH, initial_indent=first,
    subsequent_indent=indent, break_long_words=False, break_on_hyphens=False), many times
    faster, which matters over a whole archive."""
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
    """A title, wrapped at 72 columns, and a line of char under it as long as its longest."""
    lines = _wrap_words(_words(title), "", "") or [""]
    return "\n".join([*lines, char * max(len(line) for line in lines)])
