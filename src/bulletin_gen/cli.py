"""The `bulletin` command: parse options, load the config, call one stage."""

from __future__ import annotations

from pathlib import Path

import click

from bulletin_gen import __version__
from bulletin_gen.commands.progress import (
    QUIET,
    VERBOSE,
    issue_bar,
    report_build,
    verbosity,
    verbosity_option,
)


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        """Ctrl-C: exit status 130 and one line (click would say "Aborted!", status 1)."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(130) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bulletin")
@click.option("-C", "--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The publication's folder (holding site.yaml); default: here or above.")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Write an e-bulletin as Markdown files; publish it as email, web page and archive."""
    ctx.obj = root


def _config(ctx: click.Context, out: Path | None = None, drafts: bool = False):  # type: ignore[no-untyped-def]
    from bulletin_gen.config.settings import find_root, load_config

    return load_config(find_root(ctx.obj), out_dir=out, drafts=drafts)


@main.command(short_help='Build the site into site/ (only what changed).')
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: site/).")
@click.option("--drafts", is_flag=True, help="Include issues and items marked draft.")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="How many processes load and render issues (default: one per core).")
@verbosity_option("quiet", QUIET, "Print nothing but errors.")
@verbosity_option("verbose", VERBOSE, "Also say which issues were made again.")
@click.argument("slugs", nargs=-1)
@click.pass_context
def build(ctx: click.Context, out: Path | None, drafts: bool, jobs: int | None,
          slugs: tuple[str, ...]) -> None:
    """Build every issue (or the named ones, keeping the others) into site/.

    Only what changed since the last build is made again.
    """
    from bulletin_gen.build import build as run_build
    from bulletin_gen.errors import Interrupted

    config = _config(ctx, out, drafts)
    if out is not None:  # a bad --out is a command-line mistake: exit 2, before any work
        from bulletin_gen.output.outdir import OutDirProblem, check_out_dir

        try:
            check_out_dir(config.out_dir, config.root)
        except OutDirProblem as problem:
            raise click.BadParameter(problem.message, param_hint="'--out'") from None
    shown = _shown(config.out_dir, config.root)

    def waiting() -> None:
        click.echo(f"Another build is writing {shown}/; waiting for it to finish...", err=True)

    with issue_bar(verbosity(ctx)) as progress:
        result = run_build(config, slugs, jobs, progress, waiting=waiting)
    try:
        report_build(result, shown, verbosity(ctx))
        from bulletin_gen.mail.budget import built_email_warnings

        for warning in built_email_warnings(config.out_dir, config.bulletins_dir, config.root):
            click.echo(warning, err=True)
    except KeyboardInterrupt:
        raise Interrupted(f"Interrupted: {shown}/ holds this build, whole") from None


@main.command(short_help='Validate and lint, writing nothing.')
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the findings.")
@click.option("--online", is_flag=True,
              help="Also ask every external link over HTTP (answers cached for a day).")
@click.option("--ignore", "ignored", multiple=True, metavar="RULE",
              help="Skip a lint rule by its id (repeatable).")
@click.argument("slugs", nargs=-1)
@click.pass_context
def check(ctx: click.Context, strict: bool, output_format: str, online: bool,
          ignored: tuple[str, ...], slugs: tuple[str, ...]) -> None:
    """Validate and lint every issue (or the named ones), drafts included, writing nothing."""
    from bulletin_gen.commands.check import format_json, format_text, run_check

    report = run_check(_config(ctx, drafts=True), slugs, online=online, ignore=frozenset(ignored))
    click.echo(format_json(report) if output_format == "json" else format_text(report))
    if report.failed(strict):
        ctx.exit(1)


@main.command(short_help='Start a new publication in DIRECTORY.')
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Our e-bulletin", show_default=True,
              help="The publication's name, in site.yaml and on its generated logo.")
def init(directory: Path, title: str) -> None:
    """Start a new publication in DIRECTORY (which must be empty or new).

    The templates stay in bulletin-gen's packaged theme; `bulletin theme copy` takes one
    out to change it.
    """
    import datetime as dt

    from bulletin_gen.commands.scaffold import init_publication

    _created(init_publication(directory, dt.date.today(), title), directory.resolve())


@main.group(short_help="List or copy the packaged theme's files.")
def theme() -> None:
    """The packaged theme's templates and assets, which a publication overrides file by file."""


@theme.command("list", short_help="List the packaged theme's files.")
def theme_list() -> None:
    """List every template and asset of the packaged theme."""
    from bulletin_gen.commands.scaffold import theme_files

    for name in theme_files():
        click.echo(name)


@theme.command("copy", short_help="Copy theme files into the publication to change them.")
@click.argument("names", nargs=-1, required=True)
@click.pass_context
def theme_copy(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Copy NAMES (_event.html, or templates/... and assets/... paths) from the packaged
    theme into this publication, where they win over the packaged ones. Never overwrites."""
    from bulletin_gen.commands.scaffold import copy_theme_file
    from bulletin_gen.config.settings import find_root

    root = find_root(ctx.obj)
    _created([copy_theme_file(root, name) for name in names], root)


@main.command(short_help='Create a new issue folder.')
@click.argument("slug")
@click.option("--from", "from_slug", metavar="SLUG",
              help="Start from this issue: stub copies of its items.")
@click.pass_context
def new(ctx: click.Context, slug: str, from_slug: str | None) -> None:
    """Create the issue folder bulletins/SLUG, as a draft."""
    import datetime as dt

    from bulletin_gen.commands.scaffold import new_issue

    config = _config(ctx)
    _created(new_issue(config, slug, from_slug, dt.date.today()), config.root)


@main.command(short_help='Add an item to an issue.')
@click.argument("kind")
@click.argument("title")
@click.option("--to", "to_slug", metavar="SLUG", help="The issue (default: the latest).")
@click.pass_context
def add(ctx: click.Context, kind: str, title: str, to_slug: str | None) -> None:
    """Add an item of KIND called TITLE, with that kind's fields explained."""
    from bulletin_gen.commands.scaffold import add_item

    config = _config(ctx)
    _created([add_item(config, kind, title, to_slug)], config.root)


@main.command(short_help='Send an issue as a proof by email.')
@click.argument("slug")
@click.option("--to", "recipients", multiple=True, required=True, metavar="ADDRESS",
              help="Who gets the proof (repeat, or separate with commas); no one else does.")
@click.pass_context
def send(ctx: click.Context, slug: str, recipients: tuple[str, ...]) -> None:
    """Send issue SLUG as a proof ("[PROOF]" subject) through site.yaml's SMTP server.

    The password comes only from the environment variable named by smtp.password_env.
    """
    from bulletin_gen.commands.send import check_recipient, send_proof

    addresses = [part.strip() for value in recipients for part in value.split(",") if part.strip()]
    for address in addresses:
        try:
            check_recipient(address)
        except ValueError as problem:
            raise click.BadParameter(str(problem), param_hint="'--to'") from None
    config = _config(ctx, drafts=True)
    send_proof(config, slug, addresses)
    click.echo(f"Sent a proof of {slug} to {', '.join(addresses)}")


@main.command(short_help="Write screenshots of an issue's email.")
@click.argument("slug")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the pictures (default: preview/SLUG/).")
@click.pass_context
def preview(ctx: click.Context, slug: str, out: Path | None) -> None:
    """Write screenshots of issue SLUG's email: desktop.png, phone.png and dark.png.

    Uses Chromium (/usr/bin/chromium, or $BULLETIN_CHROMIUM) through Playwright.
    """
    from bulletin_gen.commands.preview import take_screenshots

    config = _config(ctx, drafts=True)
    folder = out.resolve() if out else config.root / "preview" / slug
    for shot in take_screenshots(config, slug, folder):
        shown = _shown(shot.path, config.root)
        click.echo(f"Wrote {shown}")
        if shot.width > shot.view.width:
            click.echo(f"{shown}: warning: the email is {shot.width} px wide in a "
                       f"{shot.view.width} px window: something in it is too wide and "
                       "scrolls sideways", err=True)


@main.command(short_help='Preview on 127.0.0.1, rebuilding on every change.')
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port on 127.0.0.1 (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.pass_context
def serve(ctx: click.Context, port: int, open_browser: bool) -> None:
    """Build (drafts included), serve site/ on 127.0.0.1, rebuild and reload on every change."""
    from bulletin_gen.commands.serve import serve as run_server

    run_server(_config(ctx, drafts=True), port, open_browser)


@main.command(short_help="Edit in the browser: a local web editor on 127.0.0.1.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="The port on 127.0.0.1 (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the editor in a browser.")
@click.option("--install", is_flag=True,
              help="First install the editor's npm packages into your cache folder (needs npm).")
@click.pass_context
def cms(ctx: click.Context, port: int, open_browser: bool, install: bool) -> None:
    """Edit issues and items in a browser (Decap CMS, with its local backend decap-server).

    Saves go straight into bulletins/, written as `bulletin add` writes them. Needs Node.js
    and two npm packages: `bulletin cms --install` fetches them once.
    """
    from bulletin_gen.commands.cms.packages import find_packages, install_packages
    from bulletin_gen.commands.cms.server import run_editor

    if install:
        click.echo(f"Installed the editor into {install_packages()}")
    config = _config(ctx)
    run_editor(config, find_packages(config.root), port, open_browser)


def _created(paths: list[Path], root: Path) -> None:
    for path in paths:
        click.echo(f"Created {_shown(path.resolve(), root)}{'/' if path.is_dir() else ''}")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
