"""Small publications of several issues, and the trees they build to, for the cache tests."""

from __future__ import annotations

import calendar
import shutil
from pathlib import Path

from tests.conftest import copy_publication

EXAMPLE = "2022-06"
KEEP_ITEMS = ("10-june-topical-tuesday.md", "30-air-quality-webinar.md",
              "30-commonwealth-games-2022.md", "40-deloitte-masterclasses.md")


def add_issue(root: Path, slug: str, items: tuple[str, ...] = KEEP_ITEMS) -> Path:
    """Copy the example issue to another month, with its own title and date."""
    year, month = (int(part) for part in slug.split("-"))
    folder = root / "bulletins" / slug
    shutil.copytree(root / "bulletins" / EXAMPLE, folder)
    for item in folder.glob("[0-9]*.md"):
        if item.name not in items:
            item.unlink()
    index = folder / "bulletin.md"
    name = calendar.month_name[month]
    last = calendar.monthrange(year, month)[1]
    index.write_text(index.read_text(encoding="utf-8")
                     .replace("June 2022", f"{name} {year}")
                     .replace("2022-06-30", f"{year}-{month:02d}-{last:02d}"), encoding="utf-8")
    return folder


def publication(tmp_path: Path, slugs: tuple[str, ...]) -> Path:
    """The example publication with the example issue trimmed and copies for other months."""
    root = copy_publication(Path(__file__).resolve().parents[1], tmp_path / "pub")
    for slug in slugs:
        if slug != EXAMPLE:
            add_issue(root, slug)
    for item in (root / "bulletins" / EXAMPLE).glob("[0-9]*.md"):
        if item.name not in KEEP_ITEMS:
            item.unlink()
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_ino
            for path in folder.rglob("*") if path.is_file()}


def fresh_tree(root: Path, tmp_path: Path, invoke, *args: str) -> dict[str, bytes]:
    """What a first build of the same sources, with no cache, writes."""
    copy = copy_publication(root, tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}")
    result = invoke(copy, "build", *args)
    assert result.exit_code == 0, result.output
    return tree(copy / "site")


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Paths added, removed or different."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
