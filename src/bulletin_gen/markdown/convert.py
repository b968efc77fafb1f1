"""Markdown to HTML as GitHub shows it: Python-Markdown with GitHub's extensions.

Python-Markdown (with `extra` and `sane_lists`) plus pymdown-extensions' magiclink (bare
URLs and `www.` addresses), tilde (`~~strikethrough~~`) and tasklist (`- [ ]`), lists
nested as GitHub nests them (lists.py), and three steps of ours (gfm.py): headings
shifted below the title they sit under, footnote ids unique to their item, and task
list boxes drawn as characters (no email may hold a form input). Without the slow
`smarty` extension, its inline patterns tried only on text that could hold them
(speedups/markdown_inline.py) and its block processors only on blocks that could be
theirs (speedups/markdown_block.py).
"""

from __future__ import annotations

import re
import threading
from typing import Any

import markdown as _markdown

from bulletin_gen.markdown import gfm
from bulletin_gen.speedups import markdown_block as mdblock
from bulletin_gen.speedups import markdown_inline as mdinline

EXTENSIONS: list[Any] = ["extra", "sane_lists", "pymdownx.magiclink", "pymdownx.tilde",
                         "pymdownx.tasklist"]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "extra": {
        # Cells as `<td align="center">`, which email clients honour (Outlook included).
        "tables": {"use_align_attribute": True},
        # `fn-1` rather than `fn:1`: gfm.py makes them `fn-<item>-1`.
        "footnotes": {"SEPARATOR": "-"},
    },
    # GitHub reads `~one~` as strikethrough too, never as subscript.
    "pymdownx.tilde": {"subscript": False},
    # Links as written: no shortened repository links, no protocol hidden.
    "pymdownx.magiclink": {"hide_protocol": False, "repo_url_shortener": False,
                           "social_url_shortener": False},
}

# Python-Markdown marks its stand-ins with STX and ETX (markdown.util.STX, ETX); one it
# fails to put back (a footnote's back-link inside a link it swallowed) leaks them into
# the page, the email and the feed, where XML forbids them. The sources can hold no
# control character (frontmatter refuses them), so any in the HTML is such a leftover.
LEFTOVER_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Reusing one parser (reset between documents) avoids rebuilding its extension
# tables for every item; one per thread keeps that safe.
_local = threading.local()


def new_parser() -> _markdown.Markdown:
    """A parser with the extensions above, without the speed-ups."""
    return _markdown.Markdown(extensions=[*EXTENSIONS, gfm.GithubExtension()],
                              extension_configs=EXTENSION_CONFIGS, output_format="html")


def _parser() -> _markdown.Markdown:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = new_parser()
        mdinline.install(parser)
        mdblock.install(parser)
        _local.parser = parser
    return parser


def render_markdown(text: str, headings: gfm.Headings = gfm.AS_WRITTEN, ids: str = "") -> str:
    """Convert a Markdown body to an HTML fragment.

    headings: how its heading levels move (an item's sit below the item's title);
    ids: what makes its footnotes' ids unique on a page holding other bodies.
    """
    parser = _parser()
    try:
        return gfm.convert(parser, text, headings, ids)
    finally:
        parser.reset()


def without_leftovers(html: str) -> str:
    """html without the STX/ETX stand-ins Python-Markdown failed to put back."""
    return LEFTOVER_CONTROL_RE.sub("", html)
