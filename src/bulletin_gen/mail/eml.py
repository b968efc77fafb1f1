"""The issue as a ready-to-send message: multipart/alternative, text then HTML, UTF-8."""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import re
import zoneinfo
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import urlsplit

from bulletin_gen.config.settings import Config
from bulletin_gen.mail.presets import preset_for
from bulletin_gen.model import Bulletin

MAX_LINE_OCTETS = 998  # RFC 5322 section 2.1.1
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")  # what the email package's generator makes CRLF
QP_LINE_CHARS = 76  # RFC 2045 section 6.7


class _HeaderFactory(HeaderRegistry):
    """The email package's header factory, made cheaper for the same kind of message built
    issue after issue (its header handling was half the time eml_bytes took).

    HeaderRegistry makes a new class for every header it parses, and is asked for one
    again to check each header's count: here each class is made once. And a header whose
    value recurs (From, Reply-To, the parts' Content-Type...) is parsed once: a header
    object is a str that nothing changes, so messages can share it.
    """

    MAX_HEADERS = 128  # recent values kept; an issue's Subject, Date... never recur

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}
        self._headers: dict[tuple[str, str], BaseHeader] = {}

    def map_to_type(self, name: str, cls: type) -> None:
        super().map_to_type(name, cls)
        self._classes.clear()
        self._headers.clear()

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._classes.get(key)
        if made is None:
            made = self._classes[key] = super().__getitem__(name)
        return made

    def __call__(self, name: str, value: str) -> BaseHeader:
        if type(value) is not str:  # a subclass may carry more than its text
            return self[name](name, value)
        key = (name, value)
        header = self._headers.get(key)
        if header is None:
            if len(self._headers) >= self.MAX_HEADERS:
                self._headers.clear()
            header = self._headers[key] = self[name](name, value)
        return header


# policy.SMTP with that factory: the same settings, so the same bytes.
_POLICY = policy.SMTP.clone(header_factory=_HeaderFactory())


def build_message(config: Config, bulletin: Bulletin, text: str, html: str,
                  stand_ins: tuple[str, str]) -> EmailMessage:
    """The message with stable headers: the same issue gives the same bytes. stand_ins
    take the place of the two parts' encoded payloads (put in by eml_bytes)."""
    digest = hashlib.sha256(f"{bulletin.slug}\0{text}\0{html}".encode()).hexdigest()
    message = EmailMessage(policy=_POLICY)
    message["Subject"] = bulletin.title
    preset = preset_for(config)
    message["From"] = formataddr((config.email.from_name, config.email.from_address))
    message["To"] = preset.recipient
    message["Reply-To"] = config.email.reply_to
    message["Date"] = format_datetime(_issue_moment(bulletin.date, config.timezone))
    # Stable across builds of the same content; a changed issue gets a new one.
    host = urlsplit(config.base_url).hostname or "localhost"
    message["Message-ID"] = f"<{bulletin.slug}.{digest[:16]}@{host}>"
    if preset.has_real_unsubscribe_url:
        message["List-Unsubscribe"] = f"<{preset.unsubscribe_url}>"
    message["MIME-Version"] = "1.0"
    message.make_alternative()
    plain, rich = stand_ins
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
    marks = [f"=_bulletin_payload_{number}_{bulletin.slug}".encode() for number in range(2)]
    skeleton = build_message(config, bulletin, text, html,
                             (marks[0].decode(), marks[1].decode())).as_bytes(policy=_POLICY)
    data = skeleton
    for mark, part in zip(marks, (text, html), strict=True):
        if data.count(mark) != 1:
            raise ValueError(f"{mark.decode()} is not once in the message")
        data = data.replace(mark, quoted_printable_crlf(part))
    # A guard for header folding. The payloads' lines need no scan: binascii's
    # quoted-printable breaks lines at 76 octets (78 with an escaped space before a line
    # end), and each stand-in is a line of its own, so theirs are never the longest.
    longest = max(map(len, (line for line in skeleton.split(b"\r\n") if line not in marks)))
    if longest > MAX_LINE_OCTETS:
        raise ValueError(f"a line of the message is {longest} octets, over {MAX_LINE_OCTETS}")
    return data


def quoted_printable_crlf(text: str) -> bytes:
    """A part's payload as the .eml holds it: quoted-printable, CRLF line ends."""
    payload = _quoted_printable(text)
    # Only LF in quoted-printable of text whose line ends are LF: a plain replace will do.
    return (payload.replace(b"\n", b"\r\n") if b"\r" not in payload
            else _LINE_ENDS.sub(b"\r\n", payload))


def _quoted_printable(text: str) -> bytes:
    """UTF-8 in quoted-printable, which keeps every line under 78 octets and the text
    readable. Encoded with binascii (C) rather than the email package's pure-Python
    encoder: the same kind of encoding, a few ms less per issue, which adds up over an
    archive. Line ends are normalised as the email package does (CR, LF or CRLF)."""
    raw = text.encode("utf-8")
    if b"\r" in raw:
        body = b"\n".join(raw.splitlines()) + b"\n"
    else:  # the same, without splitting: every line end is already LF
        body = raw if raw.endswith(b"\n") else raw + b"\n"
    encoded = binascii.b2a_qp(body, istext=True)
    # A line starting "From " is quoted ">From " by any hop that stores mail as mbox
    # (RFC 4155); written =46rom, it decodes the same and no hop touches it.
    if encoded.startswith(b"From ") or b"\nFrom " in encoded:
        encoded = b"\n".join(map(_from_quoted, encoded.split(b"\n")))
    return encoded


def _from_quoted(line: bytes) -> bytes:
    """A quoted-printable line starting "From " with its F written =46, broken in two
    (a soft line break) if that takes it over quoted-printable's 76 characters."""
    if not line.startswith(b"From "):
        return line
    line = b"=46" + line[1:]
    if len(line) <= QP_LINE_CHARS:
        return line
    cut = QP_LINE_CHARS - 1
    escape = line.rfind(b"=", cut - 2, cut)  # never cut an =XX escape in two
    if escape != -1:
        cut = escape
    return line[:cut] + b"=\n" + line[cut:]


def _text_part(payload: str, subtype: str) -> EmailMessage:
    part = EmailMessage(policy=_POLICY)
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(payload)
    return part


def _issue_moment(date: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(), tzinfo=zoneinfo.ZoneInfo(timezone))
