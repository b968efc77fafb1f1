"""The email's weight: Gmail clips a message over about 102 KB and hides its footer,
unsubscribe link included. Warn early, fail before the clip."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from bulletin_gen.errors import ContentError

KB = 1000
WARN_AT = 90 * KB  # a little before Inky's 90 KiB; `bulletin check` warns from here too
FAIL_AT = 102 * KB  # decimal: the cautious reading of Gmail's "102KB"
EMAIL_FILE = "email.html"


class Rendered(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def content(self) -> bytes | None: ...


def email_size_problems(files: Iterable[Rendered], sources: Mapping[str, str],
                        ) -> tuple[list[ContentError], list[str]]:
    """(errors, warnings) about each `<slug>/email.html` among the rendered files;
    sources maps a slug to its bulletin.md, where the messages point."""
    return _size_problems(((file.path, len(file.content)) for file in files
                           if file.content is not None), sources)


def _size_problems(sizes: Iterable[tuple[str, int]], sources: Mapping[str, str],
                   ) -> tuple[list[ContentError], list[str]]:
    errors: list[ContentError] = []
    warnings: list[str] = []
    for path, size in sizes:
        slug, _, name = path.rpartition("/")
        if name != EMAIL_FILE or slug not in sources:
            continue
        shown = f"{size / KB:.1f} KB"
        if size > FAIL_AT:
            errors.append(ContentError(sources[slug], 1,
                                       f"the email weighs {shown}, over the {FAIL_AT // KB} KB "
                                       "where Gmail clips it and hides the unsubscribe link; "
                                       "shorten the issue or move items to the web page"))
        elif size > WARN_AT:
            warnings.append(f"{sources[slug]}:1: warning: the email weighs {shown}, close to "
                            f"the {FAIL_AT // KB} KB where Gmail clips it")
    return errors, warnings


def built_email_warnings(out_dir: Path, bulletins_dir: Path, root: Path) -> list[str]:
    """The size warnings about the emails of a site just built (their sizes on disk)."""
    sizes, sources = [], {}
    for email in sorted(out_dir.glob(f"*/{EMAIL_FILE}")):
        slug = email.parent.name
        sizes.append((f"{slug}/{EMAIL_FILE}", email.stat().st_size))
        source = bulletins_dir / slug / "bulletin.md"
        sources[slug] = source.relative_to(root).as_posix() if source.is_relative_to(root) \
            else str(source)
    return _size_problems(sizes, sources)[1]
