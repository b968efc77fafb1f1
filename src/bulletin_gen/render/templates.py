"""The Jinja environment: the publication's templates first, then the default theme's."""

from __future__ import annotations

import jinja2
from jinja2.runtime import Context

from bulletin_gen.config.settings import Config
from bulletin_gen.incremental.fragments import FragmentCacheExtension
from bulletin_gen.render import dates
from bulletin_gen.render.archive import calendar_links
from bulletin_gen.render.teasers import email_runs, first_paragraph
from bulletin_gen.render.text import html_to_text, underline, wrap
from bulletin_gen.sources.images import brand_logo


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
        text=text_filter,
        wrap=wrap,
        underline=underline,
    )
    # The logo is measured here, once per environment: a session makes a new one when
    # site.yaml, the assets or the templates change (the render key names them).
    env.globals.update(event_when=dates.event_when, iso_instant=dates.iso_instant,
                       calendar_links=calendar_links, logo=brand_logo(config),
                       first_paragraph=first_paragraph, email_runs=email_runs)
    return env


@jinja2.pass_context
def text_filter(context: Context, html: str, wrap: bool = True) -> str:
    """`|text`: html_to_text, with the page's `text_urls` (the email's text tags its URLs)."""
    return html_to_text(html, wrap, context.get("text_urls"))


def kind_partial(env: jinja2.Environment, kind: str, medium: str) -> str:
    """The partial for a kind (`_event.email.html`), or the generic `_item` one."""
    suffix = {"web": "html", "email": "email.html", "text": "txt"}[medium]
    wanted = f"_{kind}.{suffix}"
    try:
        env.get_template(wanted)
        return wanted
    except jinja2.TemplateNotFound:
        return f"_item.{suffix}"
