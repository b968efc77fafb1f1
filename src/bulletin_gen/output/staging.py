"""Write the site atomically: into a folder beside the output, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin_gen.errors import BulletinError
from bulletin_gen.output.atomic import exchange
from bulletin_gen.output.spare import Spare, staging_prefix, update_from
from bulletin_gen.output.tidy import MARKER, delete_later, leftovers, put_aside

if TYPE_CHECKING:  # render imports Jinja, which a rebuild with nothing to make never needs
    from bulletin_gen.render.site import OutputFile

__all__ = ["MARKER", "carry_over", "check_unique", "staging", "write_files"]


@contextmanager
def staging(out_dir: Path, spare: Spare | None = None) -> Iterator[Path]:
    """A fresh folder beside out_dir that replaces it if the block succeeds, else vanishes.

    Until the swap, out_dir is untouched: a build that fails or is killed leaves the
    previous site as it was (clean_leftovers tidies up after a killed one). The
    replaced site is kept as the spare, the next build's folder (see spare.py):
    carry_over brings it up to date.
    """
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    spare = spare or Spare(out_dir)
    spare.adopt()
    clean_leftovers(out_dir, spare.held())
    folder = spare.take() or Path(tempfile.mkdtemp(prefix=staging_prefix(out_dir), dir=parent))
    try:
        yield folder
        (folder / MARKER).write_text("built by bulletin-gen; safe to delete\n", encoding="utf-8")
        os.chmod(folder, 0o755)
        _swap(folder, out_dir, spare)
    except BaseException:
        delete_later([put_aside(folder, out_dir)])
        raise


def write_files(folder: Path, files: Iterable[OutputFile]) -> list[str]:
    """Write output files under folder; return their paths."""
    written = []
    made: set[Path] = set()
    for file in files:
        target = folder / file.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            if file.content is not None:
                target.write_bytes(file.content)
            elif file.parts is not None:
                with open(target, "w", encoding="utf-8", newline="") as text:
                    text.writelines(file.parts)
            elif file.source is not None:
                shutil.copyfile(file.source, target)
        except OSError as error:  # a full disk names no file: say which one failed
            if error.filename is None:
                error.filename = str(target)
            raise
        written.append(file.path)
    return written


def carry_over(out_dir: Path, folder: Path, paths: Iterable[str],
               stats: Mapping[str, tuple[int, ...]] | None = None) -> list[str]:
    """Hard-link files of the previous build into the new one: unchanged pages cost nothing.

    The previous site keeps its own links, so it stays whole until the swap. A folder
    that is not empty is a spare (an older site): it is brought up to date instead.
    stats: each path's stat as the manifest recorded it and the build found it again
    (inode first), so that the files need not be asked for it once more.
    """
    paths = list(paths)
    with os.scandir(folder) as entries:
        spare = any(True for _ in entries)
    if spare:
        try:
            update_from(out_dir, folder, paths, stats)
            return list(paths)
        except PermissionError:  # a folder in it made read-only since: start afresh
            delete_later([put_aside(folder, out_dir)])
            folder.mkdir(mode=0o700)
    carried = []
    made: set[str] = set()
    source, target = str(out_dir) + os.sep, str(folder) + os.sep
    for path in paths:  # os on strings, not pathlib: this runs for thousands of files
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(target + parent, exist_ok=True)
            made.add(parent)
        try:
            os.link(source + path, target + path)
        except OSError:  # a file system without hard links
            shutil.copy2(source + path, target + path)
        carried.append(path)
    return carried


def check_unique(paths: Iterable[str]) -> None:
    """Refuse two outputs at one path rather than let one silently replace the other."""
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise BulletinError(f"two outputs would be written to {path}")
        seen.add(path)


def _swap(staging: Path, out_dir: Path, spare: Spare) -> None:
    """Put staging in out_dir's place; the previous site is kept as the spare (or, where
    the system cannot swap in one step, renamed aside and deleted after the command
    returns)."""
    if out_dir.exists() and exchange(staging, out_dir):
        spare.keep(staging)  # staging now holds the previous site
    elif out_dir.exists():
        old = put_aside(out_dir, out_dir)  # until the next rename there is no site/:
        os.rename(staging, out_dir)  # clean_leftovers restores old if a kill lands here
        delete_later([old])
    else:
        os.rename(staging, out_dir)


def clean_leftovers(out_dir: Path, kept: set[Path]) -> None:
    """Hand what interrupted builds left beside the output to a deleter; restore a lost site.

    Only folders no running process uses (see tidy.py); kept: this session's spare,
    which stays.
    """
    found = [folder for folder in leftovers(out_dir) if folder not in kept]
    if not out_dir.exists():  # a kill between the two renames of _swap's fallback
        whole = [folder for folder in found
                 if ".old-" in folder.name and (folder / MARKER).is_file()]
        if whole:
            newest = max(whole, key=lambda folder: folder.stat().st_mtime_ns)
            os.rename(newest, out_dir)
            found.remove(newest)
    aside = []
    for folder in found:  # one name for what is being deleted: `.old-`
        try:
            aside.append(folder if ".old-" in folder.name else put_aside(folder, out_dir))
        except OSError:  # another build took it first
            continue
    delete_later(aside)
