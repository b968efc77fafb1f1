"""A second output tree for a process that builds again and again (`serve`).

After the swap the staging folder holds the previous site: rather than delete it
(and make ~500 folders and link ~3,000 files into a new one at the next build),
`serve` keeps it beside site/ as the spare and brings it up to date at the next
build. Most of its files are the very files (same inode) site/ holds, since builds
hard-link what did not change; only what differs is removed or linked again.

The spare is renamed to a staging name (`site.tmp-<pid>-...`) before it is touched, so a
build killed while updating it leaves a folder the next build deletes, and site/
stays whole; a spare left by a killed `serve` is deleted by the next build too. Nothing
here is deleted while anyone waits: tidy.delete_later does it in a child process.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from bulletin_gen.output.tidy import delete_later, put_aside


def spare_name(out_dir: Path) -> Path:
    return out_dir.with_name(f"{out_dir.name}.spare-{os.getpid()}")


def staging_prefix(out_dir: Path) -> str:
    """The start of a staging folder's name: the pid tells other builds it is in use."""
    return f"{out_dir.name}.tmp-{os.getpid()}-"


class Spare:
    """The previous site a session that builds again keeps beside one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.folder: Path | None = None  # the spare, once there is one
        self._dropped_at_exit = False

    def keep(self, previous: Path) -> None:
        """Keep the previous site (a staging folder after the swap) as the spare."""
        target = spare_name(self.out_dir)
        if target.exists():
            delete_later([put_aside(target, self.out_dir)])
        os.rename(previous, target)
        self.folder = target
        if not self._dropped_at_exit:  # a `serve` that stops leaves no spare behind
            atexit.register(self.drop)
            self._dropped_at_exit = True

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
            delete_later([spare])
            return folder  # empty: the build links every file as it would without a spare
        return folder

    def held(self) -> set[Path]:
        """The spare (which tidying up after killed builds must leave alone)."""
        return {self.folder} if self.folder is not None else set()

    def prepare(self) -> None:
        """Make the spare now, between builds, if there is none: a copy of site/ in links."""
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

    def drop(self) -> None:
        """Hand the spare to a deleter: `serve` stops at once, the spare goes after."""
        if self.folder is not None:
            try:
                delete_later([put_aside(self.folder, self.out_dir)])
            except OSError:  # gone already
                pass
            self.folder = None


def update_from(out_dir: Path, folder: Path, paths: Iterable[str],
                stats: Mapping[str, tuple[int, ...]] | None = None) -> None:
    """Make folder (a previous site) hold exactly out_dir's files at paths, hard-linked.

    Everything else is removed, so the build writes every other file anew and never
    into a file that site/ shares. stats: out_dir's files' inodes (first), where known.
    """
    wanted = set(paths)
    folders = {""}
    for path in wanted:
        parent = os.path.dirname(path)
        while parent not in folders:
            folders.add(parent)
            parent = os.path.dirname(parent)
    base = str(folder) + os.sep
    for parent, _, names in os.walk(folder, topdown=False):
        relative = os.path.relpath(parent, folder).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in names:
            if prefix + name not in wanted:
                os.unlink(os.path.join(parent, name))
        if prefix and prefix[:-1] not in folders:
            shutil.rmtree(parent)  # only links and folders not wanted are left in it
    source = str(out_dir) + os.sep
    device = os.stat(out_dir).st_dev
    for path in wanted:
        known = stats.get(path) if stats is not None else None
        if known is None:
            found = os.stat(source + path)
            inode, dev = found.st_ino, found.st_dev
        else:
            inode, dev = known[0], device
        try:
            there = os.stat(base + path)
        except FileNotFoundError:
            there = None
        if there is not None and (there.st_ino, there.st_dev) == (inode, dev):
            continue
        if there is not None:
            os.unlink(base + path)
        os.makedirs(os.path.dirname(base + path), exist_ok=True)
        try:
            os.link(source + path, base + path)
        except OSError:  # a file system without hard links
            shutil.copy2(source + path, base + path)
