"""Inline CSS into the email with premailer, keeping email-service placeholders intact."""

from __future__ import annotations

import functools
import html as _html
import logging
import operator
import os
import re
import warnings
from typing import Any

# premailer's shared cache of parsed rules holds 128 entries by default; set before import.
os.environ.setdefault("PREMAILER_CACHE_MAXSIZE", "4096")

# Placeholders of email services (Mailchimp, listmonk, Buttondown, Ghost, Campaign
# Monitor). premailer percent-encodes `|` in hrefs (peterbe/premailer #130), so they
# are swapped for inert tokens before inlining and put back byte for byte after.
PLACEHOLDER_ALTERNATIVES = (
    r"\*\|[A-Z0-9_:]+\|\*",                 # Mailchimp *|UNSUB|*
    r"\{\{-?\s*[\w. ]+?\s*-?\}\}",         # listmonk, Buttondown {{ UnsubscribeURL }}
    r"%%\{?[\w.]+\}?%%",                   # Ghost %%{unsubscribe_url}%%
    r"\[(?:unsubscribe|webversion)\]",     # bracketed tags
    # Campaign Monitor's elements: lxml would drop or move unknown tags.
    r"</?(?:unsubscribe|webversion|forwardtoafriend|preferences)\b[^>]*>",
)
PLACEHOLDER_RE = re.compile("|".join(PLACEHOLDER_ALTERNATIVES))
# Each alternative on its own starts with a literal the regex engine skips ahead to; in
# PLACEHOLDER_RE it tests every character of a ~60 KB email against all five first ones.
# They start with five different characters, so at most one matches at a position.
_PLACEHOLDER_PARTS = tuple(re.compile(alternative) for alternative in PLACEHOLDER_ALTERNATIVES)
TOKEN_PREFIX = "bgph"


def inline_css(html: str) -> str:
    """Inline every <style> rule that can be inlined; keep media queries in <style>."""
    found: list[str] = []
    prefix = _token_prefix(html)
    protected = _protect_placeholders(html, found, prefix + "{:04d}x")
    inliner = _inliner_class()(
        protected,
        allow_network=False,
        disable_validation=True,
        strip_important=False,  # the default strips it from kept media queries
        cssutils_logging_level=logging.CRITICAL,  # silence warnings about mso- properties
        remove_classes=False,
        keep_style_tags=False,
        exclude_pseudoclasses=True,
        # Keep the width and height attributes the template wrote for Outlook: by default
        # premailer overwrites width="600" on an image with its CSS width (100%).
        disable_basic_attributes=["width", "height"],
        # premailer re-parses every <img style> with cssutils to look for a float (slow);
        # without the word "float" anywhere in the document no image can have one.
        align_floating_images="float" in protected.lower(),
    )
    result = inliner.transform(pretty_print=False)
    if not found:
        return result
    return re.sub(re.escape(prefix) + r"(\d+)x", lambda match: found[int(match.group(1))],
                  result)


def _token_prefix(html: str) -> str:
    """A token prefix the email's text cannot hold, even written as character references
    (lxml writes `&#104;` back as `h`): text saying `bgph0x` gets `bgphq0x`..."""
    text = _html.unescape(html) if "&" in html else html
    prefix = TOKEN_PREFIX
    while prefix in text:
        prefix += "q"
    return prefix


def _protect_placeholders(html: str, found: list[str], token: str) -> str:
    """PLACEHOLDER_RE.sub of each placeholder by the next token, each kept in found.

    The alternatives are searched for one by one: the next match of PLACEHOLDER_RE is the
    earliest of theirs at or after where the last one ended (no two start at one place),
    each alternative searched again only once that point has passed its next match.
    """
    pieces: list[str] = []
    end = 0
    upcoming = [part.search(html) for part in _PLACEHOLDER_PARTS]
    while True:
        for index, match in enumerate(upcoming):
            if match is not None and match.start() < end:
                upcoming[index] = _PLACEHOLDER_PARTS[index].search(html, end)
        nearest = min((match for match in upcoming if match is not None),
                      key=lambda match: match.start(), default=None)
        if nearest is None:
            break
        pieces.append(html[end:nearest.start()])
        pieces.append(token.format(len(found)))
        found.append(nearest.group(0))
        end = nearest.end()
    if not pieces:
        return html
    pieces.append(html[end:])
    return "".join(pieces)


def warm_up() -> None:
    """Import premailer now (0.1-0.4 s), for a process that will render emails later."""
    _inliner_class()


@functools.cache
def _inliner_class() -> Any:
    """premailer.Premailer that parses each distinct <style> once per process, finds the
    elements of a simple selector from one pass over the document, and works out each
    distinct combination of styles (and the HTML attributes it gives) once.

    Every email of a build has the same <style>; premailer would parse its rules and
    serialise its media queries again for each one, which cost more than the inlining.
    It also evaluates one XPath per rule, each a walk of the whole document, where one
    walk can index the elements by class; and the hundreds of styled elements of an
    email share a few dozen combinations of rules. The results depend only on the CSS
    text and the options, which inline_css fixes (other options: premailer's own code).
    """
    _defer_import("requests")  # premailer fetches nothing here: it never needs requests
    import premailer
    import premailer.premailer as pm
    from lxml import etree

    parsed: dict[tuple[str, int], tuple[list[Any], list[Any]]] = {}
    leftover_text: dict[int, str] = {}  # by id() of a leftover list that `parsed` keeps alive
    # (element's own style, its rules' (declarations, pseudo-class) in order) -> the style
    # premailer writes and the HTML attributes (bgcolor, align...) it derives from it
    merged: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[str, tuple[Any, ...]]] = {}

    class Inliner(premailer.Premailer):  # type: ignore[misc]
        def _parse_style_rules(self, css_body: str, ruleset_index: int) -> Any:
            key = (css_body, ruleset_index)
            if key not in parsed:
                if len(parsed) > 64:  # a bound, should templates vary per email
                    parsed.clear()
                    leftover_text.clear()
                parsed[key] = super()._parse_style_rules(css_body, ruleset_index)
            rules, leftover = parsed[key]
            return list(rules), leftover

        def _css_rules_to_string(self, rules: list[Any]) -> str:
            if id(rules) not in leftover_text:
                leftover_text[id(rules)] = super()._css_rules_to_string(rules)
            return leftover_text[id(rules)]

        def transform(self, html: Any = None, pretty_print: bool = True, **kwargs: Any) -> Any:
            if html is not None or kwargs or not _as_inline_css_asks(self):
                return super().transform(html, pretty_print, **kwargs)
            return _transform(self, pretty_print)

    def _transform(self: Any, pretty_print: bool) -> str:
        """Premailer.transform as it runs with inline_css's options, step for step."""
        stripped = self.html.strip()
        # Without a table of the elements' ids (for XPath's id(), which the selectors do not
        # use: `#x` reads the attribute), parsing an email takes a fifth less; the same tree.
        tree = etree.fromstring(stripped, etree.HTMLParser(collect_ids=False)).getroottree()
        page = tree.getroot()
        # lxml inserts a doctype if none exists: the root only if it was in the html
        root = tree if stripped.startswith(tree.docinfo.doctype) else page
        pm.get_or_create_head(tree)  # made if missing, as premailer does

        rules: list[Any] = []
        index = 0
        for element in pm._create_cssselector("style")(page):
            media = element.attrib.get("media")
            if media and media not in ("all", "screen"):
                continue
            data_attribute = element.attrib.get(self.attribute_name)
            if data_attribute:
                if data_attribute == "ignore":
                    del element.attrib[self.attribute_name]
                    continue
                warnings.warn(f"Unrecognized {self.attribute_name} attribute "
                              f"({data_attribute!r})", stacklevel=2)
            css_body = element.text
            these_rules, these_leftover = self._parse_style_rules(css_body, index)
            index += 1
            rules.extend(these_rules)
            if these_leftover:
                element.text = self._css_rules_to_string(these_leftover)
            else:
                element.getparent().remove(element)
        rules.sort(key=operator.itemgetter(0))

        select = _Selector(page, pm._create_cssselector)
        elements: dict[Any, list[tuple[str, str]]] = {}  # by element (hashed by identity)
        for _, selector, style in rules:
            class_ = ""
            if ":" in selector:
                new_selector, class_ = re.split(":", selector, maxsplit=1)
                class_ = f":{class_}"
            else:
                new_selector = selector
            if class_ in pm.FILTER_PSEUDOSELECTORS or class_.startswith(":nth-child"):
                class_ = ""  # a filter: the selector is kept whole
            else:
                selector = new_selector
            rule = (style, class_)
            for item in select(selector):
                found = elements.get(item)
                if found is None:
                    elements[item] = [rule]
                else:
                    found.append(rule)

        for item, styles in elements.items():
            key = (item.get("style", ""), tuple(styles))
            done = merged.get(key)
            if done is None:
                if len(merged) > 4096:  # a bound, should templates vary per email
                    merged.clear()
                done = merged[key] = _merge(self, *key)
            final_style, attributes = done
            if final_style:
                item.set("style", final_style)
            for name, value in attributes:
                item.set(name, value)

        if self.align_floating_images:
            for item in page.xpath("//img[@style]"):
                image_css = pm.cssutils.parseStyle(item.attrib["style"])
                if image_css.float == "right":
                    item.attrib["align"] = "right"
                elif image_css.float == "left":
                    item.attrib["align"] = "left"
        out = etree.tostring(root, method="html", pretty_print=pretty_print, encoding="utf-8")
        return str(out.decode("utf-8"))

    def _merge(self: Any, inline_style: str, styles: tuple[tuple[str, str], ...],
               ) -> tuple[str, tuple[Any, ...]]:
        final_style = pm.merge_styles(
            inline_style,
            [pm.csstext_to_pairs(style, validate=not self.disable_validation)
             for style, _ in styles],
            [class_ for _, class_ in styles],
            remove_unset_properties=self.remove_unset_properties,
        )
        blank = etree.Element("blank")  # the attributes premailer would set, read off
        self._style_to_basic_html_attributes(blank, final_style, force=True)
        return final_style, tuple(blank.attrib.items())

    return Inliner


# What inline_css passes, apart from html, align_floating_images and the logging level:
# Inliner.transform runs its own steps only with these, premailer's otherwise.
_OPTIONS = {
    "base_url": None, "preserve_handlebar_syntax": False, "exclude_pseudoclasses": True,
    "keep_style_tags": False, "include_star_selectors": False, "remove_classes": False,
    "capitalize_float_margin": False, "strip_important": False, "external_styles": None,
    "css_text": None, "method": "html", "disable_validation": True,
    "disable_leftover_css": False, "remove_unset_properties": True,
    "allow_network": False, "disable_basic_attributes": ["width", "height"],
}


def _as_inline_css_asks(inliner: Any) -> bool:
    return isinstance(inliner.html, str) and all(
        getattr(inliner, name) == value for name, value in _OPTIONS.items())


# A class or type selector (`.cell`, `p`) in plain ASCII, which _Selector finds itself,
# alone or as a descendant of another (`.small a`).
SIMPLE_RE = re.compile(r"(?:\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)|([a-zA-Z][a-zA-Z0-9]*))\Z")
XML_SPACE_RE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() collapses


class _Selector:
    """The elements a CSS selector matches in a document, in document order, as
    lxml's CSSSelector (premailer's) finds them: class selectors from an index of the
    elements by class made in one walk, type selectors by lxml's iter(), the rest by
    CSSSelector. Only for a document that no longer changes its classes or tags."""

    def __init__(self, page: Any, css_selector: Any) -> None:
        self.page = page
        self.css_selector = css_selector  # premailer's (cached) CSSSelector maker
        self._by_class: dict[str, list[Any]] | None = None

    def __call__(self, selector: str) -> Any:
        simple = SIMPLE_RE.match(selector)
        if simple:
            return self._simple(*simple.groups())
        ancestor, space, descendant = selector.partition(" ")
        outer, inner = SIMPLE_RE.match(ancestor), SIMPLE_RE.match(descendant)
        if space and outer and inner:
            return self._descendants(self._simple(*outer.groups()), *inner.groups())
        return self.css_selector(selector)(self.page)

    def _simple(self, class_name: str | None, tag: str | None) -> Any:
        if class_name is not None:
            return self._index().get(class_name, ())
        return list(self.page.iter(tag))

    def _descendants(self, outer: Any, class_name: str | None, tag: str | None) -> list[Any]:
        """The elements matching the second selector below one of outer (in document
        order): each outer element's subtree in turn, but for elements already found
        (an outer element inside another's subtree has nothing new below it)."""
        from lxml import etree

        found: dict[Any, None] = {}
        for top in outer:
            below = top.iter(etree.Element) if tag is None else top.iter(tag)
            for element in below:
                if element is not top and element not in found and (
                        tag is not None or class_name in _class_names(element.get("class"))):
                    found[element] = None
        return list(found)

    def _index(self) -> dict[str, list[Any]]:
        if self._by_class is None:
            from lxml import etree

            self._by_class = {}
            for element in self.page.iter(etree.Element):
                for name in _class_names(element.get("class")):
                    self._by_class.setdefault(name, []).append(element)
        return self._by_class


def _class_names(value: str | None) -> list[str]:
    """The names in a class attribute as CSSSelector tests them: `.name` matches when
    ' name ' is in ' ' + normalize-space(@class) + ' ' (so each name once)."""
    if not value:
        return []
    return [name for name in dict.fromkeys(XML_SPACE_RE.split(value)) if name]


def _defer_import(name: str) -> None:
    """Put a stand-in for a module in sys.modules that imports it at its first use.

    premailer imports requests (60 ms, in every build process) only to fetch external
    stylesheets, which our emails never link. (importlib's LazyLoader would not do:
    the `import` statement itself reads the module's __spec__, which loads it.)
    """
    import sys
    import types

    if name in sys.modules:
        return
    stand_in = types.ModuleType(name)

    def real(attribute: str) -> Any:
        import importlib

        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attribute)

    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[name] = stand_in
