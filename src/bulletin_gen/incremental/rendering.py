"""Render the issues to make again, and the pages about every issue, into the new site.

The issues render in a pool; the pages about every issue are made after it, with
per-issue parts of those pages from the fragment store.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin_gen.incremental.fragments import FragmentStore, active
from bulletin_gen.incremental.pool import run_tasks
from bulletin_gen.model import Site
from bulletin_gen.output.staging import write_files

if TYPE_CHECKING:  # Jinja is imported only when there is something to render
    import jinja2

Progress = Callable[[str, int, int], None]  # (slug, issues done, issues to make)
SHARED = ""  # the task that renders the pages about every issue (no slug is empty)


class RenderState:
    """What each process renders with; shared with pool workers by fork."""

    def __init__(self, site: Site, folder: Path, env: jinja2.Environment, store: FragmentStore,
                 pieces: bool = True) -> None:
        self.site, self.folder, self.env, self.store = site, folder, env, store
        self.pieces = pieces  # whether an issue's pieces of the shared pages are made with it
        self._by_slug = {bulletin.slug: bulletin for bulletin in site.bulletins}

    @functools.cached_property
    def archive_date(self) -> dt.date:
        """The date the pages about every issue speak from (drafts never count)."""
        from bulletin_gen.render.archive import reference_date

        return reference_date(self.site.published())

    def run(self, task: str) -> list[str]:
        """Render one issue, or (SHARED) the pages about every issue; write them; their paths."""
        from bulletin_gen.render.site import render_bulletin, render_pieces, render_shared

        env = self.env
        if task != SHARED:
            bulletin = self._by_slug[task]
            written = write_files(self.folder, render_bulletin(self.site, bulletin, env))
            if self.pieces:  # made here, across cores, rather than one by one after the pool
                with active(self.store):
                    render_pieces(self.site, bulletin, env, self.archive_date)
            return written
        with active(self.store):
            files = render_shared(self.site, env)
        self.store.save()
        return write_files(self.folder, files)


def render_all(state: RenderState, slugs: list[str], shared: bool, jobs: int,
               progress: Progress | None, meanwhile: Callable[[], None] | None = None,
               ) -> tuple[dict[str, list[str]], list[str] | None]:
    """Render the issues and, if asked, the shared pages: (paths by slug, shared paths).
    progress(slug, done, total) as each issue is finished; meanwhile() runs in this
    process while a pool renders (see run_tasks)."""
    finished = 0

    def done(task: str) -> None:
        nonlocal finished
        if task != SHARED and progress is not None:
            finished += 1
            progress(task, finished, len(slugs))

    results = dict(zip(slugs, run_tasks(_run, state, slugs, jobs, done, meanwhile),
                       strict=True))
    # After the pool, here: made beside the workers, the pages' pieces (the whole
    # archive's text) would raise the build's peak memory past its budget.
    return results, state.run(SHARED) if shared else None


def _run(state: RenderState, task: str) -> list[str]:
    return state.run(task)
