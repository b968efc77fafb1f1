"""Finish the rendered email: clean characters, absolute and tagged links, sized pictures,
inlined styles; and the plain text's links."""

from __future__ import annotations

import re

from bulletin_gen.config import Config
from bulletin_gen.images import read_image, size_email_images
from bulletin_gen.inline import inline_css
from bulletin_gen.links import LinkPolicy, finish_html_links, finish_text_links
from bulletin_gen.model import Bulletin, Image
from bulletin_gen.paths import PathProblem, resolve_source
from bulletin_gen.presets import preset_for

# C1 control characters (often pasted from Windows-1252 text) can make Gmail show a
# message as clipped however small it is; they never carry meaning in an email.
C1_CONTROLS_RE = re.compile("[\u0080-\u009f]")


def link_policy(config: Config, bulletin: Bulletin) -> LinkPolicy:
    return LinkPolicy.for_issue(config, bulletin.slug, keep=(preset_for(config).unsubscribe_url,))


def finish_email_html(document: str, config: Config, bulletin: Bulletin) -> str:
    """The email.html that is published: every style inlined, every URL absolute."""
    document = C1_CONTROLS_RE.sub("", document)
    document = finish_html_links(document, link_policy(config, bulletin))
    pictures = {config.base_url + image.url_path: image for image in bulletin.images}
    return inline_css(size_email_images(document, pictures)).rstrip("\n") + "\n"


def finish_email_text(text: str, config: Config, bulletin: Bulletin) -> str:
    """The email.txt that is published: the same tagged links as the HTML."""
    return finish_text_links(C1_CONTROLS_RE.sub("", text), link_policy(config, bulletin))


def brand_logo(config: Config) -> Image | None:
    """site.yaml's logo with its pixel size, or None when there is none to show."""
    if not config.brand.logo:
        return None
    try:
        file, url_path = resolve_source(config.brand.logo, config.root, config)
        return read_image(file, url_path, config.brand.logo_alt)
    except (PathProblem, ValueError):
        return None  # reported by site.yaml's checks; the email simply goes without
