"""Library fast paths: where a measured speed-up needs a library's private code.

Each fast path stands in for some of a library's code (a loop copied with a shortcut
added, a private method overridden). It runs only while that code is the code it was
read from: FAST_PATHS names, for each, every function or method it copies, overrides or
relies on, and fingerprints.json holds a digest of the source of each, as read. At the
first use the installed library's source is digested again; if anything differs (or
the library is missing), the library's own code runs instead, which is slower and gives
the same output. `python -m bulletin_gen.speedups` (`make upgrade-check`) lists which
are active and, with --write, records the installed code after a human has read it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FINGERPRINTS = Path(__file__).with_name("fingerprints.json")
# Names of fast paths to leave off (comma-separated, or "all"): to measure what one
# saves, or to rule one out when output looks wrong.
OFF_VARIABLE = "BULLETIN_SPEEDUPS_OFF"


@dataclass(frozen=True)
class FastPath:
    """A fast path: the library it stands in for, and the code it was read from."""

    name: str
    distribution: str  # the library's name on PyPI, for its version
    summary: str
    # "module:Qualified.name" of every function or method it copies, overrides or relies on.
    code: tuple[str, ...]


FAST_PATHS: dict[str, FastPath] = {path.name: path for path in (
    FastPath("markdown_inline", "markdown",
             "inline patterns tried only on text holding a character a match starts with", (
                 "markdown.treeprocessors:InlineProcessor._InlineProcessor__handleInline",
                 "markdown.treeprocessors:InlineProcessor._InlineProcessor__applyPattern",
                 "markdown.inlinepatterns:ReferenceInlineProcessor.handleMatch",
                 "markdown.inlinepatterns:LinkInlineProcessor.getText",
                 "markdown.inlinepatterns:ReferenceInlineProcessor.evalId",
                 "markdown.inlinepatterns:ShortReferenceInlineProcessor.evalId",
                 "markdown.inlinepatterns:ShortImageReferenceInlineProcessor.evalId",
                 "markdown.util:Registry.register",
                 # pymdown-extensions' magiclink: the regular expressions its patterns
                 # compile, which the strings a match must hold are read from.
                 "pymdownx.magiclink:RE_LINK",
                 "pymdownx.magiclink:RE_MAIL",
                 "pymdownx.magiclink:RE_AUTOLINK",
             )),
    FastPath("markdown_block", "markdown",
             "block processors tried only on blocks that could be theirs", (
                 "markdown.blockparser:BlockParser.parseBlocks",
                 *(f"{module}:{cls}.{method}"
                   for module, cls, methods in (
                       ("markdown.extensions.md_in_html", "MarkdownInHtmlProcessor",
                        ("test", "run")),
                       ("markdown.blockprocessors", "EmptyBlockProcessor", ("test", "run")),
                       ("markdown.blockprocessors", "ListIndentProcessor", ("test", "run")),
                       ("markdown.extensions.def_list", "DefListIndentProcessor",
                        ("test", "run")),
                       ("markdown.blockprocessors", "CodeBlockProcessor", ("test", "run")),
                       ("markdown.extensions.tables", "TableProcessor",
                        ("test", "run", "_split_row", "_split")),
                       ("markdown.blockprocessors", "HashHeaderProcessor", ("test", "run")),
                       ("markdown.blockprocessors", "SetextHeaderProcessor", ("test", "run")),
                       ("markdown.blockprocessors", "HRProcessor", ("test", "run")),
                       ("markdown.extensions.sane_lists", "SaneOListProcessor",
                        ("test", "run")),
                       ("markdown.extensions.sane_lists", "SaneUListProcessor",
                        ("test", "run")),
                       ("markdown.extensions.def_list", "DefListProcessor", ("test", "run")),
                       ("markdown.blockprocessors", "BlockQuoteProcessor", ("test", "run")),
                       ("markdown.extensions.footnotes", "FootnoteBlockProcessor",
                        ("test", "run")),
                       ("markdown.extensions.abbr", "AbbrBlockprocessor", ("test", "run")),
                       ("markdown.blockprocessors", "ReferenceProcessor", ("test", "run")),
                       ("markdown.blockprocessors", "ParagraphProcessor", ("test", "run")),
                   )
                   for method in methods),
             )),
    FastPath("premailer", "premailer",
             "premailer's transform: each <style> parsed once, elements found by class in "
             "one walk, each distinct combination of rules merged once", (
                 "premailer.premailer:Premailer.__init__",
                 "premailer.premailer:Premailer.transform",
                 "premailer.premailer:Premailer._parse_style_rules",
                 "premailer.premailer:Premailer._css_rules_to_string",
                 "premailer.premailer:Premailer._style_to_basic_html_attributes",
                 "premailer.premailer:get_or_create_head",
                 "premailer.merge_style:merge_styles",
                 "premailer.merge_style:csstext_to_pairs",
                 # How lxml's CSSSelector (premailer's) finds a class or a type selector,
                 # which the fast path does itself.
                 "cssselect.xpath:GenericTranslator.xpath_class",
                 "cssselect.xpath:GenericTranslator.xpath_attrib_includes",
                 "cssselect.xpath:GenericTranslator.xpath_element",
                 "cssselect.xpath:GenericTranslator.xpath_descendant_combinator",
                 "lxml.cssselect:CSSSelector.__init__",
             )),
)}


def source_digest(target: Any) -> str:
    """The first 12 hex digits of the SHA-256 of target's source (of the text itself, for
    a constant such as a regular expression); "" without a source."""
    if isinstance(target, str):
        source = target
    else:
        try:
            source = inspect.getsource(target)
        except (OSError, TypeError):
            return ""
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def resolve(name: str) -> Any:
    """The object a "module:Qualified.name" names (AttributeError, ImportError if none)."""
    module, _, qualified = name.partition(":")
    found: Any = importlib.import_module(module)
    for part in qualified.split("."):
        found = getattr(found, part)
    return found


def installed_digests(path: FastPath) -> dict[str, str]:
    """The digest of each piece of code path names, as installed now ("" where missing)."""
    digests = {}
    for name in path.code:
        try:
            digests[name] = source_digest(resolve(name))
        except (ImportError, AttributeError):
            digests[name] = ""
    return digests


def recorded() -> dict[str, Any]:
    """fingerprints.json: per fast path, the library version and code digests read."""
    found: dict[str, Any] = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))
    return found


def changed_code(name: str) -> list[str]:
    """The code fast path name relies on that is not as recorded (all is, when empty)."""
    expected = recorded().get(name, {}).get("code", {})
    path = FAST_PATHS[name]
    return [code for code, digest in installed_digests(path).items()
            if not digest or expected.get(code) != digest] + \
        [code for code in expected if code not in path.code]


def turned_off(name: str) -> bool:
    """Whether the environment asks for fast path name to be left off."""
    wanted = {part.strip() for part in os.environ.get(OFF_VARIABLE, "").split(",")}
    return name in wanted or "all" in wanted


# The library code cannot change while a process runs: checked once (a few ms a path).
@functools.cache
def active(name: str) -> bool:
    """Whether fast path name may run: not turned off, and its library code as read."""
    return not turned_off(name) and not changed_code(name)
