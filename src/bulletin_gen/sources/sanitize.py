"""Reduce HTML from Markdown bodies to what an email may safely hold, and say what went."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nh3

ALLOWED_TAGS = {
    "p", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "abbr",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "img", "br", "hr", "code",
    "pre", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "dl", "dt", "dd",
    # What else GitHub shows of HTML written in Markdown, and `~~` makes `<del>`.
    "del", "ins", "kbd", "mark", "q", "samp", "var", "cite", "dfn",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    # Footnotes and the references to them; FOOTNOTE_ID_RE says which ids stay.
    "li": {"id"},
    "sup": {"id"},
}
# A Markdown table's column alignment (`|:---:|`), which email clients honour.
ALIGNED = {"align": {"left", "center", "right"}}
ALLOWED_VALUES = {"th": ALIGNED, "td": ALIGNED}
# Classes Markdown gives task lists and footnotes, for the theme to style.
ALLOWED_CLASSES = {"ul": {"task-list"}, "li": {"task-list-item"},
                   "a": {"footnote-ref", "footnote-backref"}}
# The ids gfm.py gives footnotes (`fn-news-grants-1`, `fnref-news-grants-1`, `fnref2-...`):
# no other id may come from a body, where it could clash with the page's own.
FOOTNOTE_ID_RE = re.compile(r"fn(?:ref\d*)?-[A-Za-z0-9_-]+")
# Email-service placeholders (`*|UNSUB|*`, `{{ UnsubscribeURL }}`, `%%{unsubscribe_url}%%`)
# have no scheme, so nh3 keeps them as relative URLs; every other scheme is dropped.
URL_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src"}
# Schemes that run code: worth a warning in any attribute, allowed or not.
SCRIPT_SCHEMES = {"javascript", "vbscript", "data"}
# Tags whose text nh3 drops along with the tag (its default for clean_content_tags).
CONTENT_DROPPED = {"script", "style"}
# Wrappers whose loss changes nothing a reader would miss: not worth a warning.
QUIET_TAGS = {"div", "span"}
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Tags in groups that need the same advice; any other tag: ADVICE_OTHER_TAG.
FORM_TAGS = {"form", "input", "button", "select", "option", "textarea", "label", "fieldset"}
EMBEDDED_TAGS = {"iframe", "object", "embed", "video", "audio", "canvas", "svg", "math",
                 "frame", "frameset", "applet"}
ADVICE_SCRIPT = "remove it: scripts and style sheets never reach an email"
ADVICE_FORM = "link to the form on the web instead: an email holds no forms"
ADVICE_EMBEDDED = "link to it instead: an email cannot show it in place"
ADVICE_OTHER_TAG = "write it in Markdown, or leave the text plain"
ADVICE_HANDLER = "remove the attribute"
ADVICE_STYLE = "remove the attribute: the theme styles every item"
ADVICE_LINK = "link to an https:// address"
ADVICE_PICTURE = "save the picture in the issue's images/ folder and point at it"
ADVICE_MARKDOWN = "the Markdown here makes markup an email cannot hold: write it another way"
# Where no tag is written out, the Markdown that may have made one: a heading's `#`s.
HEADING_SYNTAX = re.compile(r" {0,3}#{1,6}(\s|$)")
MARKDOWN_SYNTAX = {f"h{level}": HEADING_SYNTAX for level in range(1, 7)}
# Browsers drop tabs and newlines anywhere in a URL (so `java\tscript:` is javascript:)
# and controls and spaces at its ends (the WHATWG URL standard).
URL_IGNORED_RE = re.compile(r"[\t\n\r]+")
URL_ENDS = "".join(chr(code) for code in range(0x21))


def _footnote_ids_only(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and FOOTNOTE_ID_RE.fullmatch(value) is None:
        return None
    return value


OPTIONS: dict[str, Any] = {
    "tags": ALLOWED_TAGS, "clean_content_tags": CONTENT_DROPPED,
    "attributes": ALLOWED_ATTRIBUTES, "tag_attribute_values": ALLOWED_VALUES,
    "allowed_classes": ALLOWED_CLASSES, "attribute_filter": _footnote_ids_only,
    "url_schemes": URL_SCHEMES, "link_rel": None, "strip_comments": True}


def _cleaner() -> nh3.Cleaner | None:
    if not hasattr(nh3, "Cleaner"):  # before nh3 0.3
        return None
    return nh3.Cleaner(**OPTIONS)


# nh3.clean builds its sanitiser from its options on every call, half its time on a
# bulletin item; a Cleaner with the same options is built once.
_CLEANER = _cleaner()


def sanitize_html(html: str) -> str:
    """Keep the allowlisted tags and attributes; drop scripts, handlers and bad URLs."""
    if _CLEANER is not None:
        return _CLEANER.clean(html)
    return nh3.clean(html, **OPTIONS)


@dataclass(frozen=True)
class Removal:
    """Something the sanitiser took out of a body, and text to find its line by."""

    what: str  # e.g. "<script>", "the onclick attribute", "a javascript: link"
    why: str
    needle: str  # what to search the Markdown source for, lower-case
    advice: str  # what to do about it, in a few words

    @property
    def message(self) -> str:
        return f"sanitising removed {self.what} ({self.why})"


@dataclass(frozen=True)
class LocatedRemoval:
    line: int
    message: str
    advice: str = ""


def find_removals(html: str) -> list[Removal]:
    """List what sanitize_html would take out of html that a reader would notice.

    Quiet losses (the `class` and `id` Markdown adds, `<div>` wrappers) are not listed.
    """
    finder = _RemovalFinder()
    finder.feed(html)
    finder.close()
    return finder.removals


def locate_removals(html: str, source_text: str, first_line: int) -> list[LocatedRemoval]:
    """find_removals, each with the line of source_text (starting at first_line) it came from."""
    lowered = source_text.lower().split("\n")
    located = []
    # Removals come in document order: one whose needle an earlier removal already matched
    # (a javascript: picture after a javascript: link) is looked for below that line first.
    last: dict[str, int] = {}
    for removal in find_removals(html):
        after = last.get(removal.needle, -1) + 1
        index = next((index for index in range(after, len(lowered))
                      if removal.needle in lowered[index]), None)
        if index is None:  # not written out: made by Markdown, or met before
            index = last.get(removal.needle)
        advice = removal.advice
        if index is None:
            index, advice = _markdown_line(removal, lowered), ADVICE_MARKDOWN
        last[removal.needle] = index
        located.append(LocatedRemoval(first_line + index, removal.message, advice))
    return located


def _markdown_line(removal: Removal, lowered: list[str]) -> int:
    """The line of the Markdown that made what was removed (the first line if unknown)."""
    syntax = MARKDOWN_SYNTAX.get(removal.needle.lstrip("<"))
    if syntax is not None:
        for index, line in enumerate(lowered):
            if syntax.match(line):
                return index
    return 0


def body_removals(markdown_text: str, first_line: int) -> list[LocatedRemoval]:
    """What sanitising takes out of a Markdown body, at its lines: for `bulletin check`."""
    from bulletin_gen.markdown import gfm
    from bulletin_gen.markdown.convert import render_markdown
    from bulletin_gen.markdown.guard import MarkdownTooComplex, render_checked

    try:
        # Headings as an introduction's or an item's come out: from h2 down, all allowed.
        html = render_checked(lambda text: render_markdown(text, gfm.INTRO), markdown_text)
    except MarkdownTooComplex:  # the build reports it as an error already
        return []
    return locate_removals(html, markdown_text, first_line)


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in a URL (lower-case), or None for a relative URL."""
    match = SCHEME_RE.match(URL_IGNORED_RE.sub("", value).strip(URL_ENDS).lower())
    return match.group(1) if match else None


class _RemovalFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removals: list[Removal] = []
        self._seen: set[Removal] = set()

    def _add(self, what: str, why: str, needle: str, advice: str) -> None:
        removal = Removal(what, why, needle.lower(), advice)
        if removal not in self._seen:
            self._seen.add(removal)
            self.removals.append(removal)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS and tag not in QUIET_TAGS:
            kept = "its content is dropped" if tag in CONTENT_DROPPED else "its text is kept"
            advice = (ADVICE_SCRIPT if tag in CONTENT_DROPPED else ADVICE_FORM
                      if tag in FORM_TAGS else ADVICE_EMBEDDED if tag in EMBEDDED_TAGS
                      else ADVICE_OTHER_TAG)
            self._add(f"<{tag}>", f"not allowed in an email; {kept}", f"<{tag}", advice)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._add(f"the {name} attribute", "event handlers never reach an email", name,
                          ADVICE_HANDLER)
            elif name == "style" and not _markdown_alignment(value):
                self._add("the style attribute", "the theme styles every item", "style",
                          ADVICE_STYLE)
            elif (scheme := url_scheme(value)) is not None and scheme not in URL_SCHEMES:
                if (scheme in SCRIPT_SCHEMES and name not in ("title", "alt")) or (
                        name in URL_ATTRIBUTES and name in ALLOWED_ATTRIBUTES.get(tag, ())):
                    kind = {"href": "link", "src": "picture"}.get(name, "address")
                    needle = f"{scheme}:" if f"{scheme}:" in value.lower() else scheme
                    advice = {"link": ADVICE_LINK, "picture": ADVICE_PICTURE}.get(
                        kind, "remove it")
                    self._add(f"a {scheme}: {kind}",
                              "only http, https and mailto addresses are allowed", needle, advice)


def _markdown_alignment(style: str) -> bool:
    # Python-Markdown writes `style="text-align: left;"` on aligned table cells itself.
    return re.fullmatch(r"\s*text-align:\s*(left|right|center);?\s*", style) is not None
