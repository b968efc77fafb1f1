"""Python-Markdown's inline processor, not trying a pattern on text it cannot match.

Python-Markdown tries every inline pattern (code, escapes, links, pictures, autolinks,
HTML, entities, emphasis, footnotes) on every run of text, a regular-expression search
and some Python around it each time; most runs hold no `[`, `*`, `<` or backtick at
all. Here each pattern's regular expression is read once for the characters a match of
it must start with, and a run of text holding none of them skips that pattern, exactly
as if its search had found nothing. The HTML is the same (tests compare it with the
unguarded parser's on the example archive and on generated Markdown); loading a large
archive takes about a quarter less time in Markdown.

It overrides a private method of markdown.treeprocessors.InlineProcessor (a copy of
its loop, with the skip added), which is why pyproject.toml pins markdown below 3.12;
if that code or the code the skip relies on is not the source read (fingerprints in
bulletin_gen.speedups), the library's own processor is kept (see install).
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import markdown
from markdown import inlinepatterns, util
from markdown.treeprocessors import InlineProcessor

from bulletin_gen import speedups

_MAX_RANGE = 64  # a class like [a-z] still makes a short list; [^>] or \w does not


def first_characters(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings a match of pattern must start with one of (a literal start is taken whole:
    `  \\n` for a line break, `[^` for a footnote), or None when that is not plain
    from its parse (it may match nothing, or start with a wide class)."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.state.flags & re.IGNORECASE:  # 'a' would match 'A' too
        return None
    return _first(parsed)


def _first(sequence: Any) -> frozenset[str] | None:
    items = list(sequence)
    for index, (op, value) in enumerate(items):
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # anchors and lookarounds consume nothing: the next element starts
        if op is sre.LITERAL:
            run = [chr(value)]
            for next_op, next_value in items[index + 1:]:
                if next_op is not sre.LITERAL:
                    break
                run.append(chr(next_value))
            return frozenset(["".join(run)])
        if op is sre.IN:
            return _in_class(value)
        if op is sre.SUBPATTERN:
            _, add_flags, _, inner = value
            return None if add_flags & re.IGNORECASE else _first(inner)
        if op is sre.ATOMIC_GROUP:
            return _first(value)
        if op is sre.BRANCH:
            found: set[str] = set()
            for branch in value[1]:
                start = _first(branch)
                if start is None:
                    return None
                found |= start
            return frozenset(found)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            least, _, item = value
            return _first(item) if least > 0 else None
        return None  # anything else (a wildcard, a category, a backreference): unknown
    return None  # an empty pattern matches anywhere


def _in_class(items: Any) -> frozenset[str] | None:
    found: set[str] = set()
    for op, value in items:
        if op is sre.LITERAL:
            found.add(chr(value))
        elif op is sre.RANGE and value[1] - value[0] < _MAX_RANGE:
            found.update(chr(code) for code in range(value[0], value[1] + 1))
        else:  # a negated class, a category such as \s
            return None
    return frozenset(found)


# The reference patterns ([text][id], [id], and their pictures) make an element only for an
# id in md.references (link definitions in the body); for any other they leave the text
# as it was, so with no definitions they are passed by. Read from their handleMatch,
# getText and evalId (and __applyPattern, which keeps the text of a match that makes
# nothing), fingerprinted in bulletin_gen.speedups.
REFERENCE_PATTERNS = (inlinepatterns.ReferenceInlineProcessor,
                      inlinepatterns.ShortReferenceInlineProcessor,
                      inlinepatterns.ImageReferenceInlineProcessor,
                      inlinepatterns.ShortImageReferenceInlineProcessor)
EVAL_ID_OWNERS = (inlinepatterns.ReferenceInlineProcessor,
                  inlinepatterns.ShortReferenceInlineProcessor,
                  inlinepatterns.ShortImageReferenceInlineProcessor)


def needs_references(pattern: Any) -> bool:
    """Whether pattern is a reference pattern that changes nothing without definitions."""
    cls = type(pattern)
    return (cls in REFERENCE_PATTERNS
            and cls.handleMatch is inlinepatterns.ReferenceInlineProcessor.handleMatch
            and cls.getText is inlinepatterns.LinkInlineProcessor.getText
            and cls.evalId in (owner.__dict__.get("evalId") for owner in EVAL_ID_OWNERS)
            and speedups.active("markdown_inline"))


# pymdown-extensions' magiclink patterns start with a lookbehind and a case-insensitive
# choice, so no start is read off them; but a match of each must hold one of a few
# strings: `://` or `www.` (in any case, so its last `ww.` in one of four) for a bare
# address, `@` for an e-mail address, `<` for one in angle brackets. Pattern class name ->
# (the magiclink constant its regular expression is, as read: fingerprinted with the rest
# of this fast path in speedups/__init__.py; those strings). Substring tests find them
# far faster than a search (which would stop at every full stop for `www.`).
WWW = ("ww.", "wW.", "Ww.", "WW.")
NEEDLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pymdownx.magiclink.MagiclinkPattern": ("pymdownx.magiclink:RE_LINK", ("://", *WWW)),
    "pymdownx.magiclink.MagiclinkMailPattern": ("pymdownx.magiclink:RE_MAIL", ("@",)),
    "pymdownx.magiclink.MagiclinkAutoPattern": ("pymdownx.magiclink:RE_AUTOLINK", ("<",)),
}


def needles(pattern: Any, regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """The strings one of which a match of pattern must hold, for a pattern in NEEDLES
    whose regular expression is the constant read; None for any other."""
    cls = type(pattern)
    known = NEEDLES.get(f"{cls.__module__}.{cls.__qualname__}")
    if known is None or not speedups.active("markdown_inline"):
        return None
    try:
        read = speedups.resolve(known[0])
    except (ImportError, AttributeError):
        return None
    return known[1] if regex.pattern == read else None


class Literals(tuple[str, ...]):
    """Strings searched for as a regular expression is (`search`), by substring tests."""

    def search(self, data: str) -> bool | None:
        return True if any(needle in data for needle in self) else None


class GuardedInlineProcessor(InlineProcessor):
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._guarded: list[tuple[Any, str | None, Any, bool]] | None = None
        self._any: re.Pattern[str] | None = None
        self._made_of: list[tuple[Any, Any]] = []  # the patterns and regexes _guarded was made of
        self._held = Literals()

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # The table is made again whenever the patterns registered (or their regular
        # expressions) are not the very ones it was made of: one pattern deregistered
        # and another registered keep the number, and the first must not run on.
        current = [(pattern, pattern.getCompiledRegExp())  # type: ignore[attr-defined]
                   for pattern in self.inlinePatterns]
        if len(current) != len(self._made_of) or any(
                new is not old for pair, old_pair in zip(current, self._made_of, strict=True)
                for new, old in zip(pair, old_pair, strict=True)):
            self._guarded = None
        return super().run(tree, ancestors)

    def _patterns(self) -> list[tuple[Any, str | None, Any, bool]]:
        """Each pattern, in order, with the string (or a search for the strings) one of
        which a match starts with, and whether it needs link definitions to change
        anything. Made at first use (extensions register their patterns after this
        processor), and again when the patterns change (see run)."""
        if self._guarded is None:
            self._guarded = []
            self._made_of = []
            every: set[str] | None = set()
            held_anywhere: set[str] = set()
            for pattern in self.inlinePatterns:
                regex: re.Pattern[str] = pattern.getCompiledRegExp()  # type: ignore[attr-defined]
                self._made_of.append((pattern, regex))
                found = first_characters(regex)
                held = needles(pattern, regex) if found is None else None
                starts = sorted(found or ())
                one = starts[0] if len(starts) == 1 else None
                many: Any = re.compile("|".join(map(re.escape, starts))) \
                    if len(starts) > 1 else None
                if held is not None:
                    one, many = (held[0], None) if len(held) == 1 else (None, Literals(held))
                    found = frozenset()
                    held_anywhere.update(held)
                self._guarded.append((pattern, one, many, needs_references(pattern)))
                every = None if found is None or every is None else every | found
            # A search for the last character of any pattern's start (a run without one
            # holds no start): most runs of prose hold none, and then one search passes
            # every pattern by. A class of single characters, which the search skips
            # through quickly (the line break's `  \n` would stop it at every space);
            # and the strings a pattern's match must hold somewhere (NEEDLES).
            # None when some pattern may start anywhere.
            self._any = re.compile("[" + "".join(sorted({re.escape(start[-1])
                                                         for start in every})) + "]") \
                if every else None
            self._held = Literals(sorted(held_anywhere))
        return self._guarded

    # The library's loop (InlineProcessor.__handleInline), with the skip added.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if not isinstance(data, util.AtomicString):
            start = 0
            patterns = self._patterns()
            if self._any is not None and self._any.search(data) is None and \
                    self._held.search(data) is None:
                return data  # every pattern would be passed by below
            undefined = not self.md.references
            while patternIndex < len(patterns):
                pattern, one, many, references = patterns[patternIndex]
                if (one is not None and one not in data) or (
                        many is not None and many.search(data) is None) or (
                        references and undefined):
                    patternIndex += 1  # as when its search finds nothing: the next
                    start = 0          # pattern searches from the beginning
                    continue
                data, matched, start = self._InlineProcessor__applyPattern(  # type: ignore[attr-defined]
                    pattern, data, patternIndex, start)
                if not matched:
                    patternIndex += 1
        return data


def install(md: markdown.Markdown) -> None:
    """Put the guarded processor in place of md's inline one, if this markdown's code is
    the code read (the loop copied, the private methods it builds on); otherwise leave
    the library's own."""
    if not speedups.active("markdown_inline"):
        return
    if type(md.treeprocessors["inline"]) is not InlineProcessor:
        return  # an extension replaced it: keep theirs
    # Registered again at the same place in the order (the registry keeps priorities in
    # a private list; the public API gives only positions).
    priority = next(item.priority for item in md.treeprocessors._priority  # type: ignore[attr-defined]
                    if item.name == "inline")
    md.treeprocessors.register(GuardedInlineProcessor(md), "inline", priority)
