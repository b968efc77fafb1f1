"""Markdown to HTML: Python-Markdown, without the slow `smarty` extension."""

from __future__ import annotations

import threading

import markdown as _markdown

# Reusing one parser (reset between documents) avoids rebuilding its extension
# tables for every item; one per thread keeps that safe.
_local = threading.local()


def _parser() -> _markdown.Markdown:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
        _local.parser = parser
    return parser


def render_markdown(text: str) -> str:
    """Convert a Markdown body to an HTML fragment."""
    parser = _parser()
    try:
        return parser.convert(text)
    finally:
        parser.reset()
