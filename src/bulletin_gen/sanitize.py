"""Reduce HTML from Markdown bodies to what an email may safely hold."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "abbr",
    "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "img", "br", "hr", "code", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "dl", "dt", "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """Keep the allowlisted tags and attributes; drop scripts, handlers and bad URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
