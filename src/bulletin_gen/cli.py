"""The `bulletin` command: parse options, load the config, call one stage."""

from __future__ import annotations

from pathlib import Path

import click

from bulletin_gen import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bulletin")
@click.option("-C", "--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The publication's folder (holding site.yaml); default: here or above.")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Write an e-bulletin as Markdown files; publish it as email, web page and archive."""
    ctx.obj = root


def _config(ctx: click.Context, out: Path | None = None, drafts: bool = False):  # type: ignore[no-untyped-def]
    from bulletin_gen.config import find_root, load_config

    return load_config(find_root(ctx.obj), out_dir=out, drafts=drafts)


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: site/).")
@click.option("--drafts", is_flag=True, help="Include issues and items marked draft.")
@click.argument("slugs", nargs=-1)
@click.pass_context
def build(ctx: click.Context, out: Path | None, drafts: bool, slugs: tuple[str, ...]) -> None:
    """Build every issue (or the named ones) into site/."""
    from bulletin_gen.build import build as run_build

    config = _config(ctx, out, drafts)
    if out is not None:  # a bad --out is a command-line mistake: exit 2, before any work
        from bulletin_gen.outdir import OutDirProblem, check_out_dir

        try:
            check_out_dir(config.out_dir, config.root)
        except OutDirProblem as problem:
            raise click.BadParameter(problem.message, param_hint="'--out'") from None
    result = run_build(config, slugs)
    click.echo(f"Built {result.issues} issue{'s' if result.issues != 1 else ''}, "
               f"{result.files} files in {result.seconds:.1f} s into "
               f"{_shown(config.out_dir, config.root)}/")


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.argument("slugs", nargs=-1)
@click.pass_context
def check(ctx: click.Context, strict: bool, slugs: tuple[str, ...]) -> None:
    """Validate every issue (or the named ones) without writing anything."""
    from bulletin_gen.build import render

    config = _config(ctx)
    site, _ = render(config, slugs)
    click.echo(f"Checked {len(site.bulletins)} issues: no errors.")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
