"""Files of the build cache: read tolerantly, written atomically.

A cache file that is missing, damaged or unwritable (a read-only checkout) only makes
the next build slower, so neither function raises.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
              TypeError, ValueError)


def read_pickle(path: Path) -> Any:
    """The object stored at path, or None when there is none to trust."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except UNREADABLE:
        return None


def write_pickle(path: Path, value: Any) -> bool:
    return write_atomically(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def write_atomically(path: Path, data: bytes) -> bool:
    """Write data to path through a temporary file, so a reader never sees half of it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except OSError:
        return False
    return True
