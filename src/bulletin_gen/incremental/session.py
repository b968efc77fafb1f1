"""A build session: what builds share, and what a process that builds again keeps.

`bulletin build` makes one session for its one build; `serve` makes one, hands it
to every build (`build(config, session=...)`) and calls warm_up() between builds.
Everything a build remembers lives here, never in a module, so two sessions (two
publications, or two tests) never see each other's issues, templates or hashes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin_gen.config.settings import Config
from bulletin_gen.incremental.cache import (
    CACHE_DIR,
    Cache,
    GlobalKeys,
    IssueKey,
    digest,
    global_keys,
    issue_key,
)
from bulletin_gen.incremental.cachefile import read_pickle, write_pickle
from bulletin_gen.incremental.digests import FileHashes
from bulletin_gen.incremental.fragments import FragmentStore
from bulletin_gen.incremental.loading import load_and_store, load_many
from bulletin_gen.incremental.manifest import Manifest, file_stats
from bulletin_gen.incremental.plan import BuildPlan, IssueKeys
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.output.spare import Spare
from bulletin_gen.sources.discover import BulletinSource, Listings, discover

if TYPE_CHECKING:  # Jinja is imported only when there is something to render
    import jinja2

    from bulletin_gen.render.site import OutputFile

HASHES = "digests.pickle"  # the file hashes a `bulletin build` leaves for the next one
LISTINGS = "listings.pickle"  # and the issue folders' listings


class BuildSession:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.cache = Cache(config)
        self.hashes = FileHashes()
        self.keeps = False  # set by warm_up: this process builds again and again (`serve`)
        self.issues: dict[str, Bulletin] = {}  # the last build's issues' outlines, by load key
        self._full: dict[str, Bulletin] = {}  # issues in full the cache could not store
        self.pieces: dict[str, dict[str, Any]] = {}  # shared pages' pieces, by issue key
        self.spare = Spare(config.out_dir)  # the previous site, kept to build the next into
        self.listings: Listings = _listings(self.cache.folder / LISTINGS)  # see discover
        self._listed = _stats(self.listings)  # as kept in the cache
        self._environment: tuple[str, jinja2.Environment] | None = None
        self.hashes.load(self.cache.folder / HASHES)

    def global_keys(self) -> GlobalKeys:
        return global_keys(self.config, self.hashes)

    def issue_key(self, source: BulletinSource, keys: GlobalKeys) -> IssueKey:
        return issue_key(source, keys, self.hashes)

    def environment(self, render_key: str) -> jinja2.Environment:
        """The Jinja environment for these templates and settings, made once a session
        (and again only when the render key changes)."""
        if self._environment is None or self._environment[0] != render_key:
            import jinja2

            from bulletin_gen.render.templates import make_environment

            env = make_environment(self.config)
            # Never ask the disk whether a template changed (46,000 stats in a cold build):
            # this environment is for these templates only, as the render key names them.
            env.auto_reload = False
            # Compiled templates on disk, so a rebuild after one edit need not compile the
            # twenty-odd templates again. Jinja checks each template's source; the folder is
            # named by the render key (tool, settings, templates), so nothing else can differ.
            folder = _fresh_folder(self.config.root / CACHE_DIR / "jinja", render_key)
            if folder is not None:
                env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
            self._environment = (render_key, env)
        return self._environment[1]

    def prepare(self, render_key: str) -> None:
        """Import the renderer and compile the templates in this process. A build does it
        while other processes load the issues: the processes forked to render them then
        start with all of it done, instead of each doing it again."""
        import jinja2

        import bulletin_gen.render.site  # noqa: F401  (Jinja, icalendar and the rest, imported)
        from bulletin_gen.mail.inline import warm_up as import_inliner

        env = self.environment(render_key)
        for name in env.list_templates():
            try:
                env.get_template(name)
            except jinja2.TemplateError:
                continue  # the build that uses it will say what is wrong, where
        import_inliner()

    def fragment_store(self, keys: dict[str, str]) -> FragmentStore:
        """The store of the shared pages' pieces for issues under these keys (by slug)."""
        return FragmentStore(self.cache.folder / "fragments", keys,
                             memory=self.pieces if self.keeps else None)

    def load(self, sources: list[BulletinSource], site_keys: GlobalKeys, jobs: int,
             keys: IssueKeys | None = None,
             meanwhile: Callable[[], None] | None = None) -> dict[str, Bulletin]:
        """Load these issues across cores into the cache; their outlines, by slug. The
        processes that load them hash them too: their keys and file hashes are kept."""
        if self.keeps:  # warm_up prepared all meanwhile would; forking would only cost
            meanwhile = None
        loaded = load_and_store(self.config, sources, site_keys, self.hashes, self.cache,
                                jobs, meanwhile)
        for issue in loaded.values():
            if keys is not None:
                keys.know(issue.key)
            if not issue.stored:  # the cache cannot hold it: kept here for this build
                self._full[issue.key.load] = issue.bulletin
        return {slug: issue.bulletin if issue.stored else issue.bulletin.outline()
                for slug, issue in loaded.items()}

    def outlines(self, wanted: list[tuple[BulletinSource, IssueKey]],
                 fresh: dict[str, Bulletin], site_keys: GlobalKeys, jobs: int,
                 ) -> list[Bulletin]:
        """The outlines of these issues, from this build's loading, this session's memory
        or the cache; an issue whose stored copy went missing is loaded again. Kept in
        memory for the next build."""
        found = {source.slug: (fresh.get(source.slug) or self.issues.get(key.load)
                               or self.cache.outline(key.load)) for source, key in wanted}
        lost = [source for source, _ in wanted if found[source.slug] is None]
        if lost:
            found.update(self.load(lost, site_keys, jobs))
        self.issues = {key.load: outline for source, key in wanted
                       if (outline := found[source.slug]) is not None}
        self._full = {load: issue for load, issue in self._full.items() if load in self.issues}
        return [outline for outline in found.values() if outline is not None]

    def full(self, wanted: list[tuple[BulletinSource, IssueKey]]) -> Callable[[str], Bulletin]:
        """full(slug): one of these issues in full, read from the cache (loaded again if it
        is not there). What a process rendering the issue calls: it alone holds it."""
        by_slug = {source.slug: (source, key) for source, key in wanted}

        def full(slug: str) -> Bulletin:
            source, key = by_slug[slug]
            found = self._full.get(key.load) or self.cache.bulletin(key.load)
            return found or load_many(self.config, [source], 1)[slug]
        return full

    def record(self, plan: BuildPlan, made: dict[str, list[str]], shared: list[str] | None,
               every_file: list[str], last: Manifest) -> None:
        """Write down what a build made (its manifest, with every file's stat), and keep
        the cache to what it names."""
        stats = {path: last.stats[path] for path in plan.carried}  # a linked file: as recorded
        stats.update(file_stats(self.config.out_dir,
                                [path for path in every_file if path not in stats]))
        self.cache.save_manifest(plan.manifest(made, shared, stats))
        self.cache.prune({issue.key.load for issue in plan.issues})
        self.save_hashes()

    def save_hashes(self) -> None:
        """Keep the file hashes and the folders' listings for the next build."""
        self.hashes.save(self.cache.folder / HASHES)
        if _stats(self.listings) != self._listed and write_pickle(
                self.cache.folder / LISTINGS, self.listings):
            self._listed = _stats(self.listings)

    def warm_up(self) -> None:
        """Make this session's next build fast, and every build after it: the renderer
        imported, the templates compiled, the last build's issues in memory, a spare
        output tree. For `serve`, between its builds. Never fails: the next build
        reports any problem."""
        try:
            self._warm_up()
        except Exception:  # noqa: BLE001 (an optimisation; the next build reports any problem)
            return

    def _warm_up(self) -> None:
        self.keeps = True
        keys = self.global_keys()
        self.prepare(keys.render)
        found = {}
        for record in self.cache.manifest().issues.values():
            outline = self.issues.get(record.load) or self.cache.outline(record.load)
            if outline is not None:
                found[record.load] = outline
        self.issues = found
        self.spare.prepare()
        sources = discover(self.config)
        if found and sources:
            self._rehearse(keys, sources[-1])

    def _rehearse(self, keys: GlobalKeys, source: BulletinSource) -> None:
        """Load one issue and render one issue and the shared pages, thrown away: the first
        edit then finds every import done, premailer's caches of parsed styles filled and
        the shared pages' pieces in memory."""
        from bulletin_gen.incremental.rendering import make_shared
        from bulletin_gen.render.site import render_bulletin

        load_many(self.config, [source], 1)
        site = Site(self.config, tuple(self.issues.values()))
        loads = {outline.slug: load for load, outline in self.issues.items()}

        def stored(slug: str) -> Bulletin:
            # Only what the cache holds under the last build's key: an issue loaded from
            # its folder now may differ from that key, and its pieces would be kept under it.
            found = self.cache.bulletin(loads[slug])
            if found is None:
                raise LookupError(slug)  # warm_up gives up; the next build does the work
            return found

        env = self.environment(keys.render)
        render_bulletin(site, stored(site.bulletins[0].slug), env)
        store = self.fragment_store({slug: digest(keys.render, load)
                                     for slug, load in loads.items()})
        make_shared(site.published(), stored, env, store, _thrown_away)


def _thrown_away(files: list[OutputFile]) -> list[str]:
    """Make the files, keep nothing: a rehearsal."""
    for file in files:
        for _ in file.parts or ():
            pass
    return [file.path for file in files]


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


def _listings(file: Path) -> Listings:
    """The listings a previous build kept (none if the file is missing or damaged)."""
    found = read_pickle(file)
    if not isinstance(found, dict) or not all(
            isinstance(key, str) and isinstance(kept, tuple) and len(kept) == 2
            and isinstance(kept[1], tuple) and len(kept[1]) == 2 for key, kept in found.items()):
        return {}
    return found


def _stats(listings: Listings) -> dict[str, tuple[int, int]]:
    return {folder: kept[0] for folder, kept in listings.items()}
