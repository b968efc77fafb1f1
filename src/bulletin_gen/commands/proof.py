"""The built .eml made a proof, byte for byte the same apart from the proof's changes.

The changes, and nothing else: "[PROOF] " before the Subject; the proof's own Date and
Message-ID (inboxes drop a message whose Message-ID they already hold); To, the proof's
recipients; and the email service's placeholders, which only the service fills in, made
to work: "view online" links to the issue's archive page, and the unsubscribe link
becomes a line saying the service adds the real one.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from bulletin_gen.mail.eml import quoted_printable_crlf
from bulletin_gen.mail.presets import Preset

PROOF_PREFIX = "[PROOF] "
_HEADER_START = re.compile(rb"^(?=[^ \t])", re.M)  # a header line, not a folded continuation


@dataclass(frozen=True)
class StandIns:
    """What a proof shows in place of the service's placeholders."""

    preset: Preset
    archive_url: str

    @property
    def unsubscribe_note(self) -> str:
        return (f"(the real unsubscribe link is added by {self.preset.name} "
                "when it sends the bulletin)")

    def in_html(self, text: str) -> str:
        preset = self.preset
        archive = html.escape(self.archive_url)
        if preset.view_online_element:
            text = _element(preset.view_online_element).sub(
                lambda match: f'<a href="{archive}"{match.group(1)}>{match.group(2)}</a>', text)
        elif preset.view_online_url:
            text = text.replace(f'href="{html.escape(preset.view_online_url)}"',
                                f'href="{archive}"')
        note = html.escape(self.unsubscribe_note)
        if preset.unsubscribe_element:
            return _element(preset.unsubscribe_element).sub(lambda _: note, text)
        if preset.has_real_unsubscribe_url or not preset.unsubscribe_url:
            return text
        link = re.compile(rf'<a\b[^>]*href="{re.escape(html.escape(preset.unsubscribe_url))}"'
                          r"[^>]*>.*?</a>", re.S)
        return link.sub(lambda _: note, text)

    def in_text(self, text: str) -> str:
        preset = self.preset
        if preset.view_online_url:
            text = text.replace(preset.view_online_url, self.archive_url)
        if preset.has_real_unsubscribe_url or not preset.unsubscribe_url:
            return text
        return text.replace(preset.unsubscribe_url, self.unsubscribe_note)


def _element(name: str) -> re.Pattern[str]:
    """A service's element (Campaign Monitor's <webversion>): its attributes, its content."""
    return re.compile(rf"<{name}\b([^>]*)>(.*?)</{name}>", re.S)


def proof_bytes(eml: bytes, recipients: Sequence[str], from_address: str,
                stand_ins: StandIns) -> bytes:
    """The .eml's bytes with the proof's headers and stand-ins for the placeholders."""
    head, separator, body = eml.partition(b"\r\n\r\n")
    message = message_from_bytes(eml, _class=EmailMessage, policy=policy.SMTP)
    assert isinstance(message, EmailMessage)
    replaced = {
        "subject": PROOF_PREFIX + str(message["Subject"]),
        "to": ", ".join(recipients),
        "date": format_datetime(dt.datetime.now(dt.UTC)),
        "message-id": make_msgid(domain=from_address.rpartition("@")[2]),
    }
    headers = []
    for field in _HEADER_START.split(head)[1:]:
        name = field.split(b":", 1)[0].decode("ascii").lower()
        if name in ("cc", "bcc"):
            continue
        value = replaced.pop(name, None)
        headers.append(field if value is None else _folded(name, value))
    headers.extend(_folded(name, value) for name, value in replaced.items())  # a missing To
    return b"".join(headers) + separator + _with_stand_ins(message, body, stand_ins)


def _folded(name: str, value: str) -> bytes:
    title = {"to": "To", "date": "Date", "subject": "Subject", "message-id": "Message-ID"}[name]
    return policy.SMTP.fold_binary(title, value)


def _with_stand_ins(message: EmailMessage, body: bytes, stand_ins: StandIns) -> bytes:
    """The body with each text part's placeholders swapped, the rest of its bytes kept."""
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        content = part.get_content()
        changed = (stand_ins.in_html(content) if part.get_content_subtype() == "html"
                   else stand_ins.in_text(content))
        if changed == content:
            continue
        original = quoted_printable_crlf(content.replace("\r\n", "\n"))
        if body.count(original) != 1:
            raise ValueError("a part of the .eml is not as the build writes it")
        body = body.replace(original, quoted_printable_crlf(changed.replace("\r\n", "\n")))
    return body
