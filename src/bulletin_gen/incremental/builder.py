"""Build only what changed since the last build; carry the rest over from the output folder.

An issue's files are made again when its key changes: its folder's files, the
site-wide inputs (tool, site.yaml, templates, assets) or its neighbours' titles.
The pages about every issue (index, events, feed, ...) are made again when any
issue changes. Everything else is hard-linked from the previous build.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_gen.config.settings import Config
from bulletin_gen.incremental import digests
from bulletin_gen.incremental.cache import (
    Cache,
    GlobalKeys,
    IssueKey,
    digest,
    file_stats,
    global_keys,
    issue_key,
    render_key,
)
from bulletin_gen.incremental.fragments import FragmentStore
from bulletin_gen.incremental.loading import load_many, remember, remembered
from bulletin_gen.incremental.rendering import Progress, RenderState, prepare, render_all, warmed
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.output.staging import MARKER, carry_over, check_unique, staging
from bulletin_gen.sources.discover import BulletinSource

DIGESTS = "digests.pickle"  # hashes of the sources, by stat: see digests.py


@dataclass(frozen=True)
class Outcome:
    issues: int
    files: int
    rendered: tuple[str, ...]  # the issues whose files were made again


@dataclass
class _Issue:
    """One issue as this build sees it: its keys, and where its files come from."""
    source: BulletinSource
    key: IssueKey
    kept: dict[str, Any] | None = None  # a partial build leaves this issue as it was
    date: dt.date | None = None
    draft: bool = False
    render: str = ""
    files: list[str] = field(default_factory=list)


def build_incrementally(config: Config, sources: list[BulletinSource], slugs: tuple[str, ...],
                        jobs: int, progress: Progress | None = None) -> Outcome:
    """Build into config.out_dir, making again only what the last build cannot give."""
    cache = Cache(config)
    previous = cache.manifest()
    old = previous.get("issues", {})
    valid = _unchanged_files(config.out_dir, previous)
    digests.load(cache.folder / DIGESTS)
    keys = global_keys(config)
    issues = [_Issue(source, UNKEYED) for source in sources]
    if old:  # the last build's issues are matched by key before anything is loaded
        _key(issues, keys)
    for issue in issues:
        entry = old.get(issue.source.slug)
        if (slugs and issue.source.slug not in slugs and entry
                and all(path in valid for path in entry["files"])):
            issue.kept, issue.key = entry, IssueKey(issue.key.slug, entry["load"], entry["index"])
        if entry and entry["load"] == issue.key.load:
            issue.date, issue.draft = dt.date.fromisoformat(entry["date"]), entry["draft"]

    def meanwhile() -> None:  # while the pool loads: what is needed only after loading
        _key(issues, keys)  # a first build hashes its sources here (nothing to match yet)
        prepare(config, keys.render)

    fresh = load_many(config, [i.source for i in issues if i.date is None], jobs,
                      meanwhile=meanwhile)
    _key(issues, keys)  # when the loading needed no pool (meanwhile did not run)
    unstored = []
    for issue in issues:
        if issue.key.slug in fresh:
            bulletin = fresh[issue.key.slug]
            issue.date, issue.draft = bulletin.date, bulletin.draft
            unstored.append((issue.key.load, bulletin))

    def store() -> None:  # the issues just loaded, into the cache (during the render pool)
        while unstored:
            cache.store(*unstored.pop())
    published = sorted((i for i in issues if config.drafts or not i.draft),
                       key=lambda i: (i.date, i.key.slug), reverse=True)
    to_render = _plan_renders(keys, published, old, valid)
    shared_key = digest(keys.render, *(f"{i.key.slug}:{i.key.load}" for i in published))
    old_shared = previous.get("shared", {})
    redo_shared = (old_shared.get("key") != shared_key
                   or not all(path in valid for path in old_shared.get("files", [])))

    if not to_render and not redo_shared and _intact(config.out_dir, published, old,
                                                              old_shared.get("files", [])):
        # Nothing to make and nothing to drop: the output folder is already this build.
        store()
        return Outcome(len(published), len(valid), ())
    site = None
    if to_render or redo_shared:
        site = Site(config, tuple(_bulletins(config, cache, published, fresh, jobs)))
    pieces = FragmentStore(cache.folder / "fragments",
                           {i.key.slug: digest(keys.render, i.key.load) for i in published},
                           keep=warmed())
    making = {i.key.slug for i in to_render}
    kept = [path for i in published if i.key.slug not in making
            for path in old[i.key.slug]["files"]]
    kept += [] if redo_shared else old_shared.get("files", [])
    with staging(config.out_dir, tidy_later=warmed()) as folder:
        carry_over(config.out_dir, folder, kept)
        rendered: dict[str, list[str]] = {}
        shared: list[str] | None = None
        if site is not None:
            rendered, shared = render_all(RenderState(site, folder, keys.render, pieces,
                                                      redo_shared),
                                          list(making), redo_shared, jobs, progress,
                                          meanwhile=store)
        store()  # if the pool did not run it
        for issue in published:
            issue.files = rendered.get(issue.key.slug) or old[issue.key.slug]["files"]
        shared = old_shared.get("files", []) if shared is None else shared
        every_file = [path for issue in published for path in issue.files] + shared
        check_unique(every_file)
    # A linked file is the very file the last build recorded: its stat is known.
    stats = {path: previous["stats"][path] for path in kept}
    stats.update(file_stats(config.out_dir, [path for path in every_file if path not in stats]))
    cache.save_manifest({
        "issues": {i.key.slug: {"load": i.key.load, "index": i.key.index,
                                "date": i.date.isoformat() if i.date else None, "draft": i.draft,
                                "render": i.render, "files": i.files} for i in issues},
        "shared": {"key": shared_key, "files": shared},
        "stats": stats,
    })
    cache.prune({i.key.load for i in issues})
    digests.save(cache.folder / DIGESTS)
    if redo_shared:
        pieces.prune()
    return Outcome(len(published), len(every_file), tuple(i.key.slug for i in to_render))


UNKEYED = IssueKey("", "", "")  # an issue whose sources are not hashed yet


def _key(issues: list[_Issue], keys: GlobalKeys) -> None:
    """Hash the sources of each issue not hashed yet (see issue_key)."""
    for issue in issues:
        if issue.key is UNKEYED:
            issue.key = issue_key(issue.source, keys)


def _intact(out_dir: Path, published: list[_Issue], old: dict[str, Any],
            shared: list[str]) -> bool:
    """Whether the output folder holds exactly the last build's files, and nothing else."""
    expected = {path for issue in published for path in old[issue.key.slug]["files"]}
    expected.update(shared)
    expected.add(MARKER)
    found: set[str] = set()
    for parent, _, names in os.walk(out_dir):
        prefix = os.path.relpath(parent, out_dir).replace(os.sep, "/") + "/"
        found.update((prefix if prefix != "./" else "") + name for name in names)
    return found == expected


def _unchanged_files(out_dir: Path, previous: dict[str, Any]) -> set[str]:
    """The previous build's files that are still as it left them."""
    recorded = previous.get("stats", {})
    now = file_stats(out_dir, list(recorded))
    return {path for path, stat in now.items() if recorded.get(path) == stat}


def _plan_renders(keys: GlobalKeys, published: list[_Issue], old: dict[str, Any],
                  valid: set[str]) -> list[_Issue]:
    to_render = []
    for index, issue in enumerate(published):
        newer = published[index - 1].key if index > 0 else None
        older = published[index + 1].key if index + 1 < len(published) else None
        entry = old.get(issue.key.slug)
        issue.render = issue.kept["render"] if issue.kept else render_key(keys, issue.key,
                                                                          older, newer)
        if not (entry and entry["render"] == issue.render
                and all(path in valid for path in entry["files"])):
            to_render.append(issue)
    return to_render


def _bulletins(config: Config, cache: Cache, published: list[_Issue],
               fresh: dict[str, Bulletin], jobs: int) -> list[Bulletin]:
    found = {i.key.slug: (fresh.get(i.key.slug) or remembered(i.key.load)
                          or cache.bulletin(i.key.load)) for i in published}
    # A stored issue that went missing is loaded again.
    found.update(load_many(config, [i.source for i in published if found[i.key.slug] is None],
                           jobs))
    remember({i.key.load: bulletin for i in published
              if (bulletin := found[i.key.slug]) is not None})
    return [bulletin for bulletin in found.values() if bulletin is not None]
