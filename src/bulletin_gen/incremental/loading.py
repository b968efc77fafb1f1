"""Load issues for a build: across cores when there are many, errors of all of them at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError, ContentErrors
from bulletin_gen.incremental.cache import Cache, GlobalKeys, IssueKey, issue_key
from bulletin_gen.incremental.digests import FileHashes, Stat
from bulletin_gen.incremental.pool import run_tasks
from bulletin_gen.model import Bulletin
from bulletin_gen.sources.discover import BulletinSource

Errors = list[tuple[Any, ...]]  # (path, line, text) of each error, as they cross processes


def load_many(config: Config, sources: list[BulletinSource], jobs: int) -> dict[str, Bulletin]:
    """Load issues in full across cores, by slug; report the errors of all of them at once."""
    outcomes = run_tasks(_load_task, config, sources, jobs)
    _raise_errors([outcome for outcome in outcomes if not isinstance(outcome, Bulletin)])
    return {source.slug: outcome for source, outcome in zip(sources, outcomes, strict=True)
            if isinstance(outcome, Bulletin)}


@dataclass(frozen=True)
class Loaded:
    """An issue a build loaded: its key, and its outline (it is in the cache in full)."""
    key: IssueKey
    bulletin: Bulletin  # its outline, or the issue in full where the cache could not store it
    stored: bool
    hashes: dict[str, tuple[Stat, bytes]]  # the files hashed for its key, for the session


@dataclass(frozen=True)
class _Storing:
    config: Config
    keys: GlobalKeys
    hashes: FileHashes
    cache: Cache


def load_and_store(config: Config, sources: list[BulletinSource], keys: GlobalKeys,
                   hashes: FileHashes, cache: Cache, jobs: int,
                   meanwhile: Callable[[], None] | None = None) -> dict[str, Loaded]:
    """Load issues across cores, by slug: each process keys the issue it loads, stores
    it in full in the cache and hands back its outline, so the build holds outlines only
    (a thousand issues in full are several hundred MB). The errors of all of them at once.
    meanwhile() runs in this process while other processes load (see run_tasks)."""
    # Loaded in other processes only: see run_tasks's `here`. The renderers fork from this one.
    outcomes = run_tasks(_store_task, _Storing(config, keys, hashes, cache), sources, jobs,
                         meanwhile=meanwhile, here=False)
    _raise_errors([outcome for outcome in outcomes if not isinstance(outcome, Loaded)])
    loaded = {source.slug: outcome for source, outcome in zip(sources, outcomes, strict=True)
              if isinstance(outcome, Loaded)}
    for outcome in loaded.values():
        hashes.merge(outcome.hashes)
    return loaded


def _raise_errors(failures: list[Errors]) -> None:
    errors = [ContentError(*error) for failure in failures for error in failure]
    if errors:
        raise ContentErrors(errors)


def _load_task(config: Config, source: BulletinSource) -> Bulletin | Errors:
    from bulletin_gen.sources.load import load_bulletin  # Markdown: only when there is loading

    try:
        return load_bulletin(source, config)
    except ContentErrors as found:
        return [(error.path, error.line, error.text) for error in found.errors]
    except ContentError as error:
        return [(error.path, error.line, error.text)]


def _store_task(state: _Storing, source: BulletinSource) -> Loaded | Errors:
    # Keyed before it is loaded: a file saved meanwhile then changes the key the next
    # build computes, and that build loads the issue again (keyed after, the cache would
    # hold the older text under the newer key).
    key = issue_key(source, state.keys, state.hashes)
    bulletin = _load_task(state.config, source)
    if not isinstance(bulletin, Bulletin):
        return bulletin
    outline = bulletin.outline()
    stored = state.cache.store(key.load, bulletin, outline)
    return Loaded(key, outline if stored else bulletin, stored, state.hashes.take_fresh())
