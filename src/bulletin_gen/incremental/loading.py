"""Load issues for a build: across cores when there are many, errors of all of them at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError, ContentErrors
from bulletin_gen.incremental.pool import run_tasks
from bulletin_gen.model import Bulletin
from bulletin_gen.sources.discover import BulletinSource


def load_many(config: Config, sources: list[BulletinSource], jobs: int,
              meanwhile: Callable[[], None] | None = None) -> dict[str, Bulletin]:
    """Load issues across cores, by slug; report the errors of all of them at once.
    meanwhile() runs in this process while other processes load (see run_tasks)."""
    errors: list[ContentError] = []
    loaded = {}
    outcomes = run_tasks(_load_task, config, sources, jobs, meanwhile=meanwhile)
    for source, outcome in zip(sources, outcomes, strict=True):
        if isinstance(outcome, Bulletin):
            loaded[source.slug] = outcome
        else:
            errors.extend(ContentError(*error) for error in outcome)
    if errors:
        raise ContentErrors(errors)
    return loaded


def _load_task(config: Config, source: BulletinSource) -> Bulletin | list[tuple[Any, ...]]:
    from bulletin_gen.sources.load import load_bulletin  # Markdown: only when there is loading

    try:
        return load_bulletin(source, config)
    except ContentErrors as found:
        return [(error.path, error.line, error.text) for error in found.errors]
    except ContentError as error:
        return [(error.path, error.line, error.text)]
