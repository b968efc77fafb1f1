"""Refuse Markdown that would make Python-Markdown crawl for minutes or overflow its stack.

Measured with Markdown 3.11: the link and autolink patterns take time quadratic in
the number of unclosed `[` or `<` in a block (50,000 `[` took 351 s, 4,000 `[[`
6 s), abbreviations quadratic in their number (5,000 took 8 s), and deep lists,
`markdown="1"` blocks or long definition lists exhaust Python's recursion limit;
and premailer's lxml silently cuts an email off at 256 levels of nesting.
A bulletin item never needs anywhere near these limits; a pasted file might.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MAX_BRACKETS = 1_000
MAX_ANGLES = 3_000
MAX_ABBREVIATIONS = 200
MAX_INDENT = 200  # columns: 50 levels of nested list
ABBREVIATION_RE = re.compile(r"^\*\[", re.MULTILINE)
# premailer's lxml stops at 256 levels; the email's own layout takes about 20 of them.
MAX_NESTING = 100
TAG_RE = re.compile(r"<(/)?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/)?>")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}
# A line indented more than MAX_INDENT columns starts with more than MAX_INDENT / 4
# whitespace characters (a tab is four columns at most, any other one): where no line
# starts so, none need measuring. (\s is what str.isspace and so lstrip take.) Searched
# for in "\n" + text, so that every line starts after a newline: a search starting
# with a plain character skips quickly to where it may match.
DEEP_INDENT_RE = re.compile(rf"\n\s{{{MAX_INDENT // 4 + 1}}}")


class MarkdownTooComplex(ValueError):
    """A body the Markdown parser cannot handle in reasonable time or stack."""

    def __init__(self, line_offset: int, message: str) -> None:
        super().__init__(message)
        self.line_offset = line_offset  # 0 for the body's first line


def check_markdown(text: str) -> None:
    """Raise MarkdownTooComplex for a body past the limits above, at the line it passes them."""
    for character, limit, what in (("[", MAX_BRACKETS, "'[' characters"),
                                    ("<", MAX_ANGLES, "'<' characters")):
        if text.count(character) > limit:
            position = _nth(text, character, limit + 1)
            raise MarkdownTooComplex(text.count("\n", 0, position),
                                     f"more than {limit:,} {what} in one body: Markdown would "
                                     "take minutes over it; split the item or write it plainly")
    abbreviations = list(ABBREVIATION_RE.finditer(text)) if "*[" in text else []
    if len(abbreviations) > MAX_ABBREVIATIONS:
        position = abbreviations[MAX_ABBREVIATIONS].start()
        raise MarkdownTooComplex(text.count("\n", 0, position),
                                 f"more than {MAX_ABBREVIATIONS} abbreviations (*[...]:) in "
                                 "one body")
    if DEEP_INDENT_RE.search("\n" + text) is None:
        return
    for offset, line in enumerate(text.split("\n")):
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT and line.strip():
            raise MarkdownTooComplex(offset, f"indented more than {MAX_INDENT} columns: "
                                     "lists nest 50 levels deep at most")


def render_checked(render: Callable[[str], str], text: str) -> str:
    """Render text with render after check_markdown; refuse output nested too deeply.

    A stack overflow in the parser becomes the same error; so does HTML nested past
    MAX_NESTING, which premailer's lxml would otherwise cut off, footer and all.
    """
    check_markdown(text)
    try:
        html = render(text)
    except RecursionError:
        raise MarkdownTooComplex(0, "too deeply nested for the Markdown parser (lists, quotes, "
                                 "definition lists or markdown=\"1\" blocks)") from None
    # Each level is an opening tag, a `<` not followed by `/`: HTML with no more of
    # those than the limit cannot pass it, and need not be read tag by tag.
    if html.count("<") - html.count("</") > MAX_NESTING and nesting_depth(html) > MAX_NESTING:
        raise MarkdownTooComplex(0, f"nested more than {MAX_NESTING} levels deep (quotes, "
                                 "lists or HTML): the email would be cut off")
    return html


def nesting_depth(html: str) -> int:
    """How deeply the elements of well-formed HTML (as nh3 writes it) nest."""
    depth = deepest = 0
    for match in TAG_RE.finditer(html):
        if match.group(1):
            depth -= 1
        elif match.group(2).lower() not in VOID_ELEMENTS and not match.group(3):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _nth(text: str, character: str, count: int) -> int:
    position = -1
    for _ in range(count):
        position = text.index(character, position + 1)
    return position
