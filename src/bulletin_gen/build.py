"""The recipe: config, discover, load, render, write."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError, ContentErrors
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.output.outdir import check_out_dir
from bulletin_gen.sources.discover import discover
from bulletin_gen.sources.paths import links_leading_out

if TYPE_CHECKING:
    from bulletin_gen.render.site import OutputFile

# Loading and rendering (Markdown, Jinja, premailer) are imported only when there is
# something to load or render: a rebuild with nothing changed needs none of them.


@dataclass(frozen=True)
class BuildResult:
    issues: int
    files: int
    seconds: float
    rendered: tuple[str, ...] = ()  # the issues made again; the others were unchanged


def load_site(config: Config, slugs: tuple[str, ...] = ()) -> Site:
    """Discover and load every issue, collecting the errors of all of them."""
    from bulletin_gen.sources.load import load_bulletin

    errors: list[ContentError] = links_leading_out(config)
    bulletins: list[Bulletin] = []
    for source in discover(config, slugs):
        try:
            bulletin = load_bulletin(source, config)
        except ContentErrors as found:
            errors.extend(found.errors)
            continue
        if not bulletin.draft or config.drafts:
            bulletins.append(bulletin)
    if errors:
        raise ContentErrors(errors)
    return Site(config, tuple(bulletins))


def render(config: Config, slugs: tuple[str, ...] = ()) -> tuple[Site, list[OutputFile]]:
    """Every stage but writing: what `check` runs."""
    from bulletin_gen.render.site import render_site
    from bulletin_gen.render.templates import make_environment

    site = load_site(config, slugs)
    return site, render_site(site, make_environment(config))


def build(config: Config, slugs: tuple[str, ...] = (), jobs: int | None = None,
          progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Build the site into config.out_dir, all or nothing, making again only what changed.

    With slugs, those issues are built and the others kept as the last build left them;
    the index and feed still list every issue. progress(slug, done, total) is called
    once per issue made again, as each is finished.
    """
    from bulletin_gen.incremental.builder import build_incrementally
    from bulletin_gen.incremental.pool import default_jobs

    started = time.perf_counter()
    check_out_dir(config.out_dir, config.root)
    errors = links_leading_out(config)
    if errors:
        raise ContentErrors(errors)
    sources = discover(config, slugs)
    with _fewer_collections():
        outcome = build_incrementally(config, sources, slugs, jobs or default_jobs(), progress)
    return BuildResult(outcome.issues, outcome.files, time.perf_counter() - started,
                       outcome.rendered)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while building.

    A build makes millions of short-lived objects (Markdown trees, template output) that
    reference counting frees; at the default threshold (700) the collector still ran
    thousands of times over them, for about 2% of a cold build.
    """
    before = gc.get_threshold()
    gc.set_threshold(20_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def warm_up(config: Config) -> None:
    """For a process that will build again (`serve`): do now what its next build would
    otherwise wait for (imports, templates, the issues in memory). Never fails a build."""
    from bulletin_gen.incremental.warm import warm_up as warm

    try:
        warm(config)
    except Exception:  # noqa: BLE001 (an optimisation; the next build reports any problem)
        return
