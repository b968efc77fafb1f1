"""Find the issue folders and their item files."""

from __future__ import annotations

import os
import re
import time
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
    names: tuple[str, ...]  # the item files' names, in item order (file-name order)

    @property
    def items(self) -> tuple[Path, ...]:
        """The item files, in item order. (Their names are what is kept: a build lists
        every issue and loads few, and thousands of paths made for nothing cost.)"""
        return tuple(self.folder / name for name in self.names)


# What an issue folder held when last listed, by its path, with its inode and mtime.
Listings = dict[str, tuple[tuple[int, int], tuple[bool, tuple[str, ...]]]]
RACY_NS = 2_000_000_000  # a folder changed this recently may change again in the same tick


def discover(config: Config, slugs: tuple[str, ...] = (),
             listings: Listings | None = None) -> list[BulletinSource]:
    """List every issue folder under bulletins/, or only the named ones, sorted by slug.

    listings: what earlier calls found (a session that builds again keeps it): a folder
    whose stat is unchanged, nothing added, removed or renamed in it, is not listed again.
    """
    folder = config.bulletins_dir
    if not folder.is_dir():
        raise BulletinError(f"no bulletins/ folder in {config.root}")
    errors: list[ContentError] = []
    sources = []
    # scandir, not Path.iterdir/glob: this runs on every build, over every item file.
    with os.scandir(folder) as listing:
        issues = sorted((entry.name, entry.is_dir()) for entry in listing)
    for name, is_dir in issues:
        if name.startswith((".", "_")) or not is_dir:
            continue
        rel = f"bulletins/{name}"
        if not SLUG_RE.match(name):
            errors.append(ContentError(rel, None, "folder name must be a slug of lower-case "
                                       "letters, digits and hyphens, like 2022-06"))
            continue
        if name in RESERVED_SLUGS:
            errors.append(ContentError(f"{rel}/{INDEX_FILE}", 1, f"{name!r} is a folder "
                                       "of the built site, not free for an issue: rename "
                                       "the folder"))
            continue
        issue = folder / name
        has_index, items = _listing(issue) if listings is None else _kept(issue, listings)
        if not has_index:
            errors.append(ContentError(rel, None, f"no {INDEX_FILE}: every issue folder needs one"))
            continue
        sources.append(BulletinSource(name, issue, issue / INDEX_FILE, items))
    if listings is not None:  # a folder renamed or removed: its listing goes too
        listed = {str(source.folder) for source in sources}
        for gone in [folder for folder in listings if folder not in listed]:
            del listings[gone]
    if errors:
        raise ContentErrors(errors)
    if slugs:
        known = {source.slug for source in sources}
        missing = [slug for slug in slugs if slug not in known]
        if missing:
            raise BulletinError(f"no such issue: {', '.join(missing)}; "
                                f"known: {', '.join(sorted(known)) or 'none'}")
    return sources


def _kept(issue: Path, listings: Listings) -> tuple[bool, tuple[str, ...]]:
    found = os.stat(issue)
    stat = (found.st_ino, found.st_mtime_ns)
    kept = listings.get(str(issue))
    if kept is not None and kept[0] == stat:
        return kept[1]
    listing = _listing(issue)
    if found.st_mtime_ns < time.time_ns() - RACY_NS:
        listings[str(issue)] = (stat, listing)
    return listing


def _listing(issue: Path) -> tuple[bool, tuple[str, ...]]:
    """Whether the folder has its bulletin.md (a file, or a link to one), and its item
    files: every *.md but bulletin.md and hidden (., _) names, in item order."""
    has_index, names = False, []
    try:
        with os.scandir(issue) as listing:
            for entry in listing:
                name = entry.name
                if name == INDEX_FILE:
                    has_index = entry.is_file()
                elif name.endswith(".md") and not name.startswith((".", "_")):
                    names.append(name)
    except PermissionError:  # as Path.glob did: a folder that cannot be listed lists nothing
        return (issue / INDEX_FILE).is_file(), ()
    names.sort(key=item_order)
    return has_index, tuple(names)


def item_order(name: str) -> tuple[int, str]:
    """File-name order, reading the leading number as a number: 90-x before 100-y.

    Unnumbered files come after numbered ones, as they do in plain name order."""
    number = NUMBER_RE.match(name)
    return (int(number.group(1)) if number else 1 << 62, name)
