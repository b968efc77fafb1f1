"""Hashes of the sources, and of each file read, kept by stat between builds.

A file is read again only if its inode, size, mtime or ctime changed since it was
last hashed, as git does; one hashed within RACY_NS of its last change is never
kept (one clock tick could hide an edit): a hash can be missing, never stale.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from bulletin_gen.incremental.cachefile import read_pickle, write_pickle

RACY_NS = 2_000_000_000
Stat = tuple[int, ...]  # a file's inode, size, mtime and ctime; for kept(), its folders' ones
LIMIT = 100_000  # hashes kept at most: a file deleted or moved leaves its entry behind


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


class FileHashes:
    """The hashes of the files a build read, by path, each with the stat it was read at.

    One per build session: `serve` keeps it between builds, and `bulletin build` keeps
    it in the build cache (load, save), so an edit reads the edited file, not all.
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[Stat, bytes]] = {}
        self._unsaved = False  # whether a file was hashed since load or save
        self._fresh: dict[str, tuple[Stat, bytes]] = {}  # hashed here since take_fresh()
        self._watched: tuple[str, ...] = ()  # folders whose every change changed() is told
        self._trees: dict[tuple[str, ...], str] = {}  # tree() of folders in them, kept

    def tree(self, *folders: Path) -> str:
        """Hash every file (name and bytes) under the folders, in a stable order."""
        key = tuple(str(folder) for folder in folders)
        kept = self._trees.get(key)
        if kept is not None:
            return kept
        parts: list[str | bytes] = []
        linked = False
        for folder in key:
            parts.append(folder)
            for relative, path, link in _files(folder):
                parts += [relative, self.file(path)]
                linked = linked or link
        tree = digest(*parts)
        # Kept only if a watcher sees every change to it: nothing in it is a link, whose
        # file elsewhere could change unseen.
        if not linked and all(_within(folder, self._watched) for folder in key):
            self._trees[key] = tree
        return tree

    def watched(self, folders: list[Path]) -> None:
        """From now on a watcher (serve's) tells changed() of every change under these
        folders: tree() of folders in them is kept until then, their files not even
        stat'ed (a few thousand stats less in every rebuild)."""
        self._watched = tuple(os.path.abspath(folder) for folder in folders)
        self._trees.clear()

    def changed(self, paths: list[str]) -> None:
        """What a watcher saw change (files or folders): the trees holding them go."""
        for path in map(os.path.abspath, paths):
            self._trees = {key: tree for key, tree in self._trees.items()
                           if not any(_within(path, (folder,)) or _within(folder, (path,))
                                      for folder in key)}

    def file(self, path: str) -> bytes:
        """The hash of a file's bytes, read only if the file changed since last hashed."""
        found = os.stat(path)
        stat = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
        known = self._known.get(path)
        if known is not None and known[0] == stat:
            return known[1]
        started = time.time_ns()
        with open(path, "rb") as file:
            hashed = hashlib.blake2b(file.read(), digest_size=16).digest()
        if max(found.st_mtime_ns, found.st_ctime_ns) < started - RACY_NS:
            self._known[path] = self._fresh[path] = (stat, hashed)
            self._unsaved = True
        return hashed

    def kept(self, name: str, folders: list[str], make: Callable[[], bytes]) -> bytes:
        """What make() gives, worked out again only when one of the folders changed (a
        file added, removed or renamed in it): as a file's hash, kept between builds."""
        stats: list[int] = []
        started = time.time_ns()
        for folder in folders:
            try:
                found = os.stat(folder)
            except OSError:
                stats += (0, 0, 0, 0)
                continue
            stats += (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
            if max(found.st_mtime_ns, found.st_ctime_ns) >= started - RACY_NS:
                return make()  # changed a moment ago: may change again unseen
        # By the folders too: processes started differently (a script, python -c) see
        # different ones, and each keeps its own.
        key, stat = "\0".join(["", name, *folders]), tuple(stats)  # \0: never in a path
        known = self._known.get(key)
        if known is not None and known[0] == stat:
            return known[1]
        made = make()
        self._known[key] = (stat, made)
        self._unsaved = True
        return made

    def take_fresh(self) -> dict[str, tuple[Stat, bytes]]:
        """The hashes made in this process since the last call: a loading process hands
        them to the build (merge), which keeps them for the next build."""
        fresh, self._fresh = self._fresh, {}
        return fresh

    def merge(self, hashes: dict[str, tuple[Stat, bytes]]) -> None:
        if hashes:
            self._known.update(hashes)
            self._unsaved = True

    def load(self, file: Path) -> None:
        """Add the hashes a previous build kept (a damaged file: none)."""
        if self._known:
            return  # this session already holds newer ones
        found = read_pickle(file)
        if isinstance(found, dict) and len(found) < LIMIT:
            self._known.update(found)

    def save(self, file: Path) -> None:
        """Keep the hashes for the next build, if any is new."""
        if self._unsaved and write_pickle(file, self._known):
            self._unsaved = False


def _within(path: str, folders: tuple[str, ...]) -> bool:
    """Whether path is one of the folders or inside one (absolute paths)."""
    return any(path == folder or path.startswith(folder + os.sep) for folder in folders)


def _files(folder: str) -> list[tuple[str, str, bool]]:
    """(relative path, path, whether a link) of every file under folder, sorted; plain
    strings and one scandir a folder, as this runs on every build over every source file.
    As os.walk did: a link to a folder is not followed, a folder that cannot be listed
    is skipped."""
    found: list[tuple[str, str, bool]] = []
    pending = [(folder, "")]
    while pending:
        parent, prefix = pending.pop()
        try:
            entries = list(os.scandir(parent))
        except OSError:  # as os.walk: a folder that cannot be listed adds nothing
            continue
        for entry in entries:
            if entry.is_dir():
                if entry.name != "__pycache__" and not entry.is_symlink():
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
            elif not entry.name.endswith(".pyc"):
                found.append((prefix + entry.name, entry.path, entry.is_symlink()))
    found.sort()
    return found
