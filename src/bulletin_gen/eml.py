"""The issue as a ready-to-send message: multipart/alternative, text then HTML, UTF-8."""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import re
import zoneinfo
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import urlsplit

from bulletin_gen.config import Config
from bulletin_gen.model import Bulletin
from bulletin_gen.presets import preset_for

MAX_LINE_OCTETS = 998  # RFC 5322 section 2.1.1
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")  # what the email package's generator makes CRLF


def build_message(config: Config, bulletin: Bulletin, text: str, html: str,
                  bodies: tuple[str, str] | None = None) -> EmailMessage:
    """The message with stable headers: the same issue gives the same bytes. With
    bodies, those stand in for the two parts' encoded payloads (see eml_bytes)."""
    digest = hashlib.sha256(f"{bulletin.slug}\0{text}\0{html}".encode()).hexdigest()
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = bulletin.title
    message["From"] = formataddr((config.email.from_name, config.email.from_address))
    message["Reply-To"] = config.email.reply_to
    message["Date"] = format_datetime(_issue_moment(bulletin.date, config.timezone))
    # Stable across builds of the same content; a changed issue gets a new one.
    host = urlsplit(config.base_url).hostname or "localhost"
    message["Message-ID"] = f"<{bulletin.slug}.{digest[:16]}@{host}>"
    preset = preset_for(config)
    if preset.has_real_unsubscribe_url:
        message["List-Unsubscribe"] = f"<{preset.unsubscribe_url}>"
    message["MIME-Version"] = "1.0"
    message.make_alternative()
    plain, rich = bodies or (_quoted_printable(text), _quoted_printable(html))
    message.attach(_text_part(plain, "plain"))
    message.attach(_text_part(rich, "html"))
    # A fixed boundary (the stdlib picks a random one) keeps builds byte for byte equal.
    message.set_boundary(f"=_bulletin_{digest[16:40]}")
    return message


def eml_bytes(config: Config, bulletin: Bulletin, text: str, html: str) -> bytes:
    """The .eml file's bytes, CRLF line ends.

    The parts' payloads are put in after the email package writes the message around
    two short stand-ins: it writes a payload line by line, with every line end made
    CRLF, which took most of the time; bytes.replace does the same in one go.
    """
    payloads = [_quoted_printable(text), _quoted_printable(html)]
    marks = [f"=_bulletin_payload_{number}_{bulletin.slug}" for number in range(2)]
    data = build_message(config, bulletin, text, html,
                         (marks[0], marks[1])).as_bytes(policy=policy.SMTP)
    for mark, payload in zip(marks, payloads, strict=True):
        if data.count(mark.encode()) != 1:
            raise ValueError(f"{mark} is not once in the message")
        raw = payload.encode("ascii")
        # Only LF in quoted-printable of text whose line ends are LF: a plain replace will do.
        lines = raw.replace(b"\n", b"\r\n") if b"\r" not in raw else _LINE_ENDS.sub(b"\r\n", raw)
        data = data.replace(mark.encode(), lines)
    longest = max(len(line) for line in data.split(b"\r\n"))
    if longest > MAX_LINE_OCTETS:  # cannot happen with quoted-printable; a guard for header folding
        raise ValueError(f"a line of the message is {longest} octets, over {MAX_LINE_OCTETS}")
    return data


def _quoted_printable(text: str) -> str:
    """UTF-8 in quoted-printable, which keeps every line under 78 octets and the text
    readable. Encoded with binascii (C) rather than the email package's pure-Python
    encoder: the same kind of encoding, a few ms less per issue, which adds up over an
    archive. Line ends are normalised as the email package does (CR, LF or CRLF)."""
    body = b"\n".join(text.encode("utf-8").splitlines()) + b"\n"
    return binascii.b2a_qp(body, istext=True).decode("ascii")


def _text_part(payload: str, subtype: str) -> EmailMessage:
    part = EmailMessage(policy=policy.SMTP)
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(payload)
    return part


def _issue_moment(date: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(), tzinfo=zoneinfo.ZoneInfo(timezone))
