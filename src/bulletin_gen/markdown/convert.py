"""Markdown to HTML: Python-Markdown, without the slow `smarty` extension, its inline
patterns tried only on text that could hold them (mdinline.py), its block processors
only on blocks that could be theirs (mdblock.py), and its preprocessors and attribute
lists only on text they could change (mdsteps.py)."""

from __future__ import annotations

import re
import threading

import markdown as _markdown

from bulletin_gen.speedups import markdown_block as mdblock
from bulletin_gen.speedups import markdown_inline as mdinline
from bulletin_gen.speedups import markdown_steps as mdsteps

# Python-Markdown marks its stand-ins with STX and ETX (markdown.util.STX, ETX); one it
# fails to put back (a footnote's back-link inside a link it swallowed) leaks them into
# the page, the email and the feed, where XML forbids them. The sources can hold no
# control character (frontmatter refuses them), so any in the HTML is such a leftover.
LEFTOVER_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Reusing one parser (reset between documents) avoids rebuilding its extension
# tables for every item; one per thread keeps that safe.
_local = threading.local()


def _parser() -> _markdown.Markdown:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
        mdinline.install(parser)
        mdblock.install(parser)
        mdsteps.install(parser)
        _local.parser = parser
    return parser


def render_markdown(text: str) -> str:
    """Convert a Markdown body to an HTML fragment."""
    parser = _parser()
    try:
        return parser.convert(text)
    finally:
        parser.reset()


def without_leftovers(html: str) -> str:
    """html without the STX/ETX stand-ins Python-Markdown failed to put back."""
    return LEFTOVER_CONTROL_RE.sub("", html)
