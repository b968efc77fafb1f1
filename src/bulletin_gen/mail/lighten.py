"""What weighs in an email over Gmail's clip, and which `email:` setting would bring it under.

The items' weights are read off the finished email (their rows, or their compact lines,
and their entries in "In this issue"); a setting is tried by rendering the email again
with it, so the size given is the size the editor will get.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePosixPath

from bulletin_gen.config.settings import Kind
from bulletin_gen.mail.budget import FAIL_AT, KB
from bulletin_gen.model import FULL, TEASER, WEB_ONLY, Bulletin, Item
from bulletin_gen.render.teasers import email_runs

HEAVIEST_SHOWN = 5
ROW_TAG_RE = re.compile(r"<(/?)tr[\s>]")

Render = Callable[[Bulletin], str]  # the finished email.html of a variant of the issue


def kilobytes(size: int) -> str:
    return f"{size / KB:.1f} KB"


def item_weights(email_html: str, bulletin: Bulletin, kinds: tuple[Kind, ...],
                 ) -> list[tuple[Item, int]]:
    """The bytes each item takes in the finished email, heaviest first (in the email's order
    among equals); an item not found in it (web-only, or a theme drawn otherwise) is left out."""
    weights = []
    for group in bulletin.groups(kinds, in_email=True):
        for run in email_runs(bulletin, group.items):
            for item in run.items:
                size = (_line_size(email_html, item) if run.compact
                        else _row_size(email_html, item))
                size += _contents_entry_size(email_html, item)
                if size:
                    weights.append((item, size))
    return sorted(weights, key=lambda pair: -pair[1])


def heaviest(weights: list[tuple[Item, int]]) -> str:
    """"a.md (5.1 KB), b.md (4.0 KB)": the items that weigh most."""
    return ", ".join(f"{_name(item)} ({kilobytes(size)})"
                     for item, size in weights[:HEAVIEST_SHOWN])


def by_kind(weights: list[tuple[Item, int]], kinds: tuple[Kind, ...]) -> str:
    """"Cluster's events 126.1 KB (50 items), News 29.0 KB (8 items)": the groups' weights,
    heaviest first, since many light items can weigh more than a few long ones."""
    totals = []
    for kind in kinds:
        sizes = [size for item, size in weights if item.kind == kind.name]
        if sizes:
            count = f"{len(sizes)} item{'s' if len(sizes) != 1 else ''}"
            totals.append((sum(sizes), f"{kind.heading} {kilobytes(sum(sizes))} ({count})"))
    return ", ".join(text for _, text in sorted(totals, key=lambda pair: -pair[0]))


def clip_advice(bulletin: Bulletin, email_html: str, kinds: tuple[Kind, ...],
                render: Render) -> str:
    """What weighs most in an email over the clip, and the setting that would bring it
    under, with the size it would then have (from rendering it)."""
    weights = item_weights(email_html, bulletin, kinds)
    parts = [f"heaviest items: {heaviest(weights)}",
             f"by kind: {by_kind(weights, kinds)}"] if weights else []
    changes: list[str] = []
    variant = bulletin
    own_full = [item for item in bulletin.items if item.email == FULL]
    if bulletin.email == FULL and any(item.email is None for item in bulletin.items):
        changes.append("`email: teaser` in bulletin.md")
    if own_full:
        changes.append(f"`email: teaser` in {_names(own_full)}")
    if changes:  # every item not already left out of the email becomes a teaser
        variant = replace(bulletin, email=TEASER if bulletin.email == FULL else bulletin.email,
                          items=tuple(replace(item, email=TEASER) if item.email == FULL
                                      else item for item in bulletin.items))
        html = render(variant)
        if _size(html) <= FAIL_AT:
            parts.append(f"with {' and '.join(changes)} it would weigh {kilobytes(_size(html))}")
            return "; ".join(parts)
    else:
        html = email_html
    # Still too heavy: leave the heaviest items to the web page until it fits.
    excess = _size(html) - FAIL_AT
    dropped: list[Item] = []
    for item, size in item_weights(html, variant, kinds):
        if excess <= 0:
            break
        dropped.append(item)
        excess -= size
    if dropped:
        left_out = {id(item) for item in dropped}
        variant = replace(variant, items=tuple(
            replace(item, email=WEB_ONLY) if id(item) in left_out else item
            for item in variant.items))
        html = render(variant)
        changes.append(f"`email: web-only` in {_names(dropped)}")
    size = _size(html)
    if size <= FAIL_AT:
        parts.append(f"with {' and '.join(changes)} it would weigh {kilobytes(size)}")
    elif changes:
        parts.append(f"even with {' and '.join(changes)} it would weigh {kilobytes(size)}: "
                     "shorten the introduction")
    else:
        parts.append("shorten the introduction")
    return "; ".join(parts)


def _size(html: str) -> int:
    return len(html.encode("utf-8"))


def _name(item: Item) -> str:
    return PurePosixPath(item.path).name


def _names(items: list[Item]) -> str:
    return ", ".join(_name(item) for item in items)


def _row_size(html: str, item: Item) -> int:
    """The length of the table row holding the item's anchor (its nested rows inside)."""
    anchor = html.find(f'name="{item.anchor}"')
    start = html.rfind("<tr", 0, anchor)
    if anchor < 0 or start < 0:
        return 0
    depth = 0
    for match in ROW_TAG_RE.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            end = html.find(">", match.end() - 1) + 1
            return end - start
    return 0


def _line_size(html: str, item: Item) -> int:
    """The length of a compact teaser: its anchor and the paragraph linking to the item on
    the web page."""
    link = html.find(f'#{item.anchor}"')
    while link >= 0 and html[link - 6:link] == 'href="':  # "In this issue"'s in-message link
        link = html.find(f'#{item.anchor}"', link + 1)
    start, end = html.rfind("<p", 0, link), html.find("</p>", link)
    anchor = html.rfind(f'<a name="{item.anchor}"', 0, start)
    start = anchor if anchor >= 0 and "</p>" not in html[anchor:start] else start
    return end + len("</p>") - start if link >= 0 and start >= 0 and end >= 0 else 0


def _contents_entry_size(html: str, item: Item) -> int:
    """The length of the item's entry in "In this issue" (`<br><a href="#...">title</a>`)."""
    link = html.find(f'href="#{item.anchor}"')
    start, end = html.rfind("<br>", 0, link), html.find("</a>", link)
    return end + len("</a>") - start if link >= 0 and start >= 0 and end >= 0 else 0
