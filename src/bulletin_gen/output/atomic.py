"""Swap two folders in one step, so there is never a moment without a site."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # from <linux/fs.h>


def exchange(first: Path, second: Path) -> bool:
    """Atomically swap two existing paths; False where the system cannot (then rename twice).

    Linux's renameat2(RENAME_EXCHANGE) does it in one step; two renames leave a
    moment with no site/, and a build killed in that moment would leave none.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    # Fails with EINVAL on a file system without exchange (some network mounts): fall back.
    return renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second),
                     RENAME_EXCHANGE) == 0
