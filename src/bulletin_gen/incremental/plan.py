"""Plan a build from the last one's manifest: what must be loaded, and what made again.

Planning only reads: keys, the manifest and the output folder's file stats. Doing
(loading, rendering, writing) is build.py's, which follows the plan.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bulletin_gen.incremental.cache import GlobalKeys, IssueKey, digest, render_key
from bulletin_gen.incremental.manifest import IssueRecord, Manifest, SharedRecord
from bulletin_gen.model import Bulletin
from bulletin_gen.output.staging import MARKER
from bulletin_gen.sources.discover import BulletinSource

KeyOf = Callable[[BulletinSource], IssueKey]  # hashes an issue's sources (once: see IssueKeys)


class IssueKeys:
    """The key of each issue's sources, hashed once, when first asked for."""

    def __init__(self, key_of: KeyOf) -> None:
        self._key_of = key_of
        self._keys: dict[str, IssueKey] = {}

    def __call__(self, source: BulletinSource) -> IssueKey:
        if source.slug not in self._keys:
            self._keys[source.slug] = self._key_of(source)
        return self._keys[source.slug]

    def know(self, key: IssueKey) -> None:
        """A key hashed elsewhere (by the process that loaded the issue)."""
        self._keys[key.slug] = key


@dataclass(frozen=True)
class Known:
    """An issue the build knows without loading it: its sources are the last build's."""
    key: IssueKey
    date: dt.date
    draft: bool
    kept: bool  # not named in a partial build: left as the last build made it


def plan_loading(last: Manifest, sources: list[BulletinSource], slugs: tuple[str, ...],
                 valid: set[str], keys: IssueKeys) -> dict[str, Known]:
    """The issues that need no loading, by slug; every other issue is loaded.

    An issue whose load key is the one the last build recorded is known from the
    manifest. With slugs (a partial build), an issue not named is kept as the last
    build left it, if its files are still intact.
    """
    known: dict[str, Known] = {}
    for source in sources:
        record = last.issues.get(source.slug)
        if record is None or record.date is None:
            continue
        kept = bool(slugs) and source.slug not in slugs and all(p in valid for p in record.files)
        key = IssueKey(source.slug, record.load, record.index) if kept else keys(source)
        if key.load == record.load:
            known[source.slug] = Known(key, dt.date.fromisoformat(record.date), record.draft,
                                       kept)
    return known


@dataclass(frozen=True)
class IssuePlan:
    source: BulletinSource
    key: IssueKey
    date: dt.date
    draft: bool
    render: str = ""  # the key its pages are made under ("" for an issue not published)
    remake: bool = False  # whether its pages are made again
    last_files: tuple[str, ...] = ()  # what the last build wrote for it


@dataclass(frozen=True)
class BuildPlan:
    issues: tuple[IssuePlan, ...]  # every issue, drafts too (the manifest records them all)
    published: tuple[IssuePlan, ...]  # what this build publishes, newest first
    shared_key: str  # the pages about every issue depend on this
    remake_shared: bool
    last_shared: tuple[str, ...]

    # Worked out once: the recipe and the manifest's writing both ask (a frozen plan never
    # changes, and cached_property writes past the frozen __setattr__).
    @functools.cached_property
    def remade(self) -> list[IssuePlan]:
        return [issue for issue in self.published if issue.remake]

    @functools.cached_property
    def carried(self) -> list[str]:
        """The last build's files that this one keeps (hard-linked into the new site)."""
        kept = [path for issue in self.published if not issue.remake for path in issue.last_files]
        return kept + ([] if self.remake_shared else list(self.last_shared))

    def up_to_date(self, out_dir: Path) -> bool:
        """Nothing to make and nothing to drop: the output folder is this build already."""
        if self.remade or self.remake_shared:
            return False
        expected = {path for issue in self.published for path in issue.last_files}
        expected.update(self.last_shared)
        expected.add(MARKER)
        found: set[str] = set()
        for parent, _, names in os.walk(out_dir):
            prefix = os.path.relpath(parent, out_dir).replace(os.sep, "/") + "/"
            found.update((prefix if prefix != "./" else "") + name for name in names)
        return found == expected

    def manifest(self, made: dict[str, list[str]], shared: list[str] | None,
                 stats: dict[str, tuple[int, int, int]]) -> Manifest:
        """The record of this build, for the next one."""
        return Manifest(
            {issue.source.slug: IssueRecord(issue.key.load, issue.key.index,
                                            issue.date.isoformat(), issue.draft, issue.render,
                                            tuple(self.files_of(issue, made)))
             for issue in self.issues},
            SharedRecord(self.shared_key, tuple(self.last_shared if shared is None else shared)),
            stats)

    def files_of(self, issue: IssuePlan, made: dict[str, list[str]]) -> list[str]:
        if not issue.render:  # not published
            return []
        return made.get(issue.source.slug) or list(issue.last_files)

    def every_file(self, made: dict[str, list[str]], shared: list[str] | None) -> list[str]:
        """Every file of the new site: each issue's, then the shared pages and assets."""
        files = [path for issue in self.published for path in self.files_of(issue, made)]
        return files + (list(self.last_shared) if shared is None else shared)


def plan_rendering(site_keys: GlobalKeys, sources: list[BulletinSource], known: dict[str, Known],
                   fresh: dict[str, Bulletin], keys: IssueKeys, drafts: bool, last: Manifest,
                   valid: set[str]) -> BuildPlan:
    """What this build makes again: each issue whose render key changed or whose files
    are not intact, and the pages about every issue when any published issue changed."""
    issues = []
    for source in sources:
        if source.slug in known:
            found = known[source.slug]
            issues.append(IssuePlan(source, found.key, found.date, found.draft))
        else:
            bulletin = fresh[source.slug]
            issues.append(IssuePlan(source, keys(source), bulletin.date, bulletin.draft))
    published = sorted((i for i in issues if drafts or not i.draft),
                       key=lambda i: (i.date, i.key.slug), reverse=True)
    planned: dict[str, IssuePlan] = {}
    for index, issue in enumerate(published):
        newer = published[index - 1].key if index > 0 else None
        older = published[index + 1].key if index + 1 < len(published) else None
        record = last.issues.get(issue.key.slug)
        kept = issue.key.slug in known and known[issue.key.slug].kept and record is not None
        render = record.render if kept and record else render_key(site_keys, issue.key,
                                                                   older, newer)
        files = record.files if record else ()
        intact = record is not None and all(path in valid for path in files)
        planned[issue.key.slug] = IssuePlan(
            issue.source, issue.key, issue.date, issue.draft, render,
            remake=not (intact and record is not None and record.render == render),
            last_files=files)
    shared_key = digest(site_keys.render, *(f"{i.key.slug}:{i.key.load}" for i in published),
                        # the hosted editor (site/admin/, with site.yaml's cms:) lists drafts
                        *(f"draft:{i.key.slug}" for i in issues if i.draft))
    remake_shared = (last.shared.key != shared_key
                     or not all(path in valid for path in last.shared.files))
    return BuildPlan(tuple(planned.get(i.key.slug, i) for i in issues),
                     tuple(planned[i.key.slug] for i in published), shared_key, remake_shared,
                     last.shared.files)
