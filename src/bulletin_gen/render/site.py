"""Render a Site into output files: web pages, email, text, index, feed."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from bulletin_gen.commands.cms.hosted import admin_pages
from bulletin_gen.errors import ContentErrors
from bulletin_gen.mail.budget import email_size_problems, too_big
from bulletin_gen.mail.eml import eml_bytes
from bulletin_gen.mail.finish import finish_email_html, finish_email_text, link_policy
from bulletin_gen.mail.lighten import clip_advice
from bulletin_gen.mail.links import finish_text_links, finish_url
from bulletin_gen.mail.presets import preset_for
from bulletin_gen.model import Bulletin, Site
from bulletin_gen.render.archive import SEARCH_INDEX, event_listing, reference_date, search_index
from bulletin_gen.render.bodies import email_body, web_body
from bulletin_gen.render.ics import calendar_files
from bulletin_gen.render.templates import kind_partial, template_errors
from bulletin_gen.render.urls import rebase
from bulletin_gen.sources.images import fit, resized_copy

if TYPE_CHECKING:
    from bulletin_gen.config.settings import Config


# The feed carries this many newest issues in full, and the older ones by title and
# summary: in full, a 240-issue archive's feed weighed 17.6 MB (feed readers give up on
# far less) and was most of a rebuild's memory and time.
FEED_FULL = 20


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output folder, with forward slashes
    content: bytes | None = None
    source: str | None = None  # a file to copy as it is
    parts: Iterable[str] | None = None  # text made as it is written (see archive_files)


def render_site(site: Site, env: jinja2.Environment) -> list[OutputFile]:
    """Every file of the published site, in a stable order."""
    files: list[OutputFile] = []
    for bulletin in site.bulletins:
        files.extend(render_bulletin(site, bulletin, env))
    files.extend(render_shared(site, env))
    return files


def render_in_memory(config: Config,
                     slugs: tuple[str, ...] = ()) -> tuple[Site, list[OutputFile]]:
    """Every stage but writing, in memory: what `send` and `preview` show."""
    from bulletin_gen.render.templates import make_environment
    from bulletin_gen.sources.load import load_site

    site = load_site(config, slugs)
    return site, render_site(site, make_environment(config))


def render_shared(site: Site, env: jinja2.Environment) -> list[OutputFile]:
    """Every file not of one issue, in memory. An incremental build makes these again
    when any issue changes (shared_files), an issue's files only when it (or a
    neighbour's title) changes."""
    return [*render_archive(site, env), *asset_files(site)]


def shared_files(site: Site, env: jinja2.Environment, view: ArchiveView) -> list[OutputFile]:
    """Every file not of one issue, the pages made as they are written. site: published."""
    return [*archive_files(site, env, view), *asset_files(site)]


def render_bulletin(site: Site, bulletin: Bulletin, env: jinja2.Environment) -> list[OutputFile]:
    """One issue's web page, email, plain text and pictures."""
    slug = bulletin.slug
    config = site.config
    email_html = _email_html(site, bulletin, env)
    email_text = finish_email_text(
        _render(env, "email.txt", _context(site, bulletin, env, "text")), config, bulletin)
    files = [
        _text_file(f"{slug}/index.html",
                   _render(env, "issue.html", _context(site, bulletin, env, "web"))),
        _text_file(f"{slug}/email.html", email_html),
        _text_file(f"{slug}/email.txt", email_text),
        OutputFile(f"{slug}/email.eml", eml_bytes(config, bulletin, email_text, email_html)),
    ]
    if email_size_problems(files, {slug: bulletin.path})[0]:  # Gmail would clip it,
        # unsubscribe link and all: say what weighs most and what setting would do
        def render_variant(variant: Bulletin) -> str:
            return _email_html(site, variant, env)  # its neighbours are found by slug
        advice = clip_advice(bulletin, email_html, config.kinds, render_variant)
        raise ContentErrors([too_big(bulletin.path, len(files[1].content or b""), advice)])
    # Pictures over 1200px wide are published scaled down (sharp at 600px on 2x screens).
    files.extend(OutputFile(image.url_path, content=resized_copy(image), source=image.source)
                 for image in bulletin.images if not image.url_path.startswith("assets/"))
    files.extend(OutputFile(path, ics) for path, ics in calendar_files(site.config, bulletin))
    return files


def _email_html(site: Site, bulletin: Bulletin, env: jinja2.Environment) -> str:
    return finish_email_html(_render(env, "email.html", _context(site, bulletin, env, "email")),
                             site.config, bulletin)


@dataclass(frozen=True)
class ArchiveView:
    """What the pages about every issue speak from: the same for the pages and for every
    piece of them an issue's rendering makes beforehand (render_pieces)."""
    today: dt.date  # an event after it is upcoming (archive.reference_date)
    feed_full: frozenset[str]  # the issues the feed carries in full: the newest


def archive_view(site: Site) -> ArchiveView:
    """site: published, newest first."""
    return ArchiveView(reference_date(site),
                       frozenset(bulletin.slug for bulletin in site.bulletins[:FEED_FULL]))


def render_archive(site: Site, env: jinja2.Environment) -> list[OutputFile]:
    """The pages about every issue, in memory (check, send, preview)."""
    site = site.published()  # drafts, built with --drafts or by serve, are never listed
    return [OutputFile(file.path, "".join(file.parts).encode("utf-8"))
            if file.parts is not None else file
            for file in archive_files(site, env, archive_view(site))]


def archive_files(site: Site, env: jinja2.Environment, view: ArchiveView) -> list[OutputFile]:
    """The pages about every issue: the archive index, events, search, the feed and the
    sitemap, each made as it is written, never whole in memory (at a thousand issues the
    search index is some 25 MB). site: published."""
    context = _site_context(site, env, prefix="")
    absolute = {**_site_context(site, env, prefix=site.config.base_url),
                "feed_full": view.feed_full}
    events = {**_site_context(site, env, prefix="../"),
              "events": event_listing(site, view.today)}
    return [
        OutputFile("index.html", parts=_generated(env, "index.html", context)),
        OutputFile("events/index.html", parts=_generated(env, "events.html", events)),
        OutputFile(SEARCH_INDEX, parts=search_index(site)),
        OutputFile("feed.xml", parts=_generated(env, "feed.xml", absolute)),
        OutputFile("sitemap.xml", parts=_generated(env, "sitemap.xml", absolute)),
        *[_text_file(path, text) for path, text in admin_pages(site.config)],
    ]


def render_pieces(site: Site, bulletin: Bulletin, env: jinja2.Environment,
                  view: ArchiveView) -> None:
    """Make one issue's pieces of the pages about every issue (its feed entry, search
    entries and events-page entries) into the active fragment store, as archive_files
    would make them; the pages themselves are thrown away. A build's workers do this
    beside each issue they render, from the issue in full, so the pages about every
    issue, made after them from outlines, only gather the pieces."""
    one = Site(site.config, (bulletin,)).published()
    if one.bulletins:
        _render(env, "feed.xml", {**_site_context(one, env, prefix=site.config.base_url),
                                  "feed_full": view.feed_full})
        "".join(search_index(one))
        _render(env, "events.html", {**_site_context(one, env, prefix="../"),
                                     "events": event_listing(one, view.today)})


def asset_files(site: Site) -> list[OutputFile]:
    """The shared assets, the publication's own overriding the theme's file by file."""
    found: dict[str, str] = {}
    for folder in reversed(site.config.asset_dirs):
        for file in sorted(Path(folder).rglob("*")):
            if file.is_file() and not file.name.startswith("."):
                found[f"assets/{file.relative_to(folder).as_posix()}"] = str(file)
    return [OutputFile(path, source=source) for path, source in sorted(found.items())]


def _context(site: Site, bulletin: Bulletin, env: jinja2.Environment,
             medium: str) -> dict[str, Any]:
    config = site.config
    prefix = "../" if medium == "web" else config.base_url
    older, newer = site.neighbours(bulletin)
    by_medium: dict[str, Any] = {}
    if medium == "web":
        by_medium = {"body": lambda html: rebase(keyboard_scrollable(web_body(html)), prefix)}
    elif medium == "email":
        by_medium = {"body": lambda html: rebase(email_body(html), prefix)}
    elif medium == "text":
        # The text's URLs are tagged before it is wrapped, not after: a URL that grew by
        # its UTM parameters would run past the line it was given.
        policy = link_policy(config, bulletin)
        by_medium = {
            "text_urls": functools.partial(finish_text_links, policy=policy),
            "tagged_url": lambda url: finish_url(url, policy),
        }
    return {
        **_site_context(site, env, prefix),
        **by_medium,
        "medium": medium,
        "bulletin": bulletin,
        # The email and its text leave out the items marked `email: web-only`.
        "groups": bulletin.groups(config.kinds, in_email=medium != "web"),
        "older": older,
        "newer": newer,
        "issue_url": f"{config.base_url}{bulletin.slug}/",
        "preset": preset_for(config),
        "partial": _partials(env, medium),
        "fit": fit,
    }


def keyboard_scrollable(html: str) -> str:
    """A body's tables made focusable: on a narrow screen a wide one scrolls sideways in its
    own box (the stylesheet's rule), which a keyboard can scroll only once it has focus."""
    return html.replace("<table>", '<table tabindex="0">') if "<table>" in html else html


def _partials(env: jinja2.Environment, medium: str) -> Callable[[str], str]:
    """A page's partial(kind): kind_partial, asked once per kind (a page has a few kinds
    and many items; each asking is a template lookup)."""
    found: dict[str, str] = {}

    def partial(kind: str) -> str:
        if kind not in found:
            found[kind] = kind_partial(env, kind, medium)
        return found[kind]
    return partial


def _site_context(site: Site, env: jinja2.Environment, prefix: str) -> dict[str, Any]:
    return {
        "config": site.config,
        "site": site,
        "url": lambda path: prefix + path,
        "body": lambda html: rebase(html, prefix),
        "absolute_body": lambda html: rebase(html, site.config.base_url),
    }


def _render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    with template_errors(env, context["config"].root):
        return env.get_template(name).render(context)


def _generated(env: jinja2.Environment, name: str, context: dict[str, Any]) -> Iterator[str]:
    """_render's text in parts, as the page is written."""
    with template_errors(env, context["config"].root):
        yield from env.get_template(name).generate(context)


def _text_file(path: str, text: str) -> OutputFile:
    return OutputFile(path, text.encode("utf-8"))
