"""Read picture sizes (and later, resize) with Pillow."""

from __future__ import annotations

from pathlib import Path

from bulletin_gen.model import Image

PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}


def read_image(file: Path, url_path: str, alt: str) -> Image:
    """Describe a local file; pictures get their pixel size, other files 0x0."""
    if file.suffix.lower() not in PICTURE_SUFFIXES:
        return Image(url_path, str(file), alt, 0, 0)
    from PIL import Image as PILImage, UnidentifiedImageError

    try:
        with PILImage.open(file) as picture:
            width, height = picture.size
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"{url_path} is not a readable picture ({error.__class__.__name__})") from None
    return Image(url_path, str(file), alt, width, height)
