"""What a build that failed or was stopped says: what went wrong, and which site is in place."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def identity(out_dir: Path) -> tuple[int, int] | None:
    """Which folder out_dir is now (a build swaps in a new one), None if there is none."""
    try:
        found = os.stat(out_dir)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def site_now(out_dir: Path, root: Path, before: tuple[int, int] | None) -> str:
    """Which site is in place after a build that failed or was stopped: before is
    identity(out_dir) as the build started."""
    shown = _shown(out_dir, root)
    if identity(out_dir) == before:
        return f"{shown}/ is unchanged" if before else f"no {shown}/ was made"
    return f"{shown}/ holds this build, whole (the rest was tidying up)"


def what_failed(error: OSError, out_dir: Path, root: Path) -> str:
    """`cannot write site.tmp-.../x.html: No space left on device (ENOSPC)`."""
    code = errno.errorcode.get(error.errno or 0, "")
    reason = f"{error.strerror or error}" + (f" ({code})" if code else "")
    if error.filename is None:
        return f"cannot build {_shown(out_dir, root)}/: {reason}"
    return f"cannot write {_shown(Path(os.fsdecode(error.filename)), root)}: {reason}"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root).as_posix()
    except ValueError:
        return str(path)
