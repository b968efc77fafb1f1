"""HTML fragments to plain text for the text/plain part: wrapped, links written out."""

from __future__ import annotations

import functools
import textwrap
from html.parser import HTMLParser

WIDTH = 72
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
          "ul", "ol", "dl"}


class _TextWriter(HTMLParser):
    """Reads a fragment into blocks (text, first-line prefix, indent, preformatted), which
    blocks_to_text then lays out at a width: one parse serves both widths."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, str, bool]] = []
        self.current: list[str] = []
        self.prefixes: list[str] = []
        self.list_counters: list[int | None] = []
        self.link: str | None = None
        self.link_text: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
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

    def handle_endtag(self, tag: str) -> None:
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

    def handle_data(self, data: str) -> None:
        target = self.link_text if self.link is not None else self.current
        target.append(data)

    def _flush(self) -> None:
        raw = "".join(self.current)
        self.current = []
        if not raw.strip():
            return
        prefix = "".join(self.prefixes)
        indent = " " * len(prefix) if prefix.endswith(("- ", ". ")) else prefix
        self.blocks.append((raw, prefix, indent, bool(self.pre)))

    def finish(self) -> tuple[tuple[str, str, str, bool], ...]:
        self._flush()
        return tuple(self.blocks)


def _layout(raw: str, prefix: str, indent: str, pre: bool, width: int | None) -> str:
    if pre:
        return "\n".join(indent + line for line in raw.strip("\n").split("\n"))
    lines: list[str] = []
    for part in raw.split("\n"):
        first = prefix if not lines else indent
        if width is None:
            lines.append(first + " ".join(part.split()))
            continue
        lines.extend(_wrap_words(part.split(), first, indent) or [indent])
    return "\n".join(lines)


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
def _blocks(fragment: str) -> tuple[tuple[str, str, str, bool], ...]:
    writer = _TextWriter()
    writer.feed(fragment)
    writer.close()
    return writer.finish()


def wrap(text: str, indent: str = "") -> str:
    """Wrap one paragraph of plain text at 72 columns; indent the lines after the first."""
    return "\n".join(_wrap_words(text.split(), "", indent))


def _wrap_words(words: list[str], first: str, indent: str) -> list[str]:
    """Lines of at most WIDTH columns, filled greedily; a word longer than a line stands
    alone, unbroken. The same lines as textwrap.wrap(" ".join(words), WIDTH,
    initial_indent=first, subsequent_indent=indent, break_long_words=False,
    break_on_hyphens=False), several times faster, which matters over a whole archive."""
    if max(len(first), len(indent)) >= WIDTH:  # textwrap's own error for a hopeless indent
        return textwrap.wrap(" ".join(words), WIDTH, initial_indent=first,
                             subsequent_indent=indent, break_long_words=False,
                             break_on_hyphens=False)
    lines: list[str] = []
    current: list[str] = []
    length = 0
    room = WIDTH - len(first)
    for word in words:
        if current and length + 1 + len(word) > room:
            lines.append((indent if lines else first) + " ".join(current))
            current, length, room = [], 0, WIDTH - len(indent)
        length += len(word) + (1 if current else 0)
        current.append(word)
    if current:
        lines.append((indent if lines else first) + " ".join(current))
    return lines


def underline(title: str, char: str = "-") -> str:
    return f"{title}\n{char * min(len(title), WIDTH)}"
