"""Resolve paths from front matter and bodies, keeping them inside the repository."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from bulletin_gen.config import Config

ASSETS_PREFIX = "assets/"


class PathProblem(ValueError):
    """A path that is missing or leads out of the repository."""


def resolve_source(raw: str, issue_folder: Path, config: Config) -> tuple[Path, str]:
    """Return (file on disk, site-relative URL path) for a path written in an issue.

    Paths are relative to the issue folder; `assets/...` names the shared assets,
    found in the publication's assets/ first, then the default theme's.
    """
    raw = raw.strip()
    posix = PurePosixPath(raw)
    if not raw or posix.is_absolute() or "\\" in raw or ":" in raw.split("/")[0]:
        raise PathProblem(f"expected a relative path like images/picture.png, got {raw!r}")
    if ".." in posix.parts:
        raise PathProblem(f"path {raw!r} leads out of its folder ('..' is not allowed)")
    if raw.startswith(ASSETS_PREFIX):
        relative = raw[len(ASSETS_PREFIX):]
        for folder in config.asset_dirs:
            candidate = folder / relative
            if candidate.is_file():
                _inside(candidate, folder, raw)
                return candidate.resolve(), f"assets/{relative}"
        raise PathProblem(f"no file {raw!r} in assets/")
    candidate = issue_folder / raw
    if not candidate.is_file():
        raise PathProblem(f"no file {raw!r} in {issue_folder.relative_to(config.root).as_posix()}/")
    _inside(candidate, config.root, raw)
    return candidate.resolve(), f"{issue_folder.name}/{posix.as_posix()}"


def _inside(candidate: Path, folder: Path, raw: str) -> None:
    # resolve() follows symlinks: a link pointing out of the folder is refused.
    if not candidate.resolve().is_relative_to(folder.resolve()):
        raise PathProblem(f"path {raw!r} leads out of the repository (through a symlink)")
