"""Errors the command line knows how to show: `path:line: message`, exit 1."""

from __future__ import annotations

from collections.abc import Iterable

import click


class BulletinError(click.ClickException):
    """A problem the user can fix; click prints it and exits with status 1."""

    exit_code = 1

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(self.format_message(), err=True, file=file)


class CommandLineError(BulletinError):
    """The command asked for something it cannot do (a folder not empty, a name taken):
    status 2, as click's own usage errors, since the content itself is fine."""

    exit_code = 2


class MissingPartError(BulletinError):
    """An optional part a command needs is not installed (Playwright, Chromium): status 3."""

    exit_code = 3


class SendError(BulletinError):
    """A proof could not be sent (the mail server, its login or its password): status 4."""

    exit_code = 4


class EnvironmentProblem(BulletinError):
    """The machine, not the content, failed a build (a full disk, a read-only folder, a
    file-size limit): status 5, so a script can tell it from content errors (1)."""

    exit_code = 5


class Interrupted(BulletinError):
    """Ctrl-C: status 130, as shells report a command that SIGINT stopped."""

    exit_code = 130


class ContentError(BulletinError):
    """One problem at one place in a source file."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        # Line 1 for a problem with a whole file: every message then reads `path:line:`,
        # as editors' tools and GitHub's problem matchers expect.
        self.line = 1 if line is None else line
        self.text = message
        super().__init__(self.location_message())

    def location_message(self) -> str:
        return printable(f"{self.path}:{self.line}: {self.text}")

    def __lt__(self, other: ContentError) -> bool:
        return (self.path, self.line, self.text) < (other.path, other.line, other.text)


class ContentErrors(BulletinError):
    """Every problem found, reported at once."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(set_unique(errors))
        count = len(self.errors)
        lines = [error.location_message() for error in self.errors]
        lines.append(f"{count} error{'s' if count != 1 else ''}: nothing was written.")
        super().__init__("\n".join(lines))


def printable(message: str) -> str:
    """One line, with control characters escaped: a file name or key holding a newline or
    a terminal escape sequence must not forge lines in a CI log or repaint a terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in message)


def set_unique(errors: Iterable[ContentError]) -> list[ContentError]:
    """Drop exact repeats, keeping the first of each."""
    seen: set[tuple[str, int, str]] = set()
    unique = []
    for error in errors:
        key = (error.path, error.line, error.text)
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return unique
