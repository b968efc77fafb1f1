"""Write the site atomically: into a folder beside the output, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin_gen.errors import BulletinError
from bulletin_gen.output.atomic import exchange
from bulletin_gen.output.spare import Spare, update_from

if TYPE_CHECKING:  # render imports Jinja, which a rebuild with nothing to make never needs
    from bulletin_gen.render.site import OutputFile

MARKER = ".bulletin-gen"


@contextmanager
def staging(out_dir: Path, spare: Spare | None = None) -> Iterator[Path]:
    """A fresh folder beside out_dir that replaces it if the block succeeds, else vanishes.

    Until the swap, out_dir is untouched: a build that fails or is killed leaves the
    previous site as it was (clean_leftovers tidies up after a killed one). With a
    spare (a session that builds again, like `serve`'s), the previous site is kept as
    the spare and is the next build's folder (see spare.py): carry_over updates it.
    """
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out_dir, spare.held() if spare else set())
    folder = (spare.take() if spare else None) or Path(
        tempfile.mkdtemp(prefix=f"{out_dir.name}.tmp-", dir=parent))
    try:
        yield folder
        (folder / MARKER).write_text("built by bulletin-gen; safe to delete\n", encoding="utf-8")
        os.chmod(folder, 0o755)
        _swap(folder, out_dir, spare)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
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
        if file.content is not None:
            target.write_bytes(file.content)
        elif file.source is not None:
            shutil.copyfile(file.source, target)
        written.append(file.path)
    return written


def carry_over(out_dir: Path, folder: Path, paths: Iterable[str]) -> list[str]:
    """Hard-link files of the previous build into the new one: unchanged pages cost nothing.

    The previous site keeps its own links, so it stays whole until the swap. A folder
    that is not empty is a spare (an older site): it is brought up to date instead.
    """
    paths = list(paths)
    with os.scandir(folder) as entries:
        if any(True for _ in entries):
            update_from(out_dir, folder, paths)
            return list(paths)
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


def _swap(staging: Path, out_dir: Path, spare: Spare | None) -> None:
    if out_dir.exists() and exchange(staging, out_dir):
        # staging now holds the previous site
        if spare is not None:
            spare.keep(staging)
        else:
            shutil.rmtree(staging, ignore_errors=True)
    elif out_dir.exists():
        old = out_dir.with_name(f"{out_dir.name}.old-{os.getpid()}")
        os.rename(out_dir, old)
        os.rename(staging, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, out_dir)


def clean_leftovers(out_dir: Path, kept: set[Path]) -> None:
    """Remove what an interrupted build left beside the output; restore a lost site.
    kept: this session's spare, which stays."""
    parent = out_dir.parent
    olds = sorted(parent.glob(f"{out_dir.name}.old-*"))
    if not out_dir.exists() and olds:
        os.rename(olds.pop(), out_dir)
    for leftover in [*olds, *parent.glob(f"{out_dir.name}.tmp-*"),
                     *parent.glob(f"{out_dir.name}.spare-*")]:
        if leftover not in kept:  # a killed `serve`'s spare goes; this process's stays
            shutil.rmtree(leftover, ignore_errors=True)
