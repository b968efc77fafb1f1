"""What `build` prints: one summary line, more with -v, nothing but errors with -q.

A progress bar over issues is drawn only on a terminal and only when there are more
than a handful of issues; elsewhere (CI logs, pipes) the summary line is enough.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

HANDFUL = 5
QUIET, NORMAL, VERBOSE = -1, 0, 1


def verbosity_option(name: str, level: int, help_text: str) -> Callable[[Any], Any]:
    """-q or -v, recorded in the context rather than passed to the command."""
    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta["bulletin.verbosity"] = level
    short = f"-{name[0]}"
    return click.option(short, f"--{name}", is_flag=True, expose_value=False, callback=remember,
                        help=help_text)


def verbosity(ctx: click.Context) -> int:
    return int(ctx.meta.get("bulletin.verbosity", NORMAL))


@contextmanager
def issue_bar(level: int) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback for build(): (slug, done, total) once per issue made again.

    The bar appears only on a terminal, and only for more than a handful of issues;
    it is drawn on stderr and wiped when the build ends, leaving the summary line.
    """
    bar: list[Any] = []

    def tick(slug: str, done: int, total: int) -> None:
        if level < NORMAL or total <= HANDFUL or not sys.stderr.isatty():
            return
        if not bar:
            bar.append(click.progressbar(length=total, label="Building", file=sys.stderr,
                                         item_show_func=lambda shown: shown))
            bar[0].__enter__()
        bar[0].update(1, slug)

    try:
        yield tick
    finally:
        if bar:
            bar[0].__exit__(None, None, None)


def report_build(result: Any, where: str, level: int) -> None:
    """The summary line (issues, files, seconds), and with -v the issues made again."""
    if level < NORMAL:
        return
    click.echo(f"Built {result.issues} issue{'s' if result.issues != 1 else ''}, "
               f"{result.files} files in {result.seconds:.1f} s into {where}/")
    if level >= VERBOSE:
        rendered = getattr(result, "rendered", ())
        click.echo(f"Made again: {', '.join(rendered) if rendered else 'nothing (unchanged)'}")
