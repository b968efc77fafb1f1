"""Email services: the placeholders each one replaces when it sends."""

from __future__ import annotations

from dataclasses import dataclass

from bulletin_gen.config import Config


@dataclass(frozen=True)
class Preset:
    name: str
    unsubscribe_url: str  # what the footer's unsubscribe link points at
    view_online_url: str | None  # the service's own web version, or None for our archive page


PRESETS = {
    "mailchimp": Preset("mailchimp", "*|UNSUB|*", "*|ARCHIVE|*"),
    "listmonk": Preset("listmonk", "{{ UnsubscribeURL }}", "{{ MessageURL }}"),
    "buttondown": Preset("buttondown", "{{ unsubscribe_url }}", None),
    "campaign-monitor": Preset("campaign-monitor", "[unsubscribe]", "[webversion]"),
    "ghost": Preset("ghost", "%%{unsubscribe_url}%%", None),
}


def preset_for(config: Config) -> Preset:
    """The chosen service's placeholders; `generic` uses site.yaml's unsubscribe URL."""
    if config.email.service in PRESETS:
        return PRESETS[config.email.service]
    return Preset("generic", config.email.unsubscribe_url or "", None)
