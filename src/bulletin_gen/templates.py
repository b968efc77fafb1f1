"""The Jinja environment: the publication's templates first, then the default theme's."""

from __future__ import annotations

import re

import jinja2
from markupsafe import Markup

from bulletin_gen import dates
from bulletin_gen.archive import calendar_links
from bulletin_gen.config import Config
from bulletin_gen.fragments import FragmentCacheExtension
from bulletin_gen.text import html_to_text, underline, wrap

SITE_ABSOLUTE_RE = re.compile(r'\b(href|src)="/(?!/)')


def make_environment(config: Config) -> jinja2.Environment:
    """An environment with autoescape and StrictUndefined, so a typo is an error."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in config.template_dirs]),
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[FragmentCacheExtension],  # {% cache %}: per-issue parts kept between builds
    )
    env.filters.update(
        long_date=dates.long_date,
        day_date=dates.day_date,
        text=html_to_text,
        wrap=wrap,
        underline=underline,
    )
    env.globals.update(event_when=dates.event_when, iso_instant=dates.iso_instant,
                       calendar_links=calendar_links)
    return env


def rebase(html: str, prefix: str) -> Markup:
    """Point site-absolute URLs ("/2022-06/...") of a trusted fragment below prefix."""
    # Most bodies link nowhere on the site, and `in` is far cheaper than the regex's scan
    # (the leading \b defeats its literal search): this runs ~16,000 times over an archive.
    if '="/' not in html:
        return Markup(html)
    return Markup(SITE_ABSOLUTE_RE.sub(lambda m: f'{m.group(1)}="{prefix}', html))


def kind_partial(env: jinja2.Environment, kind: str, medium: str) -> str:
    """The partial for a kind (`_event.email.html`), or the generic `_item` one."""
    suffix = {"web": "html", "email": "email.html", "text": "txt"}[medium]
    wanted = f"_{kind}.{suffix}"
    try:
        env.get_template(wanted)
        return wanted
    except jinja2.TemplateNotFound:
        return f"_item.{suffix}"
