"""A second output tree for a process that builds again and again (`serve`).

After the swap the staging folder holds the previous site: rather than delete it
(and make ~500 folders and link ~3,000 files into a new one at the next build),
`serve` keeps it beside site/ as the spare and brings it up to date at the next
build. Most of its files are the very files (same inode) site/ holds, since builds
hard-link what did not change; only what differs is removed or linked again.

The spare is renamed to a staging name (`site.tmp-...`) before it is touched, so a
build killed while updating it leaves a folder the next build deletes, and site/
stays whole; a spare left by a killed `serve` is deleted by the next build too.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

_spares: dict[Path, Path] = {}  # out_dir -> the previous site this process keeps
_wanted: set[Path] = set()  # the output folders this process keeps a spare for (prepared)
_at_exit: list[object] = []


def spare_name(out_dir: Path) -> Path:
    return out_dir.with_name(f"{out_dir.name}.spare-{os.getpid()}")


def keep(out_dir: Path, previous: Path) -> None:
    """Keep the previous site (a staging folder after the swap) as out_dir's spare, if
    this process prepared one for out_dir; else delete it."""
    if out_dir not in _wanted:
        shutil.rmtree(previous, ignore_errors=True)
        return
    target = spare_name(out_dir)
    shutil.rmtree(target, ignore_errors=True)
    os.rename(previous, target)
    _spares[out_dir] = target
    if not _at_exit:  # a `serve` that stops leaves no spare behind
        _at_exit.append(atexit.register(_drop_all))


def take(out_dir: Path) -> Path | None:
    """The spare, renamed to a fresh staging name; None when there is none."""
    spare = _spares.pop(out_dir, None)
    if spare is None or not spare.is_dir():
        return None
    folder = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        os.rename(spare, folder)  # replaces the empty folder just made
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)
        return folder  # empty: the build links every file as it would without a spare
    return folder


def held() -> set[Path]:
    """This process's spares (which tidying up after killed builds must leave alone)."""
    return set(_spares.values())


def update(out_dir: Path, folder: Path, paths: Iterable[str]) -> None:
    """Make folder (a previous site) hold exactly out_dir's files at paths, hard-linked.

    Everything else is removed, so the build writes every other file anew and never
    into a file that site/ shares.
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
    for path in wanted:
        found = os.stat(source + path)
        try:
            there = os.stat(base + path)
        except FileNotFoundError:
            there = None
        if there is not None and (there.st_ino, there.st_dev) == (found.st_ino, found.st_dev):
            continue
        if there is not None:
            os.unlink(base + path)
        os.makedirs(os.path.dirname(base + path), exist_ok=True)
        try:
            os.link(source + path, base + path)
        except OSError:  # a file system without hard links
            shutil.copy2(source + path, base + path)


def prepare(out_dir: Path) -> None:
    """Make the spare now, between builds, if there is none: a copy of site/ in links."""
    if out_dir in _spares or not out_dir.is_dir():
        return
    _wanted.add(out_dir)
    folder = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for parent, _, names in os.walk(out_dir):
            target = os.path.join(folder, os.path.relpath(parent, out_dir))
            os.makedirs(target, exist_ok=True)
            for name in names:
                os.link(os.path.join(parent, name), os.path.join(target, name))
        keep(out_dir, folder)
    except OSError:  # no hard links here: builds make their folder from scratch
        shutil.rmtree(folder, ignore_errors=True)


def _drop_all() -> None:
    for spare in list(_spares.values()):
        shutil.rmtree(spare, ignore_errors=True)
    _spares.clear()
