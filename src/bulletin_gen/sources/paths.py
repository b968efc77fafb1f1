"""Resolve paths from front matter and bodies, keeping them inside the repository."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from bulletin_gen.errors import ContentError
from bulletin_gen.sources.frontmatter import resolved_folder

if TYPE_CHECKING:  # types only: site.yaml's own logo check resolves paths with this module
    from bulletin_gen.config.settings import Config

ASSETS_PREFIX = "assets/"
MAX_PATH_CHARS = 1000


class PathProblem(ValueError):
    """A path that is missing or leads out of the repository."""


def resolve_source(raw: str, issue_folder: Path, config: Config) -> tuple[Path, str]:
    """Return (file on disk, site-relative URL path) for a path written in an issue.

    Paths are relative to the issue folder; `assets/...` names the shared assets,
    found in the publication's assets/ first, then the default theme's.
    """
    raw = raw.strip()
    posix = PurePosixPath(raw)
    if "\x00" in raw or len(raw) > MAX_PATH_CHARS:
        raise PathProblem(f"expected a path like images/picture.png, got {_short(raw)}")
    if "\\" in raw:
        raise PathProblem(f"write paths with forward slashes, relative to the issue folder "
                          f"(like images/picture.png), got {_short(raw)}")
    if not raw or posix.is_absolute() or ":" in raw.split("/")[0]:
        raise PathProblem("expected a path relative to the issue folder, like "
                          f"images/picture.png, got {_short(raw)}")
    if ".." in posix.parts:
        raise PathProblem(f"path {raw!r} leads out of its folder ('..' is not allowed)")
    if raw.startswith(ASSETS_PREFIX):
        relative = raw[len(ASSETS_PREFIX):]
        for folder in config.asset_dirs:
            candidate = folder / relative
            if _is_file(candidate):
                return _inside(candidate, folder, raw), f"assets/{relative}"
        raise PathProblem(f"no file {raw!r} in assets/")
    candidate = issue_folder / raw
    if not _is_file(candidate):
        raise PathProblem(f"no file {raw!r} in {issue_folder.relative_to(config.root).as_posix()}/")
    return _inside(candidate, config.root, raw), f"{issue_folder.name}/{posix.as_posix()}"


def _inside(candidate: Path, folder: Path, raw: str) -> Path:
    """candidate's real path; a symlink pointing out of the folder is refused."""
    real = candidate.resolve()
    if not real.is_relative_to(resolved_folder(folder)):
        raise PathProblem(f"path {raw!r} leads out of the repository (through a symlink)")
    return real


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system, say
        return False


def _short(raw: str) -> str:
    shown = raw.replace("\x00", "\\0")
    return "'" + (shown if len(shown) <= 60 else shown[:57] + "...") + "'"


def links_leading_out(config: Config) -> list[ContentError]:
    """Symlinks in the publication's assets/ and templates/ that lead out of the repository.

    Every file under assets/ is published and every template is read, so a link
    to ~/.ssh/id_rsa in a pull request would otherwise go out with the bulletin.
    """
    root = config.root.resolve()
    errors = []
    for name in ("assets", "templates"):
        for folder, dirs, files in os.walk(config.root / name):
            for entry in sorted([*dirs, *files]):
                path = Path(folder) / entry
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    errors.append(ContentError(path.relative_to(config.root).as_posix(), None,
                                               "a symlink leading out of the repository; "
                                               "copy the file in instead"))
    return errors
