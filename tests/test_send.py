"""`bulletin send`: a proof through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

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
    assert "Webinar: air quality and health" in html and 'href="*|UNSUB|*"' in html
    assert "WMHTC e-bulletin: June 2022" in message.get_body(("plain",)).get_content()


def test_wrong_password_is_a_clear_refusal(example: Path, invoke, server,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _, port = server
    _point_at(example, port)
    monkeypatch.setenv("BULLETIN_SMTP_PASSWORD", "wrong")
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org")
    assert result.exit_code == 1
    assert f"the SMTP server 127.0.0.1:{port} refused the login of bulletin@example.org: 535" \
        in result.output
    assert "Traceback" not in result.output


def test_refused_recipient_is_reported(example: Path, invoke, server) -> None:
    inbox, port = server
    _point_at(example, port, user=False)
    result = invoke(example, "send", "2022-06", "--to", "nobody@refused.example")
    assert result.exit_code == 1
    assert "refused every recipient (nobody@refused.example): 550 5.1.1 No such mailbox" \
        in result.output
    assert inbox.envelopes == []


def test_unreachable_server(example: Path, invoke) -> None:
    port = _free_port()  # nothing listens there
    _point_at(example, port, user=False)
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org")
    assert result.exit_code == 1
    assert f"could not reach the SMTP server 127.0.0.1:{port}" in result.output


def test_starttls_against_a_server_without_it(example: Path, invoke, server) -> None:
    _, port = server
    _point_at(example, port, security="starttls", user=False)
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org")
    assert result.exit_code == 1
    assert "(security: starttls)" in result.output and "STARTTLS" in result.output


def test_password_only_from_the_environment(example: Path, invoke, server,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _, port = server
    _point_at(example, port)
    monkeypatch.delenv("BULLETIN_SMTP_PASSWORD", raising=False)
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org")
    assert result.exit_code == 1
    assert "set the environment variable BULLETIN_SMTP_PASSWORD" in result.output


def test_bad_address_is_a_usage_error(example: Path, invoke) -> None:
    result = invoke(example, "send", "2022-06", "--to", "not-an-address")
    assert result.exit_code == 2
    assert "expected an e-mail address" in result.output
