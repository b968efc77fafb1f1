"""Finish the rendered email: clean characters, absolute and tagged links, sized pictures,
inlined styles; and the plain text's links."""

from __future__ import annotations

import re

from bulletin_gen.config.settings import Config
from bulletin_gen.mail.inline import inline_css
from bulletin_gen.mail.links import LinkPolicy, finish_html_links, finish_text_links
from bulletin_gen.mail.presets import preset_for
from bulletin_gen.model import Bulletin
from bulletin_gen.sources.images import size_email_images

# C1 control characters (often pasted from Windows-1252 text) can make Gmail show a
# message as clipped however small it is; they never carry meaning in an email.
C1_CONTROLS_RE = re.compile("[\u0080-\u009f]")


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
