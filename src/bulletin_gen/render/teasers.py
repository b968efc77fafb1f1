"""An item's teaser for the email (`email: teaser`): its first paragraph, as written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletin_gen.model import TEASER, Bulletin, Item

# Tags, with the slash of a closing one; bodies are the sanitiser's well-formed output.
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
VOID_TAGS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track",
                       "wbr"})


def first_paragraph(body_html: str) -> str:
    """The first top-level <p> of a body that holds words (not only a picture), or ""."""
    depth = 0
    start = -1
    for match in TAG_RE.finditer(body_html):
        closing, tag = match.group(1), match.group(2).lower()
        if tag in VOID_TAGS:
            continue
        if not closing:
            if depth == 0 and tag == "p":
                start = match.start()
            depth += 1
            continue
        depth -= 1
        if depth == 0 and start >= 0:
            paragraph = body_html[start:match.end()]
            if TAG_RE.sub("", paragraph).strip():
                return paragraph
            start = -1
    return ""


# From this many compact lines in a row, "In this issue" gives them one entry ("12 events
# at a glance"), not a title each: the lines themselves are the list.
COLLAPSE_FROM = 5


@dataclass(frozen=True)
class Run:
    """Items that follow each other in the email: compact teasers share one row."""
    compact: bool
    items: tuple[Item, ...]

    @property
    def collapsed(self) -> bool:
        """Whether "In this issue" lists the run as one entry."""
        return self.compact and len(self.items) >= COLLAPSE_FROM


def email_runs(bulletin: Bulletin, items: tuple[Item, ...]) -> list[Run]:
    """A group's items in runs: each event marked `email: teaser` is one compact line
    (date, title, place), and those that follow each other go in one row of the email,
    which saves the row's inlined styles for each."""
    runs: list[Run] = []
    for item in items:
        compact = item.kind == "event" and bulletin.email_mode(item) == TEASER
        if runs and runs[-1].compact == compact:
            runs[-1] = Run(compact, (*runs[-1].items, item))
        else:
            runs.append(Run(compact, (item,)))
    return runs
