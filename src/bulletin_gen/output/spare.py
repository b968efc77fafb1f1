"""The previous site, kept beside site/ as the folder the next build is written into.

After the swap the staging folder holds the previous site. Rather than delete it (and
make ~500 folders and link ~3,000 files into a new one at the next build), every build
keeps it beside site/ as the spare (`site.spare-<pid>`), and the next build, the same
`serve`'s or the next `bulletin build`, brings it up to date (update_from). Most of its
files are the very files (same inode) site/ holds, since builds hard-link what did not
change; only what differs is removed or linked again. So a rebuild after an edit neither
makes a site's worth of folders nor deletes one.

The spare is renamed to a staging name (`site.tmp-<pid>-...`) before it is touched, so a
build killed while updating it leaves a folder the next build deletes, and site/ stays
whole. A spare whose process has ended (the last `bulletin build`, a `serve` stopped) is
taken by the next build (adopt); any others are deleted. Nothing here is deleted while
anyone waits: what a spare holds that the build does not want is moved aside, in whole
folders where it can, and tidy.delete_later deletes it in a child process.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from bulletin_gen.output.tidy import aside_name, delete_later, leftovers, put_aside


def spare_name(out_dir: Path) -> Path:
    return out_dir.with_name(f"{out_dir.name}.spare-{os.getpid()}")


def staging_prefix(out_dir: Path) -> str:
    """The start of a staging folder's name: the pid tells other builds it is in use."""
    return f"{out_dir.name}.tmp-{os.getpid()}-"


class Spare:
    """The previous site a build session keeps beside one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.folder: Path | None = None  # the spare, once there is one

    def keep(self, previous: Path) -> None:
        """Keep the previous site (a staging folder after the swap) as the spare; one this
        process cannot write into (someone made site/ read-only) is deleted instead."""
        target = spare_name(self.out_dir)
        if target.exists():
            delete_later([put_aside(target, self.out_dir)])
        if not _writable(previous):
            delete_later([put_aside(previous, self.out_dir)])
            return
        os.rename(previous, target)
        self.folder = target

    def adopt(self) -> None:
        """Take over the spare a build that has ended left, if this session has none: the
        newest one made a spare (a rename sets its ctime); tidying up after ended builds
        deletes any other."""
        if self.folder is not None:
            return
        left = [folder for folder in leftovers(self.out_dir) if ".spare-" in folder.name]
        if left:
            self.folder = max(left, key=lambda folder: folder.stat().st_ctime_ns)

    def take(self) -> Path | None:
        """The spare, renamed to a fresh staging name; None when there is none."""
        spare, self.folder = self.folder, None
        if spare is None or not spare.is_dir():
            return None
        out_dir = self.out_dir
        folder = Path(tempfile.mkdtemp(prefix=staging_prefix(out_dir), dir=out_dir.parent))
        try:
            os.rename(spare, folder)  # replaces the empty folder just made
        except OSError:
            return folder  # empty: the build links every file as it would without a spare
        return folder

    def held(self) -> set[Path]:
        """The spare (which tidying up after ended builds must leave alone)."""
        return {self.folder} if self.folder is not None else set()

    def prepare(self) -> None:
        """Have a spare now, between builds (`serve`): the one an ended build left, or
        else a copy of site/ in links."""
        self.adopt()
        out_dir = self.out_dir
        if self.folder is not None or not out_dir.is_dir():
            return
        folder = Path(tempfile.mkdtemp(prefix=staging_prefix(out_dir), dir=out_dir.parent))
        try:
            for parent, _, names in os.walk(out_dir):
                target = os.path.join(folder, os.path.relpath(parent, out_dir))
                os.makedirs(target, exist_ok=True)
                for name in names:
                    os.link(os.path.join(parent, name), os.path.join(target, name))
            self.keep(folder)
        except OSError:  # no hard links here: builds make their folder from scratch
            delete_later([folder])


def update_from(out_dir: Path, folder: Path, paths: Iterable[str],
                stats: Mapping[str, tuple[int, ...]] | None = None) -> None:
    """Make folder (a previous site) hold exactly out_dir's files at paths, hard-linked.

    Everything else goes, so the build writes every other file anew and never into a
    file that site/ shares. A folder holding anything else (an issue made again, every
    issue after a template changed) is moved aside whole and its wanted files linked
    into a new one: unlinking files one by one costs far more on a busy disk than
    making folders. What was moved aside is deleted after the command returns.
    stats: out_dir's files' inodes (first), where known. PermissionError: someone made
    a folder in it read-only (the caller starts afresh).
    """
    source, base = str(out_dir) + os.sep, str(folder) + os.sep
    inodes = {}
    for path in paths:
        known = stats.get(path) if stats is not None else None
        inodes[path] = known[0] if known is not None else os.stat(source + path).st_ino
    folders = {""}
    for path in inodes:
        parent = os.path.dirname(path)
        while parent not in folders:
            folders.add(parent)
            parent = os.path.dirname(parent)
    # On another disk (or with no site/ left to compare with) inodes say nothing.
    same_disk = bool(inodes) and os.stat(folder).st_dev == os.stat(out_dir).st_dev
    aside = _Aside(out_dir)
    present: set[str] = set()  # the wanted files the spare holds already
    pending = [""]
    try:
        while pending:
            prefix = pending.pop()
            with os.scandir(base + prefix) as listing:
                entries = list(listing)
            stale = {entry.name for entry in entries if not entry.is_dir(follow_symlinks=False)
                     and not (same_disk and inodes.get(prefix + entry.name) == entry.inode())}
            if prefix and stale:
                aside.move(base + prefix[:-1])
                continue
            for entry in entries:
                path = prefix + entry.name
                if entry.name in stale:  # in the site's own top folder: its few files
                    os.unlink(entry.path)
                elif not entry.is_dir(follow_symlinks=False):
                    present.add(path)
                elif path in folders:
                    pending.append(path + "/")
                else:
                    aside.move(entry.path)
    finally:
        aside.delete_later()
    made: set[str] = set()
    for path in inodes:
        if path in present:
            continue
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(base + parent, exist_ok=True)
            made.add(parent)
        try:
            os.link(source + path, base + path)
        except OSError:  # a file system without hard links
            shutil.copy2(source + path, base + path)


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


class _Aside:
    """A folder beside the site to move what a spare must lose into, made at first use."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.folder: Path | None = None
        self.moved = 0

    def move(self, path: str) -> None:
        if self.folder is None:
            self.folder = aside_name(self.out_dir)
            self.folder.mkdir()
        os.rename(path, self.folder / str(self.moved))
        self.moved += 1

    def delete_later(self) -> None:
        if self.folder is not None:
            delete_later([self.folder])
