"""Inline CSS into the email with premailer, keeping email-service placeholders intact."""

from __future__ import annotations

import html as _html
import logging
import re
from typing import Any

from bulletin_gen.speedups import premailer as fast_premailer

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
    inliner = _premailer().Premailer(protected, **premailer_options(protected))
    # premailer's own transform, or the same steps in less time (speedups/premailer.py)
    result = fast_premailer.transform(inliner)
    if not found:
        return result
    return re.sub(re.escape(prefix) + r"(\d+)x", lambda match: found[int(match.group(1))],
                  result)


def premailer_options(html: str) -> dict[str, Any]:
    """The options inline_css gives premailer.Premailer for html."""
    return dict(
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
        align_floating_images="float" in html.lower(),
    )


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
    _premailer()


def _premailer() -> Any:
    """The premailer module, imported at first use: without the `requests` it imports.

    premailer imports requests (about 60 ms, in every build process that makes an email)
    only to fetch external stylesheets, which inline_css never lets it do
    (allow_network=False). So a stand-in that imports requests at its first use is put
    in sys.modules for premailer's `import requests`, here, once, before premailer is
    first imported (not at import time of this module: nothing else in the process is
    affected unless it imports requests and uses it, and then it gets the real one).
    """
    import sys

    if "premailer" not in sys.modules:
        _defer_import("requests")
    import premailer

    return premailer
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
