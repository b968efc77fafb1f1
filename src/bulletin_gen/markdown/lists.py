"""Lists as GitHub nests them, for Python-Markdown, which nests only by four spaces.

GitHub (CommonMark) nests a line under a list item when it is indented at least to
where that item's text starts: two spaces under `- `, three under `1. `, four under
`10. `, or more. Python-Markdown nests by exactly four spaces a level and needs a blank
line before a list that follows a paragraph. This preprocessor rewrites the list
lines of a document the way Python-Markdown reads them: each item's marker four spaces
a level, each line belonging to an item four spaces past its marker (what lies further
in, such as a code block in an item, keeps its extra indentation), and a blank line
before a list that interrupts a paragraph. Lines outside lists, and fenced code outside
lists, are left as they are; fenced code in an item becomes an indented code block,
the one kind Python-Markdown reads there.

Neither mdx_truly_sane_lists nor any other Python-Markdown extension does this: they
nest by one fixed width (two spaces, say), so that four-space nesting, which
Python-Markdown itself reads, breaks (see tests/test_gfm.py).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from markdown.preprocessors import Preprocessor

# A list marker as Python-Markdown reads one (`1)` is not one there), then the text.
MARKER_RE = re.compile(r"( *)([*+-]|\d{1,9}\.)(?:( +)(.*)|$)")
RULE_RE = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")
FENCE_RE = re.compile(r"( *)(`{3,}|~{3,})")
# Something that could start a list: a marker at a line's start. Without one, a
# document has no list to rewrite.
# Searched for in "\n" + text, so that the search skips from newline to newline.
ANY_MARKER_RE = re.compile(r"\n *(?:[*+-]|\d{1,9}\.)(?: |\n|$)")
TAB = 4  # Python-Markdown's tab_length


class Open(NamedTuple):
    """A list item still open: where its text starts in the source and in the output."""

    source: int
    output: int


class Fence(NamedTuple):
    """Fenced code the lines are in: its closing fence, its item, its fence's indent."""

    closing: str
    owner: Open | None
    indent: int


class GithubListsPreprocessor(Preprocessor):
    """Re-indent list lines so that Python-Markdown nests them as GitHub does."""

    def run(self, lines: list[str]) -> list[str]:
        if nothing_to_change("\n" + "\n".join(lines)):
            return lines
        return reindent(lines)


def nothing_to_change(text: str) -> bool:
    """Whether text ("\n" + the document) has no list Python-Markdown reads otherwise
    than GitHub: none at all, or lists with no line indented (nothing nested, no item
    of several paragraphs, no code in one), each after a blank line or a heading."""
    if "\n " in text or "```" in text or "~~~" in text:
        return ANY_MARKER_RE.search(text) is None
    for match in ANY_MARKER_RE.finditer(text):
        start = match.start()  # the newline before the marker's line
        end = text.find("\n", start + 1)
        marker = MARKER_RE.fullmatch(text[start + 1:end if end >= 0 else len(text)])
        if marker is None or not (marker.group(4) or "").strip():
            return False  # an empty item, which reindent writes as one
        before = text[text.rfind("\n", 0, start) + 1:start]
        if before.strip() and not _block_start(before) and MARKER_RE.fullmatch(before) is None:
            return False  # a list interrupting a paragraph
    return True


def reindent(lines: list[str]) -> list[str]:
    """The lines of a document with its lists nested four spaces a level."""
    out: list[str] = []
    stack: list[Open] = []
    fence: Fence | None = None  # the fenced code the lines are in
    previous = "blank"  # the line before: "blank", "item" (a marker), "text" or "other"
    parted = False  # whether a blank line came between lines of the open list
    for line in lines:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if fence is not None:
            closing = stripped.startswith(fence.closing) and \
                not stripped.strip(fence.closing[0]).strip()
            if fence.owner is None:
                out.append(line)
            elif not closing:  # code, as an indented code block of the item
                column = fence.owner.output + TAB + max(0, indent - fence.indent)
                out.append(" " * column + stripped if stripped else "")
            if closing:
                if fence.owner is not None:
                    out.append("")  # what follows is not code
                fence = None
                previous = "blank" if out[-1] == "" else "other"
            continue
        if not stripped:
            out.append("")
            previous = "blank"
            parted = bool(stack)
            continue
        marker = MARKER_RE.fullmatch(line)
        if marker is not None and RULE_RE.match(line):
            marker = None
        if marker is not None and stack and indent >= stack[-1].source + TAB:
            marker = None  # deeper than an item's text by a code block's indent: text
        if marker is not None and not stack and indent >= TAB:
            marker = None  # an indented code block
        if marker is not None and marker.group(4) is None and previous == "text":
            marker = None  # an empty item cannot interrupt a paragraph
        if marker is not None:
            in_list = bool(stack)
            while stack and indent < stack[-1].source:
                stack.pop()
            if previous != "blank" and (not in_list and previous == "text" or in_list and parted):
                # GitHub's list may interrupt a paragraph, and an item a loose item's
                # paragraph; Python-Markdown needs a blank line (the list is loose anyway).
                out.append("")
            if not in_list:
                parted = False
            spaces = marker.group(3) or " "
            start = indent + len(marker.group(2))
            source = start + (len(spaces) if len(spaces) <= TAB else 1)
            column = stack[-1].output if stack else 0
            text = marker.group(4) or ""
            if len(spaces) > TAB:  # text starting with a code block's indent
                text = " " * (len(spaces) - 1) + text
            out.append(" " * column + marker.group(2) + " " + text)
            stack.append(Open(source, column + TAB))
            previous = "item"
            continue
        if stack and previous == "blank":
            while stack and indent < stack[-1].source:
                stack.pop()
        owner = stack[-1] if stack else None
        if owner is not None and indent < owner.source:
            if FENCE_RE.match(stripped) or _block_start(stripped):
                # A fence, heading, quote or rule is never a lazy line: the list ends.
                while stack and indent < stack[-1].source:
                    stack.pop()
                owner = stack[-1] if stack else None
            else:
                # A lazy line, continuing the paragraph of the deepest item.
                line, indent = " " * owner.source + stripped, owner.source
        opened = FENCE_RE.match(line)
        if opened is not None and indent - (owner.source if owner else 0) < TAB:
            fence = Fence(opened.group(2), owner, indent)
            if owner is None:
                out.append(line)
            elif out and out[-1]:
                # Python-Markdown reads fences only at a line's start: in an item, the
                # code goes in as an indented code block, after a blank line. (Its
                # language goes too: a class, which the sanitiser drops anyway.)
                out.append("")
            previous = "other"
            continue
        out.append(_moved(line, indent, owner))
        previous = "text" if not _block_start(stripped) else "other"
    return out


def _moved(line: str, indent: int, owner: Open | None) -> str:
    """line, belonging to owner, at owner's output column plus what lies further in."""
    if owner is None:
        return line
    return " " * (owner.output + max(0, indent - owner.source)) + line.lstrip(" ")


def _block_start(stripped: str) -> bool:
    # After a heading, a quote or a rule, a list needs no blank line in either reading.
    return stripped.startswith(("#", ">")) or RULE_RE.match(stripped) is not None
