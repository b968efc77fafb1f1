"""The recipe: read, plan, load, render, write. Every command's build goes through here."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError, ContentErrors, EnvironmentProblem, Interrupted
from bulletin_gen.incremental.digests import digest
from bulletin_gen.incremental.manifest import unchanged_files
from bulletin_gen.incremental.plan import IssueKeys, plan_loading, plan_rendering
from bulletin_gen.incremental.pool import fewer_collections
from bulletin_gen.incremental.session import BuildSession
from bulletin_gen.model import Site
from bulletin_gen.output.lock import build_lock
from bulletin_gen.output.outcome import identity, site_now, what_failed
from bulletin_gen.output.outdir import check_out_dir
from bulletin_gen.output.staging import carry_over, check_unique, staging
from bulletin_gen.sources.discover import discover
from bulletin_gen.sources.paths import links_leading_out

# Loading and rendering (Markdown, Jinja, premailer) are imported only when there is
# something to load or render: a rebuild with nothing changed needs none of them.


@dataclass(frozen=True)
class BuildResult:
    issues: int
    files: int
    seconds: float
    rendered: tuple[str, ...] = ()  # the issues made again; the others were unchanged


def build(config: Config, slugs: tuple[str, ...] = (), jobs: int | None = None,
          progress: Callable[[str, int, int], None] | None = None,
          session: BuildSession | None = None,
          waiting: Callable[[], None] | None = None) -> BuildResult:
    """Build the site into config.out_dir, all or nothing, making again only what changed.

    With slugs, those issues are built and the others kept as the last build left them.
    progress(slug, done, total) is called as each issue made again is finished. One
    build of an output folder runs at a time: waiting() is called if this one must wait.
    The machine failing (a full disk...) and Ctrl-C are one line each, saying which site
    is in place.
    """
    before = identity(config.out_dir)
    try:
        with build_lock(config.out_dir, waiting):
            return _build(config, slugs, jobs, progress, session)
    except OSError as error:
        raise EnvironmentProblem(f"{what_failed(error, config.out_dir, config.root)}; "
                                 f"{site_now(config.out_dir, config.root, before)}") from None
    except KeyboardInterrupt:
        raise Interrupted(f"Interrupted: {site_now(config.out_dir, config.root, before)}"
                          ) from None


def _build(config: Config, slugs: tuple[str, ...], jobs: int | None,
           progress: Callable[[str, int, int], None] | None,
           session: BuildSession | None) -> BuildResult:
    from bulletin_gen.incremental.pool import default_jobs
    from bulletin_gen.incremental.rendering import RenderState, render_all

    started, jobs = time.perf_counter(), jobs or default_jobs()
    session = session or BuildSession(config)
    check_out_dir(config.out_dir, config.root)
    _raise_any(links_leading_out(config))
    with fewer_collections():
        # Read: the issue folders, and what the last build made of them.
        sources = discover(config, slugs, session.listings)
        last = session.cache.manifest()
        valid = unchanged_files(config.out_dir, last)
        site_keys = session.global_keys()
        keys = IssueKeys(lambda source: session.issue_key(source, site_keys))

        # Plan, then load what the last build cannot give, into the cache: the build
        # holds each issue's outline only. While other processes load, this one compiles
        # the templates (needed only after).
        known = plan_loading(last, sources, slugs, valid, keys)
        fresh = session.load([s for s in sources if s.slug not in known], site_keys, jobs,
                             keys, meanwhile=lambda: session.prepare(site_keys.render))
        plan = plan_rendering(site_keys, sources, known, fresh, keys, config.drafts, last, valid)
        if plan.up_to_date(config.out_dir):
            session.save_hashes()
            return BuildResult(len(plan.published), len(valid), time.perf_counter() - started)

        # Render what the plan says into a staging folder beside the site, over the
        # last build's files it keeps; the folder replaces the site whole, or vanishes.
        wanted = [(issue.source, issue.key) for issue in plan.published]
        site = Site(config, tuple(session.outlines(wanted, fresh, site_keys, jobs)))
        pieces = session.fragment_store({i.key.slug: digest(site_keys.render, i.key.load)
                                         for i in plan.published})
        with staging(config.out_dir, session.spare) as folder:
            carry_over(config.out_dir, folder, plan.carried, last.stats)
            state = RenderState(site, session.full(wanted), folder,
                                session.environment(site_keys.render), pieces,
                                plan.remake_shared)
            made, shared = render_all(state, [i.key.slug for i in plan.remade],
                                      plan.remake_shared, jobs, progress, session.keeps)
            every_file = plan.every_file(made, shared)
            check_unique(every_file)

    session.record(plan, made, shared, every_file, last)  # for the next build to plan from
    if plan.remake_shared:
        pieces.prune()
    return BuildResult(len(plan.published), len(every_file), time.perf_counter() - started,
                       tuple(issue.key.slug for issue in plan.remade))


def _raise_any(errors: list[ContentError]) -> None:
    if errors:
        raise ContentErrors(errors)
