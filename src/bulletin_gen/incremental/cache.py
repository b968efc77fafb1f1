"""The build cache: keys of every input, the last build's manifest, loaded issues on disk.

Everything lives in .bulletin-cache/ at the publication's root, never inside the
published site/. Loaded issues are stored under the hash of all they were made
from, so an entry can be missing but never stale; the manifest says which inputs
each file in the output folder was made from, and the stat of each file, so a
file changed or lost since is made again rather than trusted.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bulletin_gen import __version__
from bulletin_gen.config.settings import SITE_FILE, Config
from bulletin_gen.incremental.cachefile import read_pickle, write_atomically, write_pickle
from bulletin_gen.incremental.digests import FileHashes, digest
from bulletin_gen.incremental.manifest import FORMAT, Manifest
from bulletin_gen.model import Bulletin
from bulletin_gen.sources.discover import INDEX_FILE, BulletinSource

CACHE_DIR = ".bulletin-cache"
# Libraries whose output is part of ours: a new version may change a byte.
LIBRARIES = ("markdown", "premailer", "cssutils", "lxml", "jinja2", "nh3", "pyyaml",
             "icalendar", "pillow")
OUTLINE = ".outline"  # an issue's outline is stored beside it in full, as <load key>.outline.pickle
PACKAGE = Path(__file__).resolve().parents[1]  # the whole tool: any change to it rebuilds


@dataclass(frozen=True)
class GlobalKeys:
    load: str  # what loading an issue depends on besides its folder: site.yaml, assets, tool
    render: str  # what rendering depends on besides the issues: the above plus templates


@dataclass(frozen=True)
class IssueKey:
    slug: str
    load: str  # names the loaded Bulletin: its folder's files under the load key
    index: str  # bulletin.md alone: what a neighbour's pager link shows (title, date)


def global_keys(config: Config, hashes: FileHashes) -> GlobalKeys:
    """Keys of the site-wide inputs; the tool's own source stands for its version."""
    load = digest(str(FORMAT), __version__, sys.version, _library_versions(hashes),
                  hashes.tree(PACKAGE), str(config.root.resolve()),
                  (config.root / SITE_FILE).read_bytes(), str(config.drafts),
                  hashes.tree(*config.asset_dirs))
    render = digest(load, hashes.tree(*config.template_dirs),
                    os.environ.get("SOURCE_DATE_EPOCH", ""))
    return GlobalKeys(load, render)


def issue_key(source: BulletinSource, keys: GlobalKeys, hashes: FileHashes) -> IssueKey:
    return IssueKey(source.slug, digest(keys.load, source.slug, hashes.tree(source.folder)),
                    digest(hashes.file(os.path.join(source.folder, INDEX_FILE))))


def render_key(keys: GlobalKeys, issue: IssueKey, older: IssueKey | None,
               newer: IssueKey | None) -> str:
    """An issue's pages depend on it, the site-wide inputs and its neighbours' titles."""
    return digest(keys.render, issue.load, *(f"{n.slug}:{n.index}" if n else "-"
                                              for n in (older, newer)))


class Cache:
    """The manifest of the last build into one output folder, and the store of issues."""

    def __init__(self, config: Config) -> None:
        self.folder = config.root / CACHE_DIR
        self.manifest_path = self.folder / f"build-{digest(str(config.out_dir))[:12]}.json"
        # The manifest this cache last wrote, with its file's stat: read again only if
        # the file is no longer the one written (another process built since).
        self._written: tuple[tuple[int, int, int], Manifest] | None = None

    def manifest(self) -> Manifest:
        """The last build's record, or an empty one if there is none or it is unreadable."""
        if self._written is not None and self._written[0] == _stat(self.manifest_path):
            return self._written[1]
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Manifest()
        return Manifest.from_json(data)

    def save_manifest(self, manifest: Manifest) -> None:
        self._written = None
        data = json.dumps(manifest.to_json(), sort_keys=True).encode()
        written = write_atomically(self.manifest_path, data)
        stat = _stat(self.manifest_path)
        if written and stat is not None:
            self._written = (stat, manifest)

    def bulletin(self, load_key: str) -> Bulletin | None:
        """A stored issue, or None when it is missing or unreadable (then it is loaded again)."""
        found = read_pickle(self._stored(load_key))
        return found if isinstance(found, Bulletin) else None

    def outline(self, load_key: str) -> Bulletin | None:
        """A stored issue's outline (Bulletin.outline): a few KB to read, not the whole issue."""
        found = read_pickle(self._stored(load_key, OUTLINE))
        return found if isinstance(found, Bulletin) else None

    def store(self, load_key: str, bulletin: Bulletin, outline: Bulletin) -> bool:
        """Store an issue in full and its outline; whether both could be written."""
        return (write_pickle(self._stored(load_key), bulletin)
                and write_pickle(self._stored(load_key, OUTLINE), outline))

    def prune(self, keep: set[str]) -> None:
        """Drop stored issues that no manifest names any more (keep: what this one names)."""
        for manifest in self.folder.glob("build-*.json"):
            if manifest == self.manifest_path:
                continue
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                keep.update(entry["load"] for entry in data.get("issues", {}).values())
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
        for stored in (self.folder / "issues").glob("*.pickle"):
            if stored.name.split(".", 1)[0] not in keep:
                stored.unlink(missing_ok=True)

    def _stored(self, load_key: str, kind: str = "") -> Path:
        return self.folder / "issues" / f"{load_key}{kind}.pickle"


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


def _library_versions(hashes: FileHashes) -> bytes:
    """The installed versions of the libraries the output depends on. Asked again only
    when a folder on the import path changed: installing, upgrading or removing a
    package adds or removes its .dist-info folder there. (Asking takes some 20 ms, a
    tenth of a rebuild with nothing changed.)"""
    def ask() -> bytes:
        from importlib.metadata import PackageNotFoundError, version

        found: list[str] = []
        for name in LIBRARIES:
            try:
                found.append(f"{name}={version(name)}")
            except PackageNotFoundError:
                found.append(f"{name}=none")
        return ",".join(found).encode()

    # sys.path[0] is the script's folder, or the working one ("" with -c): not where pip
    # installs, and the latter changes with every build (its site/ is replaced).
    return hashes.kept("libraries", [entry for entry in sys.path[1:] if entry], ask)
