"""Inline CSS into the email with premailer, keeping email-service placeholders intact."""

from __future__ import annotations

import functools
import logging
import os
import re
from typing import Any

# premailer's shared cache of parsed rules holds 128 entries by default; set before import.
os.environ.setdefault("PREMAILER_CACHE_MAXSIZE", "4096")

# Placeholders of email services (Mailchimp, listmonk, Buttondown, Ghost, Campaign
# Monitor). premailer percent-encodes `|` in hrefs (peterbe/premailer #130), so they
# are swapped for inert tokens before inlining and put back byte for byte after.
PLACEHOLDER_RE = re.compile(
    r"\*\|[A-Z0-9_:]+\|\*"                 # Mailchimp *|UNSUB|*
    r"|\{\{-?\s*[\w. ]+?\s*-?\}\}"         # listmonk, Buttondown {{ UnsubscribeURL }}
    r"|%%\{?[\w.]+\}?%%"                   # Ghost %%{unsubscribe_url}%%
    r"|\[(?:unsubscribe|webversion)\]"     # bracketed tags
    # Campaign Monitor's elements: lxml would drop or move unknown tags.
    r"|</?(?:unsubscribe|webversion|forwardtoafriend|preferences)\b[^>]*>"
)
TOKEN = "bgph{:04d}x"
TOKEN_RE = re.compile(r"bgph(\d{4})x")


def inline_css(html: str) -> str:
    """Inline every <style> rule that can be inlined; keep media queries in <style>."""
    found: list[str] = []

    def protect(match: re.Match[str]) -> str:
        found.append(match.group(0))
        return TOKEN.format(len(found) - 1)

    protected = PLACEHOLDER_RE.sub(protect, html)
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
    return TOKEN_RE.sub(lambda match: found[int(match.group(1))], result)


def warm_up() -> None:
    """Import premailer now (0.1-0.4 s), for a process that will render emails later."""
    _inliner_class()


@functools.cache
def _inliner_class() -> Any:
    """premailer.Premailer that parses each distinct <style> once per process, and
    works out each distinct merged style and its HTML attributes once.

    Every email of a build has the same <style>; premailer would parse its rules and
    serialise its media queries again for each one, which cost more than the inlining.
    The results depend only on the CSS text and the options, which inline_css fixes.
    Likewise the hundreds of styled elements of an email share a few dozen styles.
    """
    _defer_import("requests")  # premailer fetches nothing here: it never needs requests
    import premailer
    import premailer.premailer
    from lxml import etree

    parsed: dict[tuple[str, int], tuple[list[Any], list[Any]]] = {}
    leftover_text: dict[int, str] = {}  # by id() of a leftover list that `parsed` keeps alive

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

        def _style_to_basic_html_attributes(self, element: Any, style_content: str,
                                            force: bool = False) -> None:
            if not force:  # premailer itself always forces; anything else as it was
                super()._style_to_basic_html_attributes(element, style_content, force)
                return
            if style_content not in basic_attributes:
                if len(basic_attributes) > 4096:
                    basic_attributes.clear()
                # premailer's own reading of the style, done once on an empty element
                blank = etree.Element("blank")
                super()._style_to_basic_html_attributes(blank, style_content, True)
                basic_attributes[style_content] = tuple(blank.attrib.items())
            for key, value in basic_attributes[style_content]:
                element.attrib[key] = value

    # The attributes premailer derives from a style (bgcolor, align...), by style: the
    # elements of an email share a few dozen styles between them.
    basic_attributes: dict[str, tuple[tuple[str, str], ...]] = {}
    # merge_styles is a pure function of its arguments (strings and lists of string
    # pairs), called for every styled element: remembered by their value.
    merge = premailer.premailer.merge_styles
    merged: dict[tuple[Any, ...], str] = {}

    def merge_styles(inline_style: str, new_styles: list[list[tuple[str, str]]],
                     classes: list[str], remove_unset_properties: bool = False) -> str:
        key = (inline_style, tuple(tuple(style) for style in new_styles), tuple(classes),
               remove_unset_properties)
        if key not in merged:
            if len(merged) > 4096:
                merged.clear()
            merged[key] = merge(inline_style, new_styles, classes, remove_unset_properties)
        return merged[key]

    premailer.premailer.merge_styles = merge_styles
    return Inliner


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
