"""Markdown to HTML: Python-Markdown, without the slow `smarty` extension, its inline
patterns tried only on text that could hold them and its block processors only on
blocks that could be theirs (speedups/markdown_inline.py, speedups/markdown_block.py)."""

from __future__ import annotations

import threading

import markdown as _markdown

from bulletin_gen.speedups import markdown_block as mdblock
from bulletin_gen.speedups import markdown_inline as mdinline

# Reusing one parser (reset between documents) avoids rebuilding its extension
# tables for every item; one per thread keeps that safe.
_local = threading.local()


def _parser() -> _markdown.Markdown:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
        mdinline.install(parser)
        mdblock.install(parser)
        _local.parser = parser
    return parser


def render_markdown(text: str) -> str:
    """Convert a Markdown body to an HTML fragment."""
    parser = _parser()
    try:
        return parser.convert(text)
    finally:
        parser.reset()
