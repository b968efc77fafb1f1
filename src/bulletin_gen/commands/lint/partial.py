"""An issue with invalid items, less those items: so that `check` still lints the rest.

The build refuses the whole issue; `check` reports the invalid items as [invalid] and
lints the issue made of its other files, so an editor sees every problem in one round.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError
from bulletin_gen.sources.discover import BulletinSource


def without_invalid_items(source: BulletinSource, errors: Iterable[ContentError],
                          config: Config) -> BulletinSource | None:
    """The issue without the item files the errors are in; None when no item can be left
    out to help (an error in bulletin.md, or in no item file)."""
    bad = {error.path for error in errors}
    if _rel(source.index, config) in bad:
        return None  # nothing renders without the issue's own file
    items = tuple(path for path in source.items if _rel(path, config) not in bad)
    if len(items) == len(source.items):
        return None
    return dataclasses.replace(source, names=tuple(path.name for path in items))


def _rel(path, config: Config) -> str:  # type: ignore[no-untyped-def]
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)
