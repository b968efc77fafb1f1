"""Python-Markdown's preprocessors and some tree steps, passed by where they change nothing.

Before parsing, Python-Markdown runs the whole document through three preprocessors:
one normalises whitespace (a regular-expression substitution tried at every character
for lines holding only spaces), one looks for fenced code (a search over the whole
text), and md_in_html feeds the text to an HTML parser. A body with no line starting
with a space, no fence and no `<` or `&` (most bulletin items) comes out of the last
two exactly as it went in, and out of the first without the substitution changing
anything. After parsing, attr_list searches the text of every element for `{...}`,
which cannot be there without a `{`, and the last step restores escaped characters,
of which there are none without an STX. Here each is skipped where that is so; the
HTML is the same (tests compare it with the library's own), in about a fifth less
Markdown time.

As in mdblock.py, a processor is replaced only while it is of exactly the class read
and the code read is unchanged (a fingerprint of each method, the standard library's
HTML parser included); otherwise the library's own stays (see install).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import markdown
from markdown import htmlparser, util
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.md_in_html import HtmlBlockPreprocessor, HTMLExtractorExtra
from markdown.preprocessors import NormalizeWhitespace
from markdown.treeprocessors import UnescapeTreeprocessor

from bulletin_gen.speedups.markdown_block import short_digest, unchanged

_SPACES_LINE_RE = re.compile(r"(?<=\n) +\n")


class GuardedNormalizeWhitespace(NormalizeWhitespace):
    # The library's run, with its substitution made only where it can match: it needs
    # a line starting with a space.
    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if "\n " in source:
            source = _SPACES_LINE_RE.sub("\n", source)
        return source.split("\n")


class GuardedFencedBlockPreprocessor(FencedBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        # A fence is three backticks or tildes: without them the library's run finds
        # none and gives the lines back joined and split again, the same. (On its first
        # call it also notes the loaded extensions, which only a fence uses.)
        text = "\n".join(lines)
        if "```" not in text and "~~~" not in text:
            return lines
        return super().run(lines)


class GuardedHtmlBlockPreprocessor(HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        # Without a `<` or `&` the HTML parser's one search for either finds nothing,
        # it hands the whole text to handle_data as it is, and that keeps it: the
        # library's run gives back the lines joined and split again, the same.
        source = "\n".join(lines)
        if "<" not in source and "&" not in source:
            return lines
        return super().run(lines)


class GuardedAttrListTreeprocessor(AttrListTreeprocessor):
    def run(self, doc: Any) -> None:
        # The library's run changes an element only where one of its three regular
        # expressions, each needing a `{`, matches the text or tail of one.
        for element in doc.iter():
            text, tail = element.text, element.tail
            if (text and "{" in text) or (tail and "{" in tail):
                return super().run(doc)
        return None


class GuardedUnescapeTreeprocessor(UnescapeTreeprocessor):
    def run(self, root: Any) -> None:
        # The library's run puts every text, tail and attribute value through a
        # substitution of STX digits ETX (an escaped character): without an STX it gives
        # back an equal string (a str where it was an AtomicString, which the serializer,
        # the one reader after this last tree step, writes alike).
        # (A value that is not a string goes to the library too, to fail as it does.)
        stx = util.STX
        for element in root.iter():
            text, tail = element.text, element.tail
            if (text and stx in text) or (tail and stx in tail) or any(
                    value is not None and (not isinstance(value, str) or stx in value)
                    for _, value in element.items()):
                super().run(root)
                return


# markdown's copy of html.parser's HTMLParser, which its own subclasses.
_HTML_PARSER: Any = htmlparser._HTMLParser.__bases__[0]  # type: ignore[attr-defined]
# (registry, name) in md -> (library class, guarded class, the code each guard was
# read from: (class, method) -> fingerprint of its source, a check of the processor).
GUARDED: dict[tuple[str, str],
              tuple[type, type, dict[tuple[type, str], str], Callable[[Any], bool]]] = {
    ("preprocessors", "normalize_whitespace"): (
        NormalizeWhitespace, GuardedNormalizeWhitespace,
        {(NormalizeWhitespace, "run"): "a99bc2f9e0d8"},
        lambda p: (util.STX, util.ETX) == ("\x02", "\x03")),
    ("preprocessors", "fenced_code_block"): (
        FencedBlockPreprocessor, GuardedFencedBlockPreprocessor,
        {(FencedBlockPreprocessor, "run"): "5ff582f6af84"},
        # Its one regular expression, a sequence starting with the fence.
        lambda p: short_digest(p.FENCED_BLOCK_RE.pattern) == "588455cd8f4f"),
    ("preprocessors", "html_block"): (
        HtmlBlockPreprocessor, GuardedHtmlBlockPreprocessor,
        {(HtmlBlockPreprocessor, "run"): "79cbd05926bc",
         (HTMLExtractorExtra, "__init__"): "0c71861fbb62",
         (HTMLExtractorExtra, "reset"): "34ea0805b4b4",
         (HTMLExtractorExtra, "close"): "99ac1a955c74",
         (HTMLExtractorExtra, "handle_data"): "e72c2cc0a036",
         (htmlparser.HTMLExtractor, "__init__"): "2c43f709fa95",
         (htmlparser.HTMLExtractor, "reset"): "b548abb40893",
         (htmlparser.HTMLExtractor, "close"): "6c2a6b4fd760",
         (htmlparser.HTMLExtractor, "handle_data"): "c960f7f3b283",
         (_HTML_PARSER, "__init__"): "b1a59d753501",
         (_HTML_PARSER, "reset"): "7c16b368caec",
         (_HTML_PARSER, "feed"): "d21cb21b59e4",
         (_HTML_PARSER, "close"): "9b868725c1af",
         (_HTML_PARSER, "goahead"): "482555522333"},
        lambda p: _HTML_PARSER.goahead.__globals__["interesting_normal"].pattern == "[&<]"),
    ("treeprocessors", "unescape"): (
        UnescapeTreeprocessor, GuardedUnescapeTreeprocessor,
        {(UnescapeTreeprocessor, "run"): "5752b9f6937e",
         (UnescapeTreeprocessor, "unescape"): "e39bc0842698"},
        lambda p: p.RE.pattern == util.STX + r"(\d+)" + util.ETX and util.STX == "\x02"),
    ("treeprocessors", "attr_list"): (
        AttrListTreeprocessor, GuardedAttrListTreeprocessor,
        {(AttrListTreeprocessor, "run"): "fb126cccd79a"},
        # Its regular expressions, each a sequence holding a `{`.
        lambda p: (p.HEADER_RE.pattern, p.BLOCK_RE.pattern, p.INLINE_RE.pattern) == (
            r"[ ]+\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$", r"\n[ ]*\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$",
            r"^\{\:?[ ]*([^\}\n ][^\n]*)\}")),
}


def install(md: markdown.Markdown) -> None:
    """Put the guarded processors in place of md's own where these were read from the
    same code; leave any other as it is."""
    for (registry_name, name), (library, guarded, methods, check) in GUARDED.items():
        registry = getattr(md, registry_name)
        processor: Any = registry[name] if name in registry else None
        if type(processor) is library and unchanged(methods) and check(processor):
            processor.__class__ = guarded  # the same object: only run differs
