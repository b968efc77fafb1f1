"""`bulletin send`: a proof through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.email_build import set_yaml


class Inbox:
    """Keeps what the server accepted; refuses recipients at refused.example."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and \
        (auth_data.login, auth_data.password) == (b"bulletin@example.org", b"s3cret")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _point_at(example: Path, port: int, security: str = "none", user: bool = True) -> None:
    set_yaml(example, r"^  host: .*$", "  host: 127.0.0.1")
    set_yaml(example, r"^  port: .*$", f"  port: {port}")
    set_yaml(example, r"^  security: .*$", f"  security: {security}")
    if not user:
        set_yaml(example, r"^  user: .*\n", "")


def test_proof_reaches_only_the_given_addresses(example: Path, invoke, server,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = server
    _point_at(example, port)
    monkeypatch.setenv("BULLETIN_SMTP_PASSWORD", "s3cret")
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org",
                    "--to", "chair@example.org,proof@example.net")
    assert result.exit_code == 0, result.output
    assert "Sent a proof of 2022-06 to editor@example.org, chair@example.org" in result.output
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "bulletin@example.org"
    assert envelope.rcpt_tos == ["editor@example.org", "chair@example.org", "proof@example.net"]
    message = message_from_bytes(envelope.original_content, policy=policy.SMTP)
    assert message["Subject"] == "[PROOF] WMHTC e-bulletin: June 2022"
    assert message["From"] == "West Midlands Health Technology Cluster <bulletin@example.org>"
    assert message["Reply-To"] == "david@wmhtc.co.uk"
    assert message["To"] == "editor@example.org, chair@example.org, proof@example.net"
    assert message["Message-ID"] and message["Date"]
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    html = message.get_body(("html",)).get_content()
    assert "Webinar: air quality and health" in html
    assert "WMHTC e-bulletin: June 2022" in message.get_body(("plain",)).get_content()


NOTE = "(the real unsubscribe link is added by {} when it sends the bulletin)"
ARCHIVE = "https://bulletin.example.org/2022-06/"
PROOF_HEADERS = {b"subject", b"date", b"message-id", b"to"}


def _sent_and_built(example: Path, invoke, inbox: Inbox, *to: str) -> tuple[bytes, bytes]:
    """The proof's bytes as the server received them, and the built .eml's."""
    result = invoke(example, "send", "2022-06", *(arg for address in to for arg in ("--to", address)))
    assert result.exit_code == 0, result.output
    assert invoke(example, "build").exit_code == 0
    [envelope] = inbox.envelopes
    return envelope.original_content, (example / "site/2022-06/email.eml").read_bytes()


def _header_fields(head: bytes) -> list[bytes]:
    return re.split(rb"\r\n(?=[^ \t])", head)


def _name(field: bytes) -> bytes:
    return field.split(b":", 1)[0].lower()


def test_proof_is_the_eml_but_for_the_documented_changes(example: Path, invoke, server) -> None:
    inbox, port = server
    _point_at(example, port, user=False)
    sent, eml = _sent_and_built(example, invoke, inbox, "reader@localhost")
    sent_head, _, sent_body = sent.partition(b"\r\n\r\n")
    eml_head, _, eml_body = eml.partition(b"\r\n\r\n")
    # Every header as built, in its place, but the four a proof changes.
    sent_fields, eml_fields = _header_fields(sent_head), _header_fields(eml_head)
    assert [_name(f) for f in sent_fields] == [_name(f) for f in eml_fields]
    assert [f for f in sent_fields if _name(f) not in PROOF_HEADERS] == \
        [f for f in eml_fields if _name(f) not in PROOF_HEADERS]
    proof = message_from_bytes(sent, policy=policy.SMTP)
    built = message_from_bytes(eml, policy=policy.SMTP)
    assert proof["Subject"] == "[PROOF] " + built["Subject"]
    assert proof["To"] == "reader@localhost"
    assert proof["Message-ID"] != built["Message-ID"] and proof["Date"] != built["Date"]
    # The body: the same MIME framing, and the parts with working stand-ins for Mailchimp's
    # placeholders, nothing else changed.
    boundary = built.get_boundary().encode()
    assert [chunk.split(b"\r\n\r\n")[0] for chunk in sent_body.split(boundary)] == \
        [chunk.split(b"\r\n\r\n")[0] for chunk in eml_body.split(boundary)]
    note = NOTE.format("mailchimp")
    html = built.get_body(("html",)).get_content()
    assert proof.get_body(("html",)).get_content() == html.replace(
        'href="*|ARCHIVE|*"', f'href="{ARCHIVE}"').replace(
        '<a href="*|UNSUB|*" style="color:#555">Unsubscribe from this bulletin</a>', note)
    text = built.get_body(("plain",)).get_content()
    assert proof.get_body(("plain",)).get_content() == text.replace(
        "*|ARCHIVE|*", ARCHIVE).replace("*|UNSUB|*", note)
    # A line starting "From " travels as =46rom: no hop quotes it ">From".
    assert b"\r\n=46rom our members\r\n" in sent and b"\n>From" not in sent
    assert "\r\nFrom our members\r\n" in proof.get_body(("plain",)).get_content()


def test_proof_without_placeholders_has_the_eml_body_byte_for_byte(example: Path, invoke,
                                                                    server) -> None:
    inbox, port = server
    _point_at(example, port, user=False)
    set_yaml(example, r"^  service: .*$", "  service: generic\n"
             "  unsubscribe_url: https://example.org/unsubscribe")
    sent, eml = _sent_and_built(example, invoke, inbox, "reader@localhost")
    assert sent.partition(b"\r\n\r\n")[2] == eml.partition(b"\r\n\r\n")[2]


def test_campaign_monitor_elements_get_stand_ins_too(example: Path, invoke, server) -> None:
    inbox, port = server
    _point_at(example, port, user=False)
    set_yaml(example, r"^  service: .*$", "  service: campaign-monitor")
    sent, _ = _sent_and_built(example, invoke, inbox, "reader@localhost")
    proof = message_from_bytes(sent, policy=policy.SMTP)
    html = proof.get_body(("html",)).get_content()
    assert "<unsubscribe" not in html and "<webversion" not in html
    assert f'<a href="{ARCHIVE}" style="color:#555555;">View this email in your browser</a>' in html
    assert NOTE.format("campaign-monitor") in html
    text = proof.get_body(("plain",)).get_content()
    assert "[unsubscribe]" not in text and "[webversion]" not in text
    assert f"View this email in your browser: {ARCHIVE}" in text


def test_wrong_password_is_a_clear_refusal(example: Path, invoke, server,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _, port = server
    _point_at(example, port)
    monkeypatch.setenv("BULLETIN_SMTP_PASSWORD", "wrong")
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org")
    assert result.exit_code == 4  # could not send: not a content error
    assert f"the SMTP server 127.0.0.1:{port} refused the login of bulletin@example.org: 535" \
        in result.output
    assert "Traceback" not in result.output


def test_refused_recipient_is_reported(example: Path, invoke, server) -> None:
    inbox, port = server
    _point_at(example, port, user=False)
    result = invoke(example, "send", "2022-06", "--to", "nobody@refused.example")
    assert result.exit_code == 4  # could not send: not a content error
    assert "refused every recipient (nobody@refused.example): 550 5.1.1 No such mailbox" \
        in result.output
    assert inbox.envelopes == []


def test_unreachable_server(example: Path, invoke) -> None:
    port = _free_port()  # nothing listens there
    _point_at(example, port, user=False)
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org")
    assert result.exit_code == 4  # could not send: not a content error
    assert f"could not reach the SMTP server 127.0.0.1:{port}" in result.output


def test_starttls_against_a_server_without_it(example: Path, invoke, server) -> None:
    _, port = server
    _point_at(example, port, security="starttls", user=False)
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org")
    assert result.exit_code == 4  # could not send: not a content error
    assert "(security: starttls)" in result.output and "STARTTLS" in result.output


def test_password_only_from_the_environment(example: Path, invoke, server,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _, port = server
    _point_at(example, port)
    monkeypatch.delenv("BULLETIN_SMTP_PASSWORD", raising=False)
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org")
    assert result.exit_code == 4  # could not send: not a content error
    assert "set the environment variable BULLETIN_SMTP_PASSWORD" in result.output


def test_bad_address_is_a_usage_error(example: Path, invoke) -> None:
    result = invoke(example, "send", "2022-06", "--to", "not-an-address")
    assert result.exit_code == 2
    assert "expected an e-mail address" in result.output
