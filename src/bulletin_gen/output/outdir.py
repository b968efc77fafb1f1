"""Decide whether a folder may receive the built site, which replaces it wholesale."""

from __future__ import annotations

from pathlib import Path

from bulletin_gen.errors import BulletinError
from bulletin_gen.output.staging import MARKER

# The publication's sources: a build never writes into (or over) them.
SOURCE_FOLDERS = ("bulletins", "templates", "assets")


class OutDirProblem(BulletinError):
    """An output folder that a build must not replace."""


def check_out_dir(out_dir: Path, root: Path) -> None:
    """Refuse an output folder whose replacement would lose sources or someone's files.

    The build swaps the whole folder for a fresh one, so it may only be a folder
    bulletin-gen made (it holds the MARKER file), an empty folder, or a new one.
    """
    out = out_dir.resolve()
    root = root.resolve()
    shown = _shown(out, root)
    if out == root or root.is_relative_to(out):
        raise OutDirProblem(f"refusing to build into {shown}: it holds the publication "
                            "itself; choose a folder of its own, such as site/")
    for name in SOURCE_FOLDERS:
        folder = (root / name).resolve()
        if out == folder or out.is_relative_to(folder):
            where = "it holds" if out == folder else f"it is inside {name}/, which holds"
            raise OutDirProblem(f"refusing to build into {shown}: {where} the publication's "
                                "sources; choose a folder of its own, such as site/")
    if out.exists() and not out.is_dir():
        raise OutDirProblem(f"refusing to build into {shown}: it is a file, not a folder")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutDirProblem(f"refusing to build into {shown}: it is not empty and "
                            "bulletin-gen did not make it (no .bulletin-gen file in it), "
                            "so the build would delete what it holds; empty it, or "
                            "choose another folder")


def _shown(path: Path, root: Path) -> str:
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
    return "the repository root" if relative == "." else f"{relative}/"
