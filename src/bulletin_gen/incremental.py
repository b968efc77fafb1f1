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

from bulletin_gen.cache import (
    Cache,
    GlobalKeys,
    IssueKey,
    digest,
    file_stats,
    global_keys,
    issue_key,
    render_key,
)
from bulletin_gen.config import Config
from bulletin_gen.discover import BulletinSource
from bulletin_gen.errors import ContentError, ContentErrors
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.output import MARKER, carry_over, check_unique, staging, write_files
from bulletin_gen.parallel import run_tasks


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
                        jobs: int) -> Outcome:
    """Build into config.out_dir, making again only what the last build cannot give."""
    cache = Cache(config)
    previous = cache.manifest()
    old = previous.get("issues", {})
    valid = _unchanged_files(config.out_dir, previous)
    keys = global_keys(config)
    issues = [_Issue(source, issue_key(source, keys)) for source in sources]
    for issue in issues:
        entry = old.get(issue.key.slug)
        if (slugs and issue.key.slug not in slugs and entry
                and all(path in valid for path in entry["files"])):
            issue.kept, issue.key = entry, IssueKey(issue.key.slug, entry["load"], entry["index"])
        if entry and entry["load"] == issue.key.load:
            issue.date, issue.draft = dt.date.fromisoformat(entry["date"]), entry["draft"]

    fresh = _load(config, [i.source for i in issues if i.date is None], jobs)
    for issue in issues:
        if issue.key.slug in fresh:
            bulletin = fresh[issue.key.slug]
            issue.date, issue.draft = bulletin.date, bulletin.draft
            cache.store(issue.key.load, bulletin)
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
        return Outcome(len(published), len(valid), ())
    site = None
    if to_render or redo_shared:
        site = Site(config, tuple(_bulletins(config, cache, published, fresh, jobs)))
    with staging(config.out_dir) as folder:
        state = _RenderState(site, folder) if site else None
        rendered = dict(zip([i.key.slug for i in to_render],
                            run_tasks(_render_issue, state, [i.key.slug for i in to_render], jobs),
                            strict=True))
        for issue in published:
            issue.files = (rendered[issue.key.slug] if issue.key.slug in rendered else
                           carry_over(config.out_dir, folder, old[issue.key.slug]["files"]))
        shared = (write_files(folder, state.shared()) if state and redo_shared
                  else carry_over(config.out_dir, folder, old_shared.get("files", [])))
        every_file = [path for issue in published for path in issue.files] + shared
        check_unique(every_file)
    cache.save_manifest({
        "issues": {i.key.slug: {"load": i.key.load, "index": i.key.index,
                                "date": i.date.isoformat() if i.date else None, "draft": i.draft,
                                "render": i.render, "files": i.files} for i in issues},
        "shared": {"key": shared_key, "files": shared},
        "stats": file_stats(config.out_dir, every_file),
    })
    cache.prune({i.key.load for i in issues})
    return Outcome(len(published), len(every_file), tuple(i.key.slug for i in to_render))


def load_issue(config: Config, source: BulletinSource) -> Bulletin:
    """Load one issue with the checks that need only it."""
    from bulletin_gen.load import load_bulletin

    bulletin = load_bulletin(source, config)
    errors = duplicate_anchors(bulletin)
    if errors:
        raise ContentErrors(errors)
    return bulletin


def duplicate_anchors(bulletin: Bulletin) -> list[ContentError]:
    errors = []
    seen: dict[str, str] = {}
    for item in bulletin.items:
        if item.anchor in seen:
            errors.append(ContentError(item.path, 1, f"same file name as {seen[item.anchor]} "
                                       "after its number: their anchors would clash"))
        seen[item.anchor] = item.path
    return errors


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


def _load(config: Config, sources: list[BulletinSource], jobs: int) -> dict[str, Bulletin]:
    """Load issues across cores; report the errors of all of them at once."""
    errors: list[ContentError] = []
    loaded = {}
    for source, outcome in zip(sources, run_tasks(_load_task, config, sources, jobs),
                               strict=True):
        if isinstance(outcome, Bulletin):
            loaded[source.slug] = outcome
        else:
            errors.extend(ContentError(*error) for error in outcome)
    if errors:
        raise ContentErrors(errors)
    return loaded


def _load_task(config: Config, source: BulletinSource) -> Bulletin | list[tuple[Any, ...]]:
    try:
        return load_issue(config, source)
    except ContentErrors as found:
        return [(error.path, error.line, error.text) for error in found.errors]
    except ContentError as error:
        return [(error.path, error.line, error.text)]


def _bulletins(config: Config, cache: Cache, published: list[_Issue],
               fresh: dict[str, Bulletin], jobs: int) -> list[Bulletin]:
    found = {i.key.slug: fresh.get(i.key.slug) or cache.bulletin(i.key.load) for i in published}
    # A stored issue that went missing is loaded again.
    found.update(_load(config, [i.source for i in published if found[i.key.slug] is None], jobs))
    return [bulletin for bulletin in found.values() if bulletin is not None]


class _RenderState:
    """What a process renders with; its Jinja environment is made once per process."""

    def __init__(self, site: Site, folder: Path) -> None:
        self.site, self.folder = site, folder
        self._env: Any = None
        self._by_slug = {bulletin.slug: bulletin for bulletin in site.bulletins}

    def env(self) -> Any:
        if self._env is None:
            from bulletin_gen.templates import make_environment

            self._env = make_environment(self.site.config)
        return self._env

    def issue(self, slug: str) -> list[str]:
        from bulletin_gen.render import render_bulletin

        return write_files(self.folder, render_bulletin(self.site, self._by_slug[slug],
                                                        self.env()))

    def shared(self) -> list[Any]:
        from bulletin_gen.render import render_shared

        return render_shared(self.site, self.env())


def _render_issue(state: _RenderState, slug: str) -> list[str]:
    return state.issue(slug)
