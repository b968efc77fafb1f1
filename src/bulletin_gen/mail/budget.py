"""The email's weight: Gmail clips a message over about 102 KB and hides its footer,
unsubscribe link included. Warn early, fail before the clip."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from bulletin_gen.errors import ContentError

KB = 1000
WARN_AT = 90 * KB  # a little before Inky's 90 KiB; `bulletin check` warns from here too
FAIL_AT = 102 * KB  # decimal: the cautious reading of Gmail's "102KB"
EMAIL_FILE = "email.html"
# What makes an email lighter without losing anything from the web page.
LIGHTER = ("`email: teaser` (title, first paragraph and a link to the web page) or "
           "`email: web-only` on long items, or `email: teaser` in bulletin.md for all")


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
        if size > FAIL_AT:
            errors.append(too_big(sources[slug], size, LIGHTER))
        elif size > WARN_AT:
            warnings.append(f"{sources[slug]}:1: warning: the email weighs {size / KB:.1f} KB, "
                            f"close to the {FAIL_AT // KB} KB where Gmail clips it; {LIGHTER}")
    return errors, warnings


def too_big(path: str, size: int, advice: str) -> ContentError:
    """The error about an email over the clip, at line 1 of its bulletin.md."""
    return ContentError(path, 1, f"the email weighs {size / KB:.1f} KB, over the "
                        f"{FAIL_AT // KB} KB where Gmail clips it and hides the unsubscribe "
                        f"link; {advice}")


def built_email_warnings(out_dir: Path, bulletins_dir: Path, root: Path) -> list[str]:
    """The size warnings about the emails of a site just built (their sizes on disk)."""
    sizes, sources = [], {}
    with os.scandir(out_dir) as listing:  # scandir, not glob: this runs after every build
        slugs = sorted(entry.name for entry in listing if entry.is_dir())
    for slug in slugs:
        try:
            size = os.stat(os.path.join(out_dir, slug, EMAIL_FILE)).st_size
        except FileNotFoundError:
            continue
        if size <= WARN_AT:
            continue  # nothing to say; and no paths to work out for it
        sizes.append((f"{slug}/{EMAIL_FILE}", size))
        source = bulletins_dir / slug / "bulletin.md"
        sources[slug] = source.relative_to(root).as_posix() if source.is_relative_to(root) \
            else str(source)
    return _size_problems(sizes, sources)[1]
