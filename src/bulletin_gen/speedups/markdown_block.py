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
only while it is of exactly that class, its regular expressions are the ones read and
its methods the source read (a fingerprint of each); the parser's loop itself is a
copy of BlockParser.parseBlocks, used only while that is unchanged too. Otherwise
(another markdown, an extension's processor) the library's own loop runs (see install).
"""

from __future__ import annotations

import hashlib
import linecache
import re
from collections.abc import Callable
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


class Known(NamedTuple):
    """What a processor's condition was read from, and the condition."""

    # Regular expressions (attribute of the processor -> pattern, flags) it searches with.
    patterns: dict[str, tuple[str, int]]
    # Its methods whose code the condition rests on -> fingerprint of their source.
    methods: dict[str, str]
    # The block starts with one of these characters (an empty block passes as well)...
    starts: str | None = None
    # ... and "\n" + block holds one of these strings. None: no condition.
    needles: tuple[str, ...] | None = None


# Worked out from Markdown 3.11.3; each comment says why the block must pass the
# condition for test() to be true (or, where test() is always true, for run() to be
# anything but "no" with the blocks left as they were).
KNOWN: dict[type, Known] = {
    # run() takes the block only when it starts with a stashed-HTML placeholder (STX).
    MarkdownInHtmlProcessor: Known(
        {}, {"test": "e91df718576d", "run": "db4eb8da10b7"}, starts=util.STX),
    # test(): the block is empty or starts with a newline.
    bp.EmptyBlockProcessor: Known(
        {}, {"test": "6bd30cdb0213", "run": "f0a0947cf950"}, starts="\n"),
    # test(): the block starts with tab_length (at least one) spaces.
    bp.ListIndentProcessor: Known(
        {}, {"test": "8e16392c34a3", "run": "82263ec31659"}, starts=" "),
    DefListIndentProcessor: Known(
        {}, {"test": "8e16392c34a3", "run": "82263ec31659"}, starts=" "),
    bp.CodeBlockProcessor: Known(
        {}, {"test": "2bcd68363687", "run": "05cb3b31dbe9"}, starts=" "),
    # test(): without a `|` the header row is one cell and has no border: no table.
    TableProcessor: Known(
        {"RE_END_BORDER": (r"(?<!\\)(?:\\\\)*\|$", 32)},
        {"test": "399019a4927e", "run": "0e0ce219913a", "_split_row": "f3734f59a55d",
         "_split": "d211f03a810f"}, needles=("|",)),
    # test(): a `#` at the start of the block or of a line.
    bp.HashHeaderProcessor: Known(
        {"RE": (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
                32)},
        {"test": "b05b7970153b", "run": "93bba27a9e36"}, needles=("\n#",)),
    # test(): the first line is followed by a line of `=` or `-`.
    bp.SetextHeaderProcessor: Known(
        {"RE": (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", 40)},
        {"test": "f4517c337dec", "run": "c77114865c9c"}, needles=("\n=", "\n-")),
    # test(): a line starting with `-`, `_` or `*` after up to three spaces.
    bp.HRProcessor: Known(
        {"SEARCH_RE": (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|"
                       r"(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$", 40)},
        {"test": "d97db1d673f1", "run": "4f6e77e2f6b0"}, needles=("\n-", "\n_", "\n*", "\n ")),
    # test() matches a space or a digit at the start, any Unicode digit: no cheap condition.
    SaneOListProcessor: Known(
        {"RE": (r"^[ ]{0,3}\d+\.[ ]+(.*)", 32)}, {"test": "f4517c337dec", "run": "575c5c9045d5"}),
    # test(): the block starts with a space or a bullet.
    SaneUListProcessor: Known(
        {"RE": (r"^[ ]{0,3}[*+-][ ]+(.*)", 32)}, {"test": "f4517c337dec", "run": "575c5c9045d5"},
        starts=" *+-"),
    # test(): a `:` at the start of the block or of a line, after up to three spaces.
    DefListProcessor: Known(
        {"RE": (r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", 32)},
        {"test": "b05b7970153b", "run": "6fd06d578c29"}, needles=("\n:", "\n ")),
    # test(): a `>`.
    bp.BlockQuoteProcessor: Known(
        {"RE": (r"(^|\n)[ ]{0,3}>[ ]?(.*)", 32)},
        {"test": "342a21ffb26b", "run": "35917c91f020"}, needles=(">",)),
    # run() puts the block back untouched unless it holds `[^`.
    FootnoteBlockProcessor: Known(
        {"RE": (r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", 40)},
        {"test": "889d3dacebfb", "run": "62765fec9d33"}, needles=("[^",)),
    # run() puts the block back untouched unless it holds `*[`.
    AbbrBlockprocessor: Known(
        {"RE": (r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", 40)},
        {"test": "889d3dacebfb", "run": "b56be8a6fce5"}, needles=("*[",)),
    # run() puts the block back untouched unless it holds `]:`.
    bp.ReferenceProcessor: Known(
        {"RE": (r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?'
                r'((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$', 40)},
        {"test": "889d3dacebfb", "run": "03ec47f76da0"}, needles=("]:",)),
    # Takes every block.
    bp.ParagraphProcessor: Known({}, {"test": "889d3dacebfb", "run": "dcbfb56bcd32"}),
}
PARSE_BLOCKS = "1737e188f149"  # fingerprint of the BlockParser.parseBlocks copied below


def fingerprint(function: Callable[..., Any]) -> str:
    """A short hash of a function's source lines; "" when its source cannot be read."""
    code = function.__code__
    last = max((end for _, end, _, _ in code.co_positions() if end is not None),
               default=code.co_firstlineno)
    lines = linecache.getlines(code.co_filename)[code.co_firstlineno - 1: last]
    if not lines:
        return ""
    return short_digest("".join(lines))


def short_digest(text: str) -> str:
    """The first 12 hex digits of text's SHA-256: what a recorded fingerprint holds."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def unchanged(methods: dict[tuple[type, str], str]) -> bool:
    """Whether each (class, method name) is still defined on that class itself, with the
    source whose fingerprint is recorded."""
    return all(name in cls.__dict__ and fingerprint(cls.__dict__[name]) == expected
               for (cls, name), expected in methods.items())


def condition(processor: Any) -> tuple[str | None, tuple[str, ...] | None] | None:
    """The (starts, needles) condition of a processor, or None when none is known to
    hold for it (its class, a regular expression or a method is not the one read)."""
    known = KNOWN.get(type(processor))
    if known is None or processor.tab_length < 1:
        return None
    for attribute, (pattern, flags) in known.patterns.items():
        regex = getattr(processor, attribute, None)
        if not isinstance(regex, re.Pattern) or (regex.pattern, regex.flags) != (pattern, flags):
            return None
    for name, expected in known.methods.items():
        method = getattr(type(processor), name, None)
        if method is None or fingerprint(method) != expected:
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
    """Make md's block parser a guarded one, if its loop is the one copied above;
    otherwise leave the library's own. Conditions are worked out at first use."""
    if type(md.parser) is not BlockParser or fingerprint(BlockParser.parseBlocks) != PARSE_BLOCKS:
        return
    md.parser.__class__ = GuardedBlockParser
