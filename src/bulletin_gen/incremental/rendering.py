"""Render the issues to make again, and the pages about every issue, into the new site.

A build holds every issue's outline (Bulletin.outline), never the whole archive: each
process that renders an issue reads it in full (`full`), renders its files and its
pieces of the pages about every issue. Those pages are made after the pool from the
outlines and the pieces, and written as they are made. After an edit (fewer issues to
make than processes), the pieces come first and the pages about every issue are made
while another process renders the issue's own files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin_gen.incremental.fragments import FragmentStore, active, missing
from bulletin_gen.incremental.pool import run_tasks
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.output.staging import write_files

if TYPE_CHECKING:  # Jinja is imported only when there is something to render
    import jinja2

    from bulletin_gen.render.site import ArchiveView, OutputFile

Progress = Callable[[str, int, int], None]  # (slug, issues done, issues to make)
Full = Callable[[str], Bulletin]  # an issue in full, by slug
SHARED = ""  # the task that renders the pages about every issue (no slug is empty)


class RenderState:
    """What each process renders with; shared with pool workers by fork."""

    def __init__(self, site: Site, full: Full, folder: Path, env: jinja2.Environment,
                 store: FragmentStore, pieces: bool = True) -> None:
        self.site, self.full, self.folder, self.env, self.store = site, full, folder, env, store
        self.pieces = pieces  # whether an issue's pieces of the shared pages are made with it
        # Worked out here, before the pool forks: each process would otherwise make its own
        # copy of the published outlines to work it out.
        from bulletin_gen.render.site import archive_view

        self.published = site.published()  # drafts (--drafts, serve) are never listed
        self.view: ArchiveView = archive_view(self.published)

    def run(self, task: str) -> list[str]:
        """Render one issue, or (SHARED) the pages about every issue; write them; their paths."""
        if task == SHARED:
            return make_shared(self.published, self.full, self.env, self.store,
                               functools.partial(write_files, self.folder))
        bulletin = self.full(task)
        written = self.pages(task, bulletin)
        if self.pieces:  # made here, across cores, rather than one by one after the pool
            self.run_pieces(task, bulletin)
        return written

    def pages(self, slug: str, bulletin: Bulletin | None = None) -> list[str]:
        """Render one issue's own files; write them; their paths."""
        from bulletin_gen.render.site import render_bulletin

        bulletin = bulletin or self.full(slug)
        return write_files(self.folder, render_bulletin(self.site, bulletin, self.env))

    def run_pieces(self, slug: str, bulletin: Bulletin | None = None) -> None:
        """Make one issue's pieces of the pages about every issue, into the store."""
        from bulletin_gen.render.site import render_pieces

        with active(self.store):
            render_pieces(self.site, bulletin or self.full(slug), self.env, self.view)


def make_shared(site: Site, full: Full, env: jinja2.Environment, store: FragmentStore,
                write: Callable[[list[OutputFile]], list[str]]) -> list[str]:
    """Make the pages about every issue from the outlines in site (published: without
    drafts) and the stored pieces, and write them; their paths. An issue whose pieces are
    not stored (one that has just left the feed's newest, say) is read in full and the
    pages made again."""
    from bulletin_gen.render.site import archive_view, shared_files

    view = archive_view(site)
    with missing(store) as missed:
        written = write(shared_files(site, env, view))
    if missed:
        site = Site(site.config, tuple(full(bulletin.slug) if bulletin.slug in missed
                                       else bulletin for bulletin in site.bulletins)).published()
        with active(store):
            written = write(shared_files(site, env, view))
    store.save()
    return written


def render_all(state: RenderState, slugs: list[str], shared: bool, jobs: int,
               progress: Progress | None, warm: bool = False,
               ) -> tuple[dict[str, list[str]], list[str] | None]:
    """Render the issues and, if asked, the shared pages: (paths by slug, shared paths).
    progress(slug, done, total) as each issue is finished. warm: this process has
    rendered before (`serve`), so an issue costs it less than forking would."""
    finished = 0

    def done(task: str) -> None:
        nonlocal finished
        if task != SHARED and progress is not None:
            finished += 1
            progress(task, finished, len(slugs))

    if shared and state.pieces and 0 < len(slugs) < jobs and not warm:
        # An edit: its issue's pieces first, here (the shared pages need them); then its
        # pages in another process (its email's styles inlined, most of the time) while
        # this one makes the pages about every issue.
        for slug in slugs:
            state.run_pieces(slug)
        made: list[str] = []
        pages = run_tasks(_pages, state, slugs, jobs, done, here=False,
                          meanwhile=lambda: made.extend(state.run(SHARED)))
        return dict(zip(slugs, pages, strict=True)), made
    results = dict(zip(slugs, run_tasks(_run, state, slugs, jobs, done), strict=True))
    # After the pool, here: the pages gather every issue's pieces, made by the pool.
    return results, state.run(SHARED) if shared else None


def _run(state: RenderState, task: str) -> list[str]:
    return state.run(task)


def _pages(state: RenderState, task: str) -> list[str]:
    return state.pages(task)
