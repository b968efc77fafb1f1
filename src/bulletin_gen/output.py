"""Write the site atomically: into a folder beside the output, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bulletin_gen.atomic import exchange
from bulletin_gen.errors import BulletinError
from bulletin_gen.render import OutputFile

MARKER = ".bulletin-gen"


def write_output(files: list[OutputFile], out_dir: Path) -> int:
    """Write every file or none; return how many were written."""
    seen: set[str] = set()
    for file in files:
        if file.path in seen:
            raise BulletinError(f"two outputs would be written to {file.path}")
        seen.add(file.path)
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.tmp-", dir=parent))
    try:
        for file in files:
            target = staging / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if file.content is not None:
                target.write_bytes(file.content)
            elif file.source is not None:
                shutil.copyfile(file.source, target)
        (staging / MARKER).write_text("built by bulletin-gen; safe to delete\n", encoding="utf-8")
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(files)


def _swap(staging: Path, out_dir: Path) -> None:
    if out_dir.exists() and exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous site
    elif out_dir.exists():
        old = out_dir.with_name(f"{out_dir.name}.old-{os.getpid()}")
        os.rename(out_dir, old)
        os.rename(staging, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, out_dir)


def clean_leftovers(out_dir: Path) -> None:
    """Remove what an interrupted build left beside the output; restore a lost site."""
    parent = out_dir.parent
    olds = sorted(parent.glob(f"{out_dir.name}.old-*"))
    if not out_dir.exists() and olds:
        os.rename(olds.pop(), out_dir)
    for leftover in [*olds, *parent.glob(f"{out_dir.name}.tmp-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
