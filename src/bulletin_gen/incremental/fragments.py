"""Per-issue pieces of the pages about every issue (feed, search and events entries), kept.

The feed holds every issue in full and the search index every item's words: made
again from scratch, they cost most of a rebuild after one edit. Each piece depends
on one issue and on the site-wide inputs only, so it is stored under a key naming
both (the issue's load key and the render key: site.yaml, templates, assets, the
tool); an issue edited gets a new key, its pieces are made again, the others are
reused. A template opts in with `{% cache "name", bulletin %}...{% endcache %}` (the tag is
render/templates.py's FragmentCacheExtension; this module imports no Jinja, which a
rebuild with nothing to render never needs)
around a part that depends on nothing but that issue and the page's own settings.
All the pieces of an issue share one file, however small and many they are, each pickled
on its own: a page unpickles only the pieces it shows (the events page, not the search
index's words).

Without an active store (`check`, render_site) nothing is cached: pieces are made.

A build holds every issue's outline and no issue's bodies (Bulletin.outline); the pages
about every issue are made from the outlines with every piece stored (`missing`), and
made again with the issues in full whose pieces were missing.
"""

from __future__ import annotations

import collections
import contextvars
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bulletin_gen.incremental.cachefile import read_pickle, write_pickle
from bulletin_gen.model import Bulletin

KEEP_READ = 4  # issues' pieces held after reading (besides those not yet written)
SMALL = 4096  # bytes: a piece this small, read, is held unpickled for the build

# The store the templates being rendered put their pieces in: set only inside
# `with active(store)`, for the context that renders (each worker process has its own).
_active: contextvars.ContextVar[FragmentStore | None] = contextvars.ContextVar(
    "bulletin_fragments", default=None)


class FragmentStore:
    """The pieces of the issues of one build, on disk under folder (one file per issue,
    holding all its pieces), and in memory too where a session that builds again (`serve`)
    lends its memory (pieces by issue key)."""

    def __init__(self, folder: Path, keys: dict[str, str],
                 memory: dict[str, dict[str, Any]] | None = None) -> None:
        self.folder = folder
        self.keys = keys  # slug -> the key of everything that pieces depend on
        self.memory = memory
        # Issues' stored pieces, each pickled on its own (read, a page unpickles only the
        # pieces it shows), by key, the last used last.
        self._read: collections.OrderedDict[str, dict[str, bytes]] = collections.OrderedDict()
        # The small pieces read, unpickled, for the whole build: the pages about every
        # issue are made a second time when a piece was missing (see missing()).
        self._small: dict[tuple[str, str], Any] = {}
        self._unsaved: set[str] = set()  # keys with pieces made since they were read
        # Set while the pages about every issue render from outlines (see missing()): the
        # issues whose pieces were not found; what make() returns then is not kept.
        self.missed: set[str] | None = None

    def get(self, bulletin: Bulletin, name: str, make: Callable[[], Any]) -> Any:
        key = self.keys.get(bulletin.slug)
        if key is None:  # not an issue of this build: never cache what cannot be keyed
            return make()
        if self.memory is not None and name in self.memory.get(key, {}):
            return self.memory[key][name]
        small = self._small.get((key, name))
        if small is not None:
            return small
        stored = self._stored(key)
        if name not in stored and self.missed is not None:
            self.missed.add(bulletin.slug)  # an outline: what it makes is not the piece
            return make()
        if name in stored:
            piece = pickle.loads(stored[name])
            if len(stored[name]) <= SMALL:
                self._small[(key, name)] = piece
        else:
            piece = make()
            stored[name] = pickle.dumps(piece, pickle.HIGHEST_PROTOCOL)
            self._unsaved.add(key)
        if self.memory is not None:
            self.memory.setdefault(key, {})[name] = piece
        return piece

    def _stored(self, key: str) -> dict[str, bytes]:
        stored = self._read.get(key)
        if stored is not None:
            self._read.move_to_end(key)
            return stored
        # Besides the pieces not yet written, the issues read last only: the shared pages
        # go through every issue (the feed, then the search index), and holding the whole
        # archive's pieces would raise the build's peak memory.
        clean = [k for k in self._read if k not in self._unsaved]
        for oldest in clean[:max(0, len(clean) - KEEP_READ + 1)]:
            del self._read[oldest]
        found = read_pickle(self._file(key))
        if not (isinstance(found, dict)
                and all(isinstance(piece, bytes) for piece in found.values())):
            found = {}  # none, damaged, or of another format
        self._read[key] = found
        return found

    def flush(self) -> None:
        """Write the pieces made since the last flush: one file per issue, once, rather
        than a file per piece (creating files is most of what storing them costs)."""
        for key in sorted(self._unsaved):
            write_pickle(self._file(key), self._read[key])
        self._unsaved.clear()
        self._read.clear()  # on disk now; a session that builds again keeps them in memory

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def save(self) -> None:
        """Forget the pieces of issues no longer built (they are all on disk already)."""
        if self.memory is None:
            return
        current = set(self.keys.values())
        for key in [key for key in self.memory if key not in current]:
            del self.memory[key]

    def prune(self) -> None:
        """Remove stored pieces of issues no longer built (and files of older formats)."""
        current = {f"{key}.pickle" for key in self.keys.values()}
        for stored in self.folder.glob("*.pickle"):
            if stored.name not in current:
                stored.unlink(missing_ok=True)


@contextmanager
def missing(store: FragmentStore) -> Iterator[set[str]]:
    """Render from outlines in the block (issues without their bodies), with store active:
    the set yielded holds, after it, every issue whose pieces were not stored. Its output
    is right only if the set is empty; otherwise render again with those issues in full."""
    missed: set[str] = set()
    store.missed = missed
    try:
        with active(store):
            yield missed
    finally:
        store.missed = None


@contextmanager
def active(store: FragmentStore) -> Iterator[FragmentStore]:
    """Cache pieces in store while the block renders; store what it made at the end."""
    token = _active.set(store)
    try:
        yield store
    finally:
        _active.reset(token)
    store.flush()


def cached(bulletin: Bulletin, name: str, make: Callable[[], Any]) -> Any:
    """make(), or the piece stored for this issue under name."""
    store = _active.get()
    return make() if store is None else store.get(bulletin, name, make)
