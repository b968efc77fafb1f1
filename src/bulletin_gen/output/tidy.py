"""Delete old sites after the command has returned, and never a folder someone still uses.

Deleting a site of thousands of files can take seconds (minutes on a busy disk), so
no build deletes one while the user waits: what is to go is renamed aside
(`site.old-<pid>-<token>`) and handed to a child process of its own that outlives the
command. What a killed build or deleter leaves is handed over again by the next build.

Beside site/ live, by name:
- `site.tmp-<pid>-...`: a build's staging folder (the build with that pid is writing it);
- `site.spare-<pid>`: the previous site, kept for the next build to write into (spare.py);
  while that pid runs (`serve`) it is its own, after that the next build takes it;
- `site.old-<pid>-...`: a replaced site or a spare's unwanted folders, deleted by a child
  that holds a lock on it (flock, released by the kernel when the child ends, however
  it ends).
A folder is deleted only when the process its name gives has ended (or it is this
process's own) and no deleter holds it, so two builds beside one site never delete each
other's work.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

MARKER = ".bulletin-gen"  # in every site a build made: what may be replaced or deleted
KINDS = ("tmp", "spare", "old")

# The child: lowest priority, the marker first (so a half-deleted site is never taken
# for a whole one and restored, see staging.clean_leftovers), then the rest.
# A site someone made read-only (a deploy step, say) is made writable as it goes: it
# would otherwise stay beside site/ for ever.
_DELETE = """import os, shutil, stat, sys
os.nice(19)
def again(function, path, _):
    try:
        os.chmod(os.path.dirname(path), stat.S_IRWXU)
        function(path)
    except OSError:
        pass
for folder in sys.argv[2:]:
    try:
        os.unlink(os.path.join(folder, sys.argv[1]))
    except OSError:
        pass
    shutil.rmtree(folder, onerror=again)
"""


def aside_name(out_dir: Path) -> Path:
    """A fresh name beside out_dir for a site that is to be deleted."""
    return out_dir.with_name(f"{out_dir.name}.old-{os.getpid()}-{secrets.token_hex(4)}")


def put_aside(folder: Path, out_dir: Path) -> Path:
    """Rename folder (a replaced site) to an `.old-` name; return the new path."""
    target = aside_name(out_dir)
    os.rename(folder, target)
    return target


def delete_later(folders: Iterable[Path]) -> None:
    """Delete folders in a child process that outlives this one; return at once.

    Each folder is locked first, and the child inherits the locks: a folder another
    deleter holds is skipped. Where no child can be started, they are deleted now.
    """
    locks: list[int] = []
    paths: list[str] = []
    for folder in folders:
        lock = _lock(folder)
        if lock is not None:
            locks.append(lock)
            paths.append(os.path.abspath(folder))
    if not paths:
        return
    try:
        # A session of its own: neither Ctrl-C in the terminal nor the end of the
        # command (or of `serve`) stops it; no stdio, so it holds no pipe open.
        subprocess.Popen([sys.executable or "python3", "-I", "-S", "-c", _DELETE, MARKER,
                          *paths], pass_fds=locks, start_new_session=True, cwd="/",
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    except OSError:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
    finally:
        for lock in locks:
            os.close(lock)  # the child's copy keeps the lock


def leftovers(out_dir: Path) -> list[Path]:
    """The folders beside out_dir that no running process uses: safe to delete."""
    found = []
    for kind in KINDS:
        for folder in out_dir.parent.glob(f"{out_dir.name}.{kind}-*"):
            if not _owner_running(folder.name.split(f".{kind}-", 1)[1]) and not held(folder):
                found.append(folder)
    return sorted(found)


def held(folder: Path) -> bool:
    """Whether a deleter holds folder's lock (it is being deleted)."""
    lock = _lock(folder)
    if lock is None:
        return True  # gone already, or unreadable: leave it alone either way
    os.close(lock)
    return False


def _lock(folder: Path) -> int | None:
    """folder opened and locked by this process, or None if another holds it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _owner_running(suffix: str) -> bool:
    """Whether the process named at the start of suffix (`<pid>-...`) is another, living one.

    Names without a pid (from older versions) have no owner. A pid reused by an unrelated
    process only keeps the folder until that process ends.
    """
    pid = suffix.split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
