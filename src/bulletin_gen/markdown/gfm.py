"""The GitHub steps Python-Markdown and pymdown-extensions leave to us.

- Headings move below the title they sit under. In an item, whose title is `<h3>`, the
  body's highest heading becomes `<h4>` and the others keep their distance below it,
  down to `<h6>` (HTML has no `<h7>`): `#`, `##` become h4, h5; a body whose
  sections are `###` (as many write under a pull request's own title) gets h4 too,
  not an h6 two levels below the title. (A level skipped inside the body stays
  skipped, and `bulletin check` warns of it.) In `bulletin.md`, under the issue's
  title, levels stay as written, from h2 down.
- Footnote ids (`fn-1`, `fnref-1`) take the item's name, `fn-news-grants-1`, so that the
  footnotes of several items on one page each reach their own note.
- Task list boxes (`- [ ]`, `- [x]`) become the characters ☐ and ☑: no email may hold
  a form input, and the sanitiser takes them out of the web page as well.
- Lists nest as on GitHub (lists.py).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from bulletin_gen.markdown.lists import GithubListsPreprocessor


class Headings(NamedTuple):
    """How a body's heading levels move: none above top; with below, the highest one at
    top and the rest as far below it as written."""

    top: int
    below: bool


AS_WRITTEN = Headings(1, False)
# An issue's introduction sits under the title, the page's one h1.
INTRO = Headings(2, False)
# An item's body sits under the item's title, an h3.
ITEM = Headings(4, True)
HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}
# What pymdownx.tasklist puts in a task list item (its stored HTML, put back last).
CHECKBOXES = {'<input type="checkbox" disabled/>': "\u2610",  # ☐
              '<input type="checkbox" disabled checked/>': "\u2611"}  # ☑
FOOTNOTE_ID_RE = re.compile(r"(fn(?:ref\d*)?)-(.*)")
ID_CHARACTER_RE = re.compile(r"[^A-Za-z0-9_-]+")


class GithubExtension(Extension):
    """Register the steps of this module; convert() sets what they do per document."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        # After whitespace is normalised (30), before fences (25) and HTML (20) are read.
        md.preprocessors.register(GithubListsPreprocessor(md), "github_lists", 27)
        # After footnotes are made (50) and their duplicate back-links added (15).
        md.treeprocessors.register(HeadingsTreeprocessor(md), "github_headings", 14)
        md.treeprocessors.register(FootnoteIdsTreeprocessor(md), "github_footnote_ids", 13)
        # After the stored HTML (pymdownx.tasklist's boxes among it) is put back (30).
        md.postprocessors.register(CheckboxPostprocessor(md), "github_checkboxes", 5)


class HeadingsTreeprocessor(Treeprocessor):
    headings = AS_WRITTEN

    def run(self, root: Any) -> None:
        top, below = self.headings
        if self.headings == AS_WRITTEN:
            return
        # All found before any moves: a moved heading must not be found and moved again.
        found = [(element, level) for tag, level in HEADING_TAGS.items()
                 for element in root.iter(tag)]
        shift = top - min((level for _, level in found), default=top) if below else 0
        for element, level in found:
            element.tag = f"h{min(6, max(top, level + shift))}"


class FootnoteIdsTreeprocessor(Treeprocessor):
    ids = ""

    def run(self, root: Any) -> None:
        # (The footnotes extension keeps the document's notes: none, nothing to rename.)
        notes = getattr(self.md.treeprocessors["footnote"], "footnotes", None) \
            if "footnote" in self.md.treeprocessors else None
        if not self.ids or (notes is not None and not getattr(notes, "footnotes", True)):
            return
        for element in root.iter():
            if element.tag in ("sup", "li", "a"):
                for name in ("id", "href"):
                    value = element.get(name)
                    if value and value.startswith(("fn", "#fn")):
                        element.set(name, footnote_id(value, self.ids))


def footnote_id(value: str, ids: str) -> str:
    """`fn-1` (or `#fn-1`) as `fn-<ids>-1`: one item's footnote among others."""
    hash_, bare = ("#", value[1:]) if value.startswith("#") else ("", value)
    match = FOOTNOTE_ID_RE.fullmatch(bare)
    if match is None:
        return value
    kind, label = match.groups()
    return f"{hash_}{kind}-{ID_CHARACTER_RE.sub('-', ids)}-{ID_CHARACTER_RE.sub('-', label)}"


class CheckboxPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        if "<input" not in text:
            return text
        for box, character in CHECKBOXES.items():
            text = text.replace(box, character)
        return text


def convert(md: markdown.Markdown, text: str, headings: Headings, ids: str) -> str:
    """md.convert(text) with headings moved by headings and footnote ids made from ids."""
    heading_step = md.treeprocessors["github_headings"]
    footnote_step = md.treeprocessors["github_footnote_ids"]
    heading_step.headings = headings  # type: ignore[attr-defined]
    footnote_step.ids = ids  # type: ignore[attr-defined]
    try:
        return md.convert(text)
    finally:
        heading_step.headings = AS_WRITTEN  # type: ignore[attr-defined]
        footnote_step.ids = ""  # type: ignore[attr-defined]
