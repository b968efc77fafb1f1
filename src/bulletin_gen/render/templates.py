"""The Jinja environment: the publication's templates first, then the default theme's."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.runtime import Context
from markupsafe import Markup

from bulletin_gen.config.settings import Config
from bulletin_gen.errors import ContentError
from bulletin_gen.incremental.fragments import cached
from bulletin_gen.model import Bulletin
from bulletin_gen.render import dates
from bulletin_gen.render.archive import calendar_links
from bulletin_gen.render.teasers import email_runs, first_paragraph
from bulletin_gen.render.text import html_to_text, underline, wrap
from bulletin_gen.sources.images import brand_logo


@contextmanager
def template_errors(env: jinja2.Environment, root: Path) -> Iterator[None]:
    """A theme template's mistake (a typo in a variable's name, an unclosed block) as a
    ContentError at the template's `path:line` (relative to root when it is under it),
    where Jinja would raise its own error with a traceback. Wraps the making of a page,
    including the iteration of generate()."""
    try:
        yield
    except jinja2.TemplateError as error:
        path, line = _template_place(error, env)
        if path is not None and Path(path).is_relative_to(root):
            path = Path(path).relative_to(root).as_posix()
        message = error.message or type(error).__name__
        raise ContentError(path or "templates", line, f"template error: {message}") from None


def _template_place(error: jinja2.TemplateError, env: jinja2.Environment,
                    ) -> tuple[str | None, int | None]:
    """The template file and line an error is at: a syntax error says; at run time it is
    the innermost frame in a template (Jinja rewrites the traceback to show them)."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return error.filename, error.lineno
    folders = tuple(os.path.join(folder, "") for folder in
                    getattr(env.loader, "searchpath", ()))
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.startswith(folders):
            return frame.filename, frame.lineno
    return None, None


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


class FragmentCacheExtension(Extension):
    """`{% cache "name", bulletin %}...{% endcache %}`: the block's output, per issue.

    The name must say which template and place the block is in: the block's output
    may depend only on the issue and on settings that are the same for every issue
    of that page (config, the page's url prefix), as the key holds nothing else.
    """

    tags = {"cache"}

    def parse(self, parser: Any) -> nodes.Node:
        token = next(parser.stream)
        name = parser.parse_expression()
        parser.stream.expect("comma")
        bulletin = parser.parse_expression()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_render", [name, bulletin])
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

    def _render(self, name: str, bulletin: Bulletin, caller: Callable[[], str]) -> str:
        # Markup: the block's output is already escaped as its template escapes.
        return Markup(cached(bulletin, f"template:{name}", lambda: str(caller())))
