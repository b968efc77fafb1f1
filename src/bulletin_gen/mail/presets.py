"""Email services: the placeholders each one replaces when it sends.

Checked against each service's documentation:
- Mailchimp: `*|UNSUB|*` (mandatory) and `*|ARCHIVE|*` (the campaign's web page).
- listmonk: `{{ UnsubscribeURL }}` and `{{ MessageURL }}` (Go template expressions).
- Buttondown: `{{ unsubscribe_url }}` and `{{ email_url }}` (the email's permalink).
- Campaign Monitor: elements, not URLs: `<unsubscribe>text</unsubscribe>` and
  `<webversion>text</webversion>` in HTML; `[unsubscribe]` and `[webversion]` in plain text.
- Ghost: `%%{unsubscribe_url}%%`; it has no web-version tag, so our archive page is used.
The .eml's To is the service's merge tag for the reader's address where it has one
(Mailchimp `*|EMAIL|*`, listmonk `{{ .Subscriber.Email }}`, Buttondown
`{{ subscriber.email }}`, Campaign Monitor `[email]`), else `undisclosed-recipients:;`:
a message with a Reply-To and no To scores as spam (SpamAssassin's REPLYTO_WITHOUT_TO_CC).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from bulletin_gen.config.settings import Config

UNDISCLOSED_RECIPIENTS = "undisclosed-recipients:;"  # an empty group (RFC 5322 3.4)


@dataclass(frozen=True)
class Preset:
    name: str
    unsubscribe_url: str  # an href, or in plain text what to write out
    view_online_url: str | None  # the service's own web version, or None for our archive page
    # Services whose HTML tags are elements (Campaign Monitor) name them here.
    unsubscribe_element: str | None = None
    view_online_element: str | None = None
    recipient: str = UNDISCLOSED_RECIPIENTS  # the .eml's To

    @property
    def has_real_unsubscribe_url(self) -> bool:
        """True when the unsubscribe link is an address we know (for List-Unsubscribe)."""
        return self.unsubscribe_url.startswith(("https://", "http://"))

    def unsubscribe_link(self, text: str, style: str = "") -> Markup:
        """The footer's unsubscribe link as the service wants it in HTML."""
        return _link(self.unsubscribe_element, self.unsubscribe_url, text, style)

    def view_online_link(self, text: str, archive_url: str, style: str = "") -> Markup:
        """The "view in your browser" link: the service's web version or our archive page."""
        return _link(self.view_online_element, self.view_online_url or archive_url, text, style)


def _link(element: str | None, url: str, text: str, style: str) -> Markup:
    styled = Markup(' style="{}"').format(style) if style else Markup("")
    if element:
        return Markup("<{0}{1}>{2}</{0}>").format(Markup(element), styled, text)
    return Markup('<a href="{0}"{1}>{2}</a>').format(url, styled, text)


PRESETS = {
    "mailchimp": Preset("mailchimp", "*|UNSUB|*", "*|ARCHIVE|*", recipient="*|EMAIL|*"),
    "listmonk": Preset("listmonk", "{{ UnsubscribeURL }}", "{{ MessageURL }}",
                       recipient="{{ .Subscriber.Email }}"),
    "buttondown": Preset("buttondown", "{{ unsubscribe_url }}", "{{ email_url }}",
                         recipient="{{ subscriber.email }}"),
    "campaign-monitor": Preset("campaign-monitor", "[unsubscribe]", "[webversion]",
                               unsubscribe_element="unsubscribe",
                               view_online_element="webversion", recipient="[email]"),
    "ghost": Preset("ghost", "%%{unsubscribe_url}%%", None),
}


def preset_for(config: Config) -> Preset:
    """The chosen service's placeholders; `generic` uses site.yaml's unsubscribe URL."""
    if config.email.service in PRESETS:
        return PRESETS[config.email.service]
    return Preset("generic", config.email.unsubscribe_url or "", None)

