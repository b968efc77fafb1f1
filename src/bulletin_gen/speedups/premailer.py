"""premailer's Premailer.transform, step for step, in a fraction of the time.

Every email of a build has the same <style>; premailer parses its rules and serialises
its media queries again for each one, which cost more than the inlining. It also
evaluates one XPath per rule, each a walk of the whole document, where one walk can
index the elements by class; and the hundreds of styled elements of an email share a
few dozen combinations of rules. Here each distinct (CSS text, options) is parsed once,
class and type selectors are found from one walk, and each distinct combination of
styles (and the HTML attributes premailer derives from it) is worked out once.

transform() runs these steps only for the options its copy of the loop covers (those
inline_css uses, and any value of the options in KEYED, which key every cache), and
only while premailer's code is the code read (see bulletin_gen.speedups); otherwise it
calls premailer's own transform. tests/test_speedups_premailer.py compares the two.
"""

from __future__ import annotations

import operator
import re
from typing import Any

from bulletin_gen import speedups

# Options whose every value the copied loop handles; each is part of every cache key.
KEYED = ("include_star_selectors", "exclude_pseudoclasses", "strip_important",
         "disable_validation", "remove_unset_properties", "disable_basic_attributes")
# Options the copied loop was written for, with the value it needs (premailer's steps
# for other values are left out): anything else runs premailer's own transform.
FIXED = {
    "base_url": None, "preserve_handlebar_syntax": False, "keep_style_tags": False,
    "remove_classes": False, "capitalize_float_margin": False, "external_styles": None,
    "css_text": None, "method": "html", "disable_leftover_css": False, "allow_network": False,
}
_BOUND = 4096  # entries a cache keeps before starting again, should templates vary per email


class _Caches:
    """What the fast path keeps between emails, every entry keyed by the KEYED options.

    Process-wide: results depend only on premailer's code and the keys.
    """

    def __init__(self) -> None:
        # (CSS text, ruleset index, options) -> premailer's (rules, leftover)
        self.parsed: dict[tuple[Any, ...], tuple[list[Any], list[Any]]] = {}
        # id() of a leftover list that `parsed` keeps alive -> its CSS text
        self.leftover_text: dict[int, str] = {}
        # (options, element's own style, its rules' (declarations, pseudo-class) in
        # order) -> the style premailer writes and the HTML attributes it derives
        self.merged: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}

    def clear(self) -> None:
        self.parsed.clear()
        self.leftover_text.clear()
        self.merged.clear()


_caches = _Caches()


def options_key(inliner: Any) -> tuple[Any, ...]:
    return tuple(tuple(value) if isinstance(value, list) else value
                 for value in (getattr(inliner, name) for name in KEYED))


def covers(inliner: Any) -> bool:
    """Whether transform runs its own steps for this premailer.Premailer."""
    return isinstance(inliner.html, str) and all(
        getattr(inliner, name) == value for name, value in FIXED.items())


def transform(inliner: Any) -> str:
    """inliner.transform(pretty_print=False): the same string, in less time where the
    fast path is active and covers inliner's options."""
    if not speedups.active("premailer") or not covers(inliner):
        return str(inliner.transform(pretty_print=False))
    return _transform(inliner, options_key(inliner))


def _transform(self: Any, options: tuple[Any, ...]) -> str:
    """Premailer.transform as it runs with the options covered, step for step."""
    import premailer.premailer as pm
    from lxml import etree

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
            pm.warnings.warn(  # as premailer warns (through its module, as a test patches it)
                f"Unrecognized {self.attribute_name} attribute ({data_attribute!r})")
        these_rules, these_leftover = _parse_style_rules(self, element.text, index, options)
        index += 1
        rules.extend(these_rules)
        if these_leftover:
            element.text = _leftover_text(self, these_leftover)
            if self.strip_important:
                element.text = pm._importants.sub("", element.text)
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

    merged = _caches.merged
    for item, styles in elements.items():
        key = (options, item.get("style", ""), tuple(styles))
        done = merged.get(key)
        if done is None:
            if len(merged) > _BOUND:
                merged.clear()
            done = merged[key] = _merge(self, key[1], key[2])
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
    out = etree.tostring(root, method="html", pretty_print=False, encoding="utf-8")
    return str(out.decode("utf-8"))


def _parse_style_rules(self: Any, css_body: str, index: int,
                       options: tuple[Any, ...]) -> tuple[list[Any], list[Any]]:
    key = (css_body, index, options)
    parsed = _caches.parsed
    if key not in parsed:
        if len(parsed) > 64:
            _caches.clear()
        parsed[key] = self._parse_style_rules(css_body, index)
    rules, leftover = parsed[key]
    return list(rules), leftover


def _leftover_text(self: Any, leftover: list[Any]) -> str:
    # _css_rules_to_string marks the media queries' declarations !important in the parsed
    # sheet (which premailer caches too): done again, it gives the same text.
    text = _caches.leftover_text.get(id(leftover))
    if text is None:
        text = _caches.leftover_text[id(leftover)] = self._css_rules_to_string(leftover)
    return text


def _merge(self: Any, inline_style: str, styles: tuple[tuple[str, str], ...],
           ) -> tuple[str, tuple[Any, ...]]:
    import premailer.premailer as pm
    from lxml import etree

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


# A class or type selector (`.cell`, `p`) in plain ASCII, which _Selector finds itself,
# alone or as a descendant of another (`.small a`). (CSSSelector translates for XML by
# default, as premailer uses it: `P` matches no <p>, as in lxml's iter("P").)
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
