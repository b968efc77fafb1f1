"""One build at a time per output folder.

Two builds of one site (an editor's `serve` and a `make build`) would otherwise
stage side by side; tidy.py keeps each from deleting the other's folders, and this
lock makes them take turns, so that each build's view of the site and of the build
cache is its own from start to swap. The lock is flock(2) on the output folder's
parent (the folder that holds site/ and its staging folders): no file of its own,
and the kernel drops it when the process ends, however it ends.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# File systems where flock(2) is not offered: building goes on unlocked, as before.
NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL})


@contextmanager
def build_lock(out_dir: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock for the block; if another build holds it, call
    waiting() and wait for it to finish."""
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except OSError as error:
            if error.errno not in NO_LOCKS:
                raise
        yield
    finally:
        os.close(descriptor)  # releases the lock
