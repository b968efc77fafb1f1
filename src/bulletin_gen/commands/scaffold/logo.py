"""A plain logo for a new publication: its title in white on the brand's primary colour."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (480, 120)  # shown at 240x60 in the email and 200x50 on the web pages
PADDING = 24
LARGEST_FONT = 48


def write_logo(path: Path, title: str, background: str) -> Path:
    """Draw title on an opaque background (so dark-mode inversion keeps it legible)."""
    picture = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(picture)
    width, height = SIZE
    size = LARGEST_FONT
    while True:  # the largest font at which the title fits on one line
        font = ImageFont.load_default(size=size)
        left, top, right, bottom = draw.textbbox((0, 0), title, font=font)
        if right - left <= width - 2 * PADDING or size <= 12:
            break
        size -= 2
    draw.text(((width - (right - left)) / 2 - left, (height - (bottom - top)) / 2 - top), title,
              font=font, fill="#ffffff")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as file:  # never overwrite
        picture.save(file, "PNG", optimize=True)
    return path
