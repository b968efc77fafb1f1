"""Finish the rendered email: clean characters, absolute and tagged links, sized pictures,
inlined styles; and the plain text's links."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from bulletin_gen.config.settings import Config
from bulletin_gen.mail.inline import inline_css
from bulletin_gen.mail.links import LinkPolicy, finish_html_links, finish_text_links
from bulletin_gen.mail.presets import preset_for
from bulletin_gen.model import Bulletin, Image
from bulletin_gen.sources.images import read_image, size_email_images
from bulletin_gen.sources.paths import PathProblem, resolve_source

# C1 control characters (often pasted from Windows-1252 text) can make Gmail show a
# message as clipped however small it is; they never carry meaning in an email.
C1_CONTROLS_RE = re.compile("[\u0080-\u009f]")
_logos: dict[tuple[Any, ...], Image | None] = {}


def link_policy(config: Config, bulletin: Bulletin) -> LinkPolicy:
    return LinkPolicy.for_issue(config, bulletin.slug, keep=(preset_for(config).unsubscribe_url,))


def finish_email_html(document: str, config: Config, bulletin: Bulletin) -> str:
    """The email.html that is published: every style inlined, every URL absolute."""
    document = without_c1_controls(document)
    document = finish_html_links(document, link_policy(config, bulletin))
    pictures = {config.base_url + image.url_path: image for image in bulletin.images}
    return inline_css(size_email_images(document, pictures)).rstrip("\n") + "\n"


def finish_email_text(text: str, config: Config, bulletin: Bulletin) -> str:
    """The email.txt that is published: the same tagged links as the HTML."""
    return finish_text_links(without_c1_controls(text), link_policy(config, bulletin))


def without_c1_controls(text: str) -> str:
    # An ASCII text (most emails: the templates write entities) has none to look for,
    # and isascii() is far cheaper than the regex's scan of a ~60 KB email.
    return text if text.isascii() else C1_CONTROLS_RE.sub("", text)


def brand_logo(config: Config) -> Image | None:
    """site.yaml's logo with its pixel size, or None when there is none to show.

    Asked for by every page of every issue: found and measured once per process while
    the files it could be (the publication's, the theme's) stay the same.
    """
    if not config.brand.logo:
        return None
    key = (config.root, config.theme_dir, config.brand.logo, config.brand.logo_alt,
           _stamp(config.root / config.brand.logo), _stamp(config.theme_dir / config.brand.logo))
    if key not in _logos:
        if len(_logos) > 16:  # a bound, for a `serve` whose logo keeps changing
            _logos.clear()
        _logos[key] = _find_logo(config)
    return _logos[key]


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def _find_logo(config: Config) -> Image | None:
    if not config.brand.logo:
        return None
    try:
        file, url_path = resolve_source(config.brand.logo, config.root, config)
        return read_image(file, url_path, config.brand.logo_alt)
    except (PathProblem, ValueError):
        return None  # reported by site.yaml's checks; the email simply goes without
