"""Render the issues to make again, and the pages about every issue, into the new site.

The issues render in a pool; the pages about every issue are made after it, with
per-issue parts of those pages from the fragment store. A process that builds
again (`serve`) keeps its Jinja environment while the templates and site-wide
inputs stay the same.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bulletin_gen.incremental.fragments import FragmentStore, active
from bulletin_gen.incremental.pool import run_tasks
from bulletin_gen.model import Site
from bulletin_gen.output.staging import write_files

Progress = Callable[[str, int, int], None]  # (slug, issues done, issues to make)
SHARED = ""  # the task that renders the pages about every issue (no slug is empty)
_environments: dict[str, Any] = {}  # by render key: one per process is all that is kept
_warmed: list[bool] = []  # non-empty once warm_up ran: this process builds again and again


def warmed() -> bool:
    return bool(_warmed)


def environment(config: Any, render_key: str) -> Any:
    """The Jinja environment for these templates and settings, made once per process."""
    if render_key not in _environments:
        import jinja2

        from bulletin_gen.incremental.cache import CACHE_DIR
        from bulletin_gen.render.templates import make_environment

        env = make_environment(config)
        # Never ask the disk whether a template changed (46,000 stats in a cold build):
        # this environment is for these templates only, as the render key names them.
        env.auto_reload = False
        # Compiled templates on disk, so a rebuild after one edit need not compile the
        # twenty-odd templates again. Jinja checks each template's source; the folder is
        # named by the render key (tool, settings, templates), so nothing else can differ.
        folder = _fresh_folder(config.root / CACHE_DIR / "jinja", render_key)
        if folder is not None:
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        _environments.clear()
        _environments[render_key] = env
    return _environments[render_key]


def _fresh_folder(parent: Path, name: str) -> Path | None:
    """parent/name, made; other folders in parent removed. None if it cannot be written."""
    folder = parent / name
    try:
        if not folder.is_dir():
            for old in parent.glob("*"):
                shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


class RenderState:
    """What each process renders with; shared with pool workers by fork."""

    def __init__(self, site: Site, folder: Path, render_key: str, store: FragmentStore,
                 pieces: bool = True) -> None:
        self.site, self.folder, self.render_key, self.store = site, folder, render_key, store
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

        env = environment(self.site.config, self.render_key)
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


def warm_up(config: Any, render_key: str) -> None:
    """Import the renderer and compile the templates now, so that a process that will
    build again (`serve`, between edits) does not pay for it in its next rebuild."""
    import bulletin_gen.sources.load  # noqa: F401  (Markdown and the sanitiser, for an edited issue)

    prepare(config, render_key)
    _warmed.append(True)


def prepare(config: Any, render_key: str) -> None:
    """Import the renderer and compile the templates in this process. A build does it
    while other processes load the issues: the processes forked to render them then
    start with all of it done, instead of each doing it again."""
    import jinja2

    import bulletin_gen.mail.inline as inline
    import bulletin_gen.render.site  # noqa: F401  (Jinja, icalendar and the rest, imported)

    env = environment(config, render_key)
    for name in env.list_templates():
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            continue  # the build that uses it will say what is wrong, where
    inline.warm_up()
