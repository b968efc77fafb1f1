"""Where the default theme (templates/ and assets/) lives."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def default_theme_dir() -> Path:
    """The packaged theme in a wheel, or the repository's own in a source checkout."""
    packaged = Path(__file__).resolve().parents[1] / "theme"
    if (packaged / "templates").is_dir():
        return packaged
    # An editable install runs from src/: the theme is the repository's templates/ and assets/.
    return Path(__file__).resolve().parents[3]
