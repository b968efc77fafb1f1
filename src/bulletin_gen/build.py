"""The recipe: config, discover, load, render, write."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bulletin_gen.config import Config
from bulletin_gen.discover import discover
from bulletin_gen.errors import ContentError, ContentErrors
from bulletin_gen.load import load_bulletin
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.outdir import check_out_dir
from bulletin_gen.output import write_output
from bulletin_gen.paths import links_leading_out
from bulletin_gen.render import OutputFile, render_site
from bulletin_gen.templates import make_environment


@dataclass(frozen=True)
class BuildResult:
    issues: int
    files: int
    seconds: float


def load_site(config: Config, slugs: tuple[str, ...] = ()) -> Site:
    """Discover and load every issue, collecting the errors of all of them."""
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
    errors.extend(_duplicate_titles(bulletins))
    if errors:
        raise ContentErrors(errors)
    return Site(config, tuple(bulletins))


def render(config: Config, slugs: tuple[str, ...] = ()) -> tuple[Site, list[OutputFile]]:
    """Every stage but writing: what `check` runs."""
    site = load_site(config, slugs)
    return site, render_site(site, make_environment(config))


def build(config: Config, slugs: tuple[str, ...] = ()) -> BuildResult:
    """Build the site into config.out_dir, all or nothing."""
    started = time.perf_counter()
    check_out_dir(config.out_dir, config.root)
    site, files = render(config, slugs)
    written = write_output(files, config.out_dir)
    return BuildResult(len(site.bulletins), written, time.perf_counter() - started)


def _duplicate_titles(bulletins: list[Bulletin]) -> list[ContentError]:
    errors = []
    for bulletin in bulletins:
        slugs: dict[str, str] = {}
        for item in bulletin.items:
            key = f"{item.kind}-{item.slug}"
            if key in slugs:
                errors.append(ContentError(item.path, 1, f"same file name as {slugs[key]} "
                                           "after its number: their anchors would clash"))
            slugs[key] = item.path
    return errors
