"""Find the issue folders and their item files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bulletin_gen.config.settings import Config
from bulletin_gen.errors import BulletinError, ContentError, ContentErrors

INDEX_FILE = "bulletin.md"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NUMBER_RE = re.compile(r"^(\d+)")
# Folders of the built site that are not issues: an issue of that name would clash.
RESERVED_SLUGS = frozenset({"assets", "events", "admin"})


@dataclass(frozen=True)
class BulletinSource:
    slug: str
    folder: Path
    index: Path
    items: tuple[Path, ...]  # sorted by file name: file-name order is item order


def item_order(path: Path) -> tuple[int, str]:
    """File-name order, reading the leading number as a number: 90-x before 100-y.

    Unnumbered files come after numbered ones, as they do in plain name order."""
    number = NUMBER_RE.match(path.name)
    return (int(number.group(1)) if number else 1 << 62, path.name)


def discover(config: Config, slugs: tuple[str, ...] = ()) -> list[BulletinSource]:
    """List every issue folder under bulletins/, or only the named ones, sorted by slug."""
    folder = config.bulletins_dir
    if not folder.is_dir():
        raise BulletinError(f"no bulletins/ folder in {config.root}")
    errors: list[ContentError] = []
    sources = []
    for issue in sorted(folder.iterdir()):
        if issue.name.startswith((".", "_")) or not issue.is_dir():
            continue
        rel = f"bulletins/{issue.name}"
        if not SLUG_RE.match(issue.name):
            errors.append(ContentError(rel, None, "folder name must be a slug of lower-case "
                                       "letters, digits and hyphens, like 2022-06"))
            continue
        if issue.name in RESERVED_SLUGS:
            errors.append(ContentError(f"{rel}/{INDEX_FILE}", 1, f"{issue.name!r} is a folder "
                                       "of the built site, not free for an issue: rename "
                                       "the folder"))
            continue
        index = issue / INDEX_FILE
        if not index.is_file():
            errors.append(ContentError(rel, None, f"no {INDEX_FILE}: every issue folder needs one"))
            continue
        items = tuple(sorted(
            (path for path in issue.glob("*.md")
             if path.name != INDEX_FILE and not path.name.startswith((".", "_"))),
            key=item_order,
        ))
        sources.append(BulletinSource(issue.name, issue, index, items))
    if errors:
        raise ContentErrors(errors)
    if slugs:
        known = {source.slug for source in sources}
        missing = [slug for slug in slugs if slug not in known]
        if missing:
            raise BulletinError(f"no such issue: {', '.join(missing)}; "
                                f"known: {', '.join(sorted(known)) or 'none'}")
    return sources
