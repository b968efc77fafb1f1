"""Pictures: read their size, resize big ones, and give every email <img> its size."""

from __future__ import annotations

import html
import io
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin_gen.model import Image
from bulletin_gen.sources.paths import PathProblem, resolve_source

if TYPE_CHECKING:
    from bulletin_gen.config.settings import Config

PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}
# Larger pictures cost seconds and gigabytes to resize (or are decompression bombs).
MAX_PIXELS = 40_000_000
# Published pictures are at most this wide: sharp at 600 CSS pixels on 2x screens.
MAX_PUBLISHED_WIDTH = 1200
# Width of the email's text column (600px less 2 x 24px padding).
EMAIL_COLUMN = 552
IMG_RE = re.compile(r"<img\b[^>]*>")
ATTRIBUTE_RE = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')


def brand_logo(config: Config) -> Image | None:
    """site.yaml's logo with its pixel size, or None when there is none to show. The
    templates get it once per environment (render/templates.py), not once per page."""
    if not config.brand.logo:
        return None
    try:
        file, url_path = resolve_source(config.brand.logo, config.root, config)
        return read_image(file, url_path, config.brand.logo_alt)
    except (PathProblem, ValueError):
        return None  # reported by site.yaml's checks; the email simply goes without


def read_image(file: Path, url_path: str, alt: str) -> Image:
    """Describe a local file; pictures get their pixel size, other files 0x0."""
    if file.suffix.lower() not in PICTURE_SUFFIXES:
        return Image(url_path, str(file), alt, 0, 0)
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow only warns between 89 and 179 megapixels; such a file is refused too.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as picture:
                width, height = picture.size
                if width * height <= MAX_PIXELS and width > MAX_PUBLISHED_WIDTH:
                    picture.load()  # it is decoded to be resized: fail here, at its line
    except (UnidentifiedImageError, OSError, PILImage.DecompressionBombError,
            PILImage.DecompressionBombWarning) as error:
        why = ("not a PNG, JPEG or GIF inside" if isinstance(error, UnidentifiedImageError)
               else "damaged or cut short" if isinstance(error, OSError)
               else "far too many pixels: a decompression bomb?")
        raise ValueError(f"{url_path} is not a readable picture ({why})") from None
    if width * height > MAX_PIXELS:
        raise ValueError(f"{url_path} is {width}x{height} pixels; the limit is "
                         f"{MAX_PIXELS // 1_000_000} megapixels: scale it down first")
    return Image(url_path, str(file), alt, width, height)


def fit(image: Image, max_width: int) -> tuple[int, int]:
    """The size to show a picture at: its own, or scaled down to max_width."""
    if image.width <= 0 or image.height <= 0:
        return max_width, 0
    width = min(image.width, max_width)
    return width, max(1, round(image.height * width / image.width))


def resized_copy(image: Image) -> bytes | None:
    """The picture scaled down to 1200px wide, or None when it may be copied as it is."""
    if image.width <= MAX_PUBLISHED_WIDTH or Path(image.source).suffix.lower() == ".gif":
        return None  # an animated GIF would lose its frames
    from PIL import Image as PILImage

    _, height = fit(image, MAX_PUBLISHED_WIDTH)
    with PILImage.open(image.source) as opened:
        opened.load()
        fmt = opened.format or "PNG"
        picture: PILImage.Image = opened
        if fmt == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        elif fmt == "PNG" and picture.mode == "P":
            picture = picture.convert("RGBA")  # resample in full colour, not the palette
        small = picture.resize((MAX_PUBLISHED_WIDTH, height), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    # No timestamps or metadata are written, so the same picture gives the same bytes.
    if fmt == "JPEG":
        small.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        small.save(out, "PNG", optimize=True)
    return out.getvalue()


def size_email_images(document: str, images: dict[str, Image],
                      max_width: int = EMAIL_COLUMN) -> str:
    """Give every <img> of the email alt text, display:block and, for our own pictures,
    the width and height of the file (scaled to the column), which Outlook needs."""
    def replace(match: re.Match[str]) -> str:
        tag = match.group(0)
        attributes = dict(ATTRIBUTE_RE.findall(tag))
        additions = []
        if "alt" not in attributes:
            additions.append('alt=""')
        image = images.get(html.unescape(attributes.get("src", "")))
        if image is not None and "width" not in attributes:
            width, height = fit(image, max_width)
            additions.append(f'width="{width}" height="{height}"')
        if "style" not in attributes:
            additions.append('style="display:block;max-width:100%;height:auto;border:0;"')
        if not additions:
            return tag
        end = "/>" if tag.endswith("/>") else ">"
        return tag[: -len(end)].rstrip() + " " + " ".join(additions) + end
    return IMG_RE.sub(replace, document)
