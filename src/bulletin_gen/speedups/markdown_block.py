"""Python-Markdown's block parser, not trying a block processor on a block it cannot match.

For every block of a document (the text between blank lines) BlockParser.parseBlocks
asks each of its seventeen block processors in turn whether the block is theirs, most
of them by a regular-expression search over the whole block (a header needs a line
starting with `#`, a quote a `>`, a table a `|`), four of them (footnotes,
abbreviations, link references, `markdown="1"` HTML) by taking the block out, searching
it and putting it back; a paragraph of prose goes through all of them. Here each
processor has, where one could be read off its code, a necessary condition that costs
one or two substring tests: the characters the block must start with, or strings one
of which the block (after a newline, so that its first line starts like the others)
must hold. A block that fails it passes the processor by, exactly as when its test says
no. The HTML is the same (tests compare it with the library's own parser's); on the
bodies of a large archive the block parser takes about a fifth of the time it did.

A condition holds only for the code it was read from, so a processor keeps its own
only while it is of exactly that class and its regular expressions are the ones read,
and the guarded loop (a copy of BlockParser.parseBlocks) runs only while that loop and
the known processors' methods are the source read (bulletin_gen.speedups checks their
fingerprints). Otherwise (another markdown, an extension's processor) the library's own
loop runs (see install).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from xml.etree import ElementTree as etree

import markdown
from markdown import blockprocessors as bp
from markdown import util
from markdown.blockparser import BlockParser
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.def_list import DefListIndentProcessor, DefListProcessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.extensions.md_in_html import MarkdownInHtmlProcessor
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor
from markdown.extensions.tables import TableProcessor

from bulletin_gen import speedups


class Known(NamedTuple):
    """What a processor's condition was read from, and the condition."""

    # Regular expressions (attribute of the processor -> pattern, flags) it searches with.
    patterns: dict[str, tuple[str, int]]
    # The block starts with one of these characters (an empty block passes as well)...
    starts: str | None = None
    # ... and "\n" + block holds one of these strings. None: no condition.
    needles: tuple[str, ...] | None = None


# Worked out from Markdown 3.11.3; each comment says why the block must pass the
# condition for test() to be true (or, where test() is always true, for run() to be
# anything but "no" with the blocks left as they were).
KNOWN: dict[type, Known] = {
    # run() takes the block only when it starts with a stashed-HTML placeholder (STX).
    MarkdownInHtmlProcessor: Known({}, starts=util.STX),
    # test(): the block is empty or starts with a newline.
    bp.EmptyBlockProcessor: Known({}, starts="\n"),
    # test(): the block starts with tab_length (at least one) spaces.
    bp.ListIndentProcessor: Known({}, starts=" "),
    DefListIndentProcessor: Known({}, starts=" "),
    bp.CodeBlockProcessor: Known({}, starts=" "),
    # test(): without a `|` the header row is one cell and has no border: no table.
    TableProcessor: Known(
        {"RE_END_BORDER": (r"(?<!\\)(?:\\\\)*\|$", 32)}, needles=("|",)),
    # test(): a `#` at the start of the block or of a line.
    bp.HashHeaderProcessor: Known(
        {"RE": (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
                32)}, needles=("\n#",)),
    # test(): the first line is followed by a line of `=` or `-`.
    bp.SetextHeaderProcessor: Known(
        {"RE": (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", 40)}, needles=("\n=", "\n-")),
    # test(): a line starting with `-`, `_` or `*` after up to three spaces.
    bp.HRProcessor: Known(
        {"SEARCH_RE": (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|"
                       r"(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$", 40)},
        needles=("\n-", "\n_", "\n*", "\n ")),
    # test() matches a space or a digit at the start, any Unicode digit: no cheap condition.
    SaneOListProcessor: Known(
        {"RE": (r"^[ ]{0,3}\d+\.[ ]+(.*)", 32)}),
    # test(): the block starts with a space or a bullet.
    SaneUListProcessor: Known(
        {"RE": (r"^[ ]{0,3}[*+-][ ]+(.*)", 32)}, starts=" *+-"),
    # test(): a `:` at the start of the block or of a line, after up to three spaces.
    DefListProcessor: Known(
        {"RE": (r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", 32)}, needles=("\n:", "\n ")),
    # test(): a `>`.
    bp.BlockQuoteProcessor: Known(
        {"RE": (r"(^|\n)[ ]{0,3}>[ ]?(.*)", 32)}, needles=(">",)),
    # run() puts the block back untouched unless it holds `[^`.
    FootnoteBlockProcessor: Known(
        {"RE": (r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", 40)}, needles=("[^",)),
    # run() puts the block back untouched unless it holds `*[`.
    AbbrBlockprocessor: Known(
        {"RE": (r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", 40)},
        needles=("*[",)),
    # run() puts the block back untouched unless it holds `]:`.
    bp.ReferenceProcessor: Known(
        {"RE": (r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?'
                r'((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$', 40)}, needles=("]:",)),
    # Takes every block.
    bp.ParagraphProcessor: Known({}),
}
def condition(processor: Any) -> tuple[str | None, tuple[str, ...] | None] | None:
    """The (starts, needles) condition of a processor, or None when none is known to
    hold for it (its class or a regular expression is not the one read, or the code of
    the known processors not as fingerprinted)."""
    known = KNOWN.get(type(processor))
    if known is None or processor.tab_length < 1 or not speedups.active("markdown_block"):
        return None
    for attribute, (pattern, flags) in known.patterns.items():
        regex = getattr(processor, attribute, None)
        if not isinstance(regex, re.Pattern) or (regex.pattern, regex.flags) != (pattern, flags):
            return None
    if type(processor) is MarkdownInHtmlProcessor and \
            util.HTML_PLACEHOLDER_RE.pattern != util.STX + "wzxhzdk:([0-9]+)" + util.ETX:
        return None
    return known.starts, known.needles


Guard = tuple[Any, "str | None", "tuple[str, ...] | None"]


class Plan(NamedTuple):
    """How the guarded loop goes through the processors."""

    guards: list[Guard]  # each processor, in order, with its condition
    later: list[int]  # from each position, the next processor without a condition
    any_start: str  # every character some condition lets a block start with
    any_needle: re.Pattern[str] | None  # a search for every string some condition wants


def plan(processors: list[Any]) -> Plan | None:
    """The plan for these processors; None if one of them has no condition known."""
    guards: list[Guard] = []
    for processor in processors:
        found = condition(processor)
        if found is None:
            return None
        guards.append((processor, *found))
    later = [len(guards)] * (len(guards) + 1)
    for index in reversed(range(len(guards))):
        _, starts, needles = guards[index]
        later[index] = index if starts is None and needles is None else later[index + 1]
    every_start = sorted({start for _, starts, _ in guards for start in starts or ""})
    every_needle = sorted({needle for _, _, needles in guards for needle in needles or ()})
    any_needle = re.compile("|".join(map(re.escape, every_needle))) if every_needle else None
    return Plan(guards, later, "".join(every_start), any_needle)


class GuardedBlockParser(BlockParser):
    """BlockParser whose loop passes a processor by on a block it cannot take."""

    _plan_for: list[Any] | None = None
    _plan: Plan | None = None

    def parseBlocks(self, parent: etree.Element, blocks: list[str]) -> None:  # noqa: N802
        # The library reads the processors again for each block; none of the known
        # ones adds or removes one while parsing, so once a call is the same.
        processors = list(self.blockprocessors)
        if processors != self._plan_for:
            self._plan_for, self._plan = processors, plan(processors)
        if self._plan is None:
            return super().parseBlocks(parent, blocks)
        guards, later, any_start, any_needle = self._plan
        count = len(guards)
        while blocks:
            block: str | None = None
            index = 0
            while index < count:
                if block is None:  # (again after a processor said no after all, as the
                    block = blocks[0]  # library reads the block again before each test)
                    lined = "\n" + block
                    # A block that meets no condition (a paragraph of prose, mostly) goes
                    # straight to the processors that have none.
                    plain = block[:1] not in any_start and (
                        any_needle is None or any_needle.search(lined) is None)
                if plain:
                    index = later[index]
                    if index == count:
                        break
                processor, starts, needles = guards[index]
                index += 1
                if starts is not None and block[:1] not in starts:
                    continue
                if needles is not None:
                    for needle in needles:
                        if needle in lined:
                            break
                    else:
                        continue
                if processor.test(parent, block):
                    if processor.run(parent, blocks) is not False:
                        # run returns True or None
                        break
                    block = None
        return None


def install(md: markdown.Markdown) -> None:
    """Make md's block parser a guarded one, if its loop is the one copied above and the
    processors' code the one read; otherwise leave the library's own. Conditions are
    worked out at first use."""
    if type(md.parser) is not BlockParser or not speedups.active("markdown_block"):
        return
    md.parser.__class__ = GuardedBlockParser
