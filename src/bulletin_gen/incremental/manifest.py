"""The manifest: what the last build into an output folder made, and from what.

Kept as JSON in the build cache (`.bulletin-cache/build-<out dir>.json`). The next
build plans from it: an issue whose keys are unchanged and whose files are still
as the manifest recorded them (same inode, size and modification time) is carried
over instead of being made again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 2  # a manifest of another format is ignored: the next build is a cold one


@dataclass(frozen=True)
class IssueRecord:
    """One issue of the last build."""
    load: str  # the key of all it was loaded from (its folder, site.yaml, assets, the tool)
    index: str  # the key of its bulletin.md alone: what its neighbours' pager links show
    date: str | None  # its date (ISO), so its place in the archive is known without loading
    draft: bool
    render: str  # the key its pages were made under: load key, templates, neighbours
    files: tuple[str, ...]  # what it wrote, relative to the output folder


@dataclass(frozen=True)
class SharedRecord:
    """The pages about every issue (index, events, feed, search, sitemap) and the assets."""
    key: str  # the render key and every published issue's load key
    files: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    issues: dict[str, IssueRecord] = field(default_factory=dict)  # by slug, drafts too
    shared: SharedRecord = SharedRecord("", ())
    stats: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # file: inode, size, mtime

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "issues": {slug: {"load": r.load, "index": r.index, "date": r.date,
                              "draft": r.draft, "render": r.render, "files": list(r.files)}
                       for slug, r in self.issues.items()},
            "shared": {"key": self.shared.key, "files": list(self.shared.files)},
            "stats": {path: list(stat) for path, stat in self.stats.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """The manifest in data; an empty one for anything of another format or shape."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls()
        try:
            issues = {slug: IssueRecord(r["load"], r["index"], r["date"], bool(r["draft"]),
                                        r["render"], tuple(r["files"]))
                      for slug, r in data["issues"].items()}
            shared = SharedRecord(data["shared"]["key"], tuple(data["shared"]["files"]))
            stats = {path: (stat[0], stat[1], stat[2]) for path, stat in data["stats"].items()}
        except (KeyError, TypeError, IndexError, AttributeError):
            return cls()
        return cls(issues, shared, stats)


def file_stats(out_dir: Path, paths: list[str]) -> dict[str, tuple[int, int, int]]:
    """What identifies each output file: a file edited, replaced or lost since looks different."""
    stats, folder = {}, f"{out_dir}{os.sep}"  # strings: this runs over every file, every build
    for path in paths:
        try:
            found = os.stat(folder + path)
        except OSError:
            continue
        stats[path] = (found.st_ino, found.st_size, found.st_mtime_ns)
    return stats


def unchanged_files(out_dir: Path, last: Manifest) -> set[str]:
    """The last build's files that are still as it left them."""
    now = file_stats(out_dir, list(last.stats))
    return {path for path, stat in now.items() if last.stats.get(path) == stat}
