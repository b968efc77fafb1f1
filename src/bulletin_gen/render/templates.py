"""The Jinja environment: the publication's templates first, then the default theme's."""

from __future__ import annotations

import types
from collections import ChainMap
from typing import Any

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.utils import internalcode
from markupsafe import Markup

from bulletin_gen.config.settings import Config
from bulletin_gen.incremental.fragments import FragmentCacheExtension
from bulletin_gen.render import dates
from bulletin_gen.render.archive import calendar_links
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
    env.code_generator_class = OutputCodeGenerator
    env.context_class = PageContext
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
                       calendar_links=calendar_links, logo=brand_logo(config))
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


# markupsafe's escape less the Markup it makes of the result (markupsafe >= 3.0).
_escape_text = getattr(markupsafe, "_escape_inner", None)


def output_escape(value: Any) -> Any:
    """markupsafe.escape(value) as far as a page's text goes, for `{{ ... }}` where
    autoescape is on. escape wraps every result in a new Markup (copying the text), which
    output never needs: it is only joined into the page, or into a block's text that is
    made Markup as a whole. Called for every expression of every page (~800 an issue)."""
    if _escape_text is None:
        return markupsafe.escape(value)
    if type(value) is str:
        return _escape_text(value)
    if type(value) is Markup:  # escape would return a copy of it
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return _escape_text(str(value))


class OutputCodeGenerator(CodeGenerator):
    """Jinja's code generator, with output_escape for expressions output under autoescape:
    the templates are compiled to the same code but for that name, so pages are unchanged."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        self.writeline("from bulletin_gen.render.templates import output_escape")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("output_escape(")  # where Jinja writes "escape("
        if finalize.src is not None:
            self.write(finalize.src)


class PageContext(Context):
    """Jinja's template context, cheaper to make (a page makes one per included partial)
    and to call plain functions through (url(), body(), partial()... for every item)."""

    def __init__(self, environment: jinja2.Environment, parent: dict[str, Any],
                 name: str | None, blocks: dict[str, Any], globals: Any = None) -> None:
        # Context.__init__, but for globals_keys: a template's globals are a ChainMap,
        # whose own iteration (set(globals)) was a good part of the time a context took.
        self.parent = parent
        self.vars = {}
        self.environment = environment
        self.eval_ctx = nodes.EvalContext(self.environment, name)
        self.exported_vars = set()
        self.name = name
        if globals is None:
            self.globals_keys = set()
        elif type(globals) is ChainMap:
            self.globals_keys = set().union(*globals.maps)
        else:
            self.globals_keys = set(globals)
        self.blocks = {k: [v] for k, v in blocks.items()}

    @internalcode  # left out of a template error's traceback, as Context.call is
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # A plain function with no attributes of its own (so no pass_context mark, nor a
        # __call__ of its own): Context.call would only drop Jinja's keywords and call it.
        if type(__obj) is not types.FunctionType or __obj.__dict__:
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")
