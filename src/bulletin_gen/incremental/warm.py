"""Ready a process that builds again and again (`serve`) for its next build, between builds."""

from __future__ import annotations

from bulletin_gen.config.settings import Config
from bulletin_gen.incremental.cache import Cache, GlobalKeys, digest, global_keys
from bulletin_gen.incremental.fragments import FragmentStore
from bulletin_gen.incremental.loading import load_many, remember, remembered
from bulletin_gen.incremental.rendering import environment
from bulletin_gen.incremental.rendering import warm_up as warm_renderer
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.output.spare import prepare as prepare_spare
from bulletin_gen.sources.discover import BulletinSource, discover


def warm_up(config: Config) -> None:
    """Make the next build of this process fast: the renderer imported, the templates
    compiled, the last build's issues in memory. For `serve`, between its builds."""
    cache = Cache(config)
    keys = global_keys(config)
    warm_renderer(config, keys.render)
    found = {}
    for entry in cache.manifest().get("issues", {}).values():
        bulletin = remembered(entry["load"]) or cache.bulletin(entry["load"])
        if bulletin is not None:
            found[entry["load"]] = bulletin
    remember(found)
    prepare_spare(config.out_dir)
    sources = discover(config)
    if found and sources:
        _rehearse(config, keys, cache, sources[-1], found)


def _rehearse(config: Config, keys: GlobalKeys, cache: Cache, source: BulletinSource,
              bulletins: dict[str, Bulletin]) -> None:
    """Load one issue and render one issue and the shared pages, thrown away: the first
    edit then finds every import done, premailer's caches of parsed styles filled and
    the shared pages' pieces in memory."""
    from bulletin_gen.incremental.fragments import active
    from bulletin_gen.render.site import render_bulletin, render_shared

    load_many(config, [source], 1)
    site = Site(config, tuple(bulletins.values()))
    env = environment(config, keys.render)
    render_bulletin(site, site.bulletins[0], env)
    store = FragmentStore(cache.folder / "fragments",
                          {b.slug: digest(keys.render, k) for k, b in bulletins.items()},
                          keep=True)
    with active(store):
        render_shared(site, env)
