"""`bulletin send` over STARTTLS and implicit TLS: a real aiosmtpd server on loopback with a
certificate from a throwaway CA (trustme), trusted the way a user trusts a private CA:
the standard SSL_CERT_FILE variable, which ssl.create_default_context() honours."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller

from tests.test_send import Inbox, _authenticate, _free_port, _point_at

SECURITIES = ("starttls", "tls")


class TlsInbox(Inbox):
    """An Inbox that also notes the TLS version each message travelled under (None: plain)."""

    def __init__(self) -> None:
        super().__init__()
        self.tls_versions: list[str | None] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        tls = server.transport.get_extra_info("ssl_object")
        self.tls_versions.append(tls.version() if tls else None)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _start(security: str, certificate: trustme.LeafCert) -> tuple[TlsInbox, int, Controller]:
    inbox, port = TlsInbox(), _free_port()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    if security == "tls":
        # aiosmtpd counts only STARTTLS as TLS for AUTH, so it would not offer AUTH on an
        # implicit-TLS connection; the connection is encrypted all the same (tls_versions).
        controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=context,
                                authenticator=_authenticate, auth_require_tls=False)
    else:
        # Refuses MAIL and AUTH before STARTTLS: nothing can go out in the clear.
        controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                                require_starttls=True, authenticator=_authenticate)
    controller.start()
    return inbox, port, controller


@pytest.fixture
def tls_server() -> Iterator[Callable[[str, trustme.LeafCert], tuple[TlsInbox, int]]]:
    controllers: list[Controller] = []

    def start(security: str, certificate: trustme.LeafCert) -> tuple[TlsInbox, int]:
        inbox, port, controller = _start(security, certificate)
        controllers.append(controller)
        return inbox, port

    yield start
    for controller in controllers:
        controller.stop()


def _trust(ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust only this CA, as `SSL_CERT_FILE=ca.pem bulletin send ...` would."""
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))


def test_ssl_cert_file_is_honoured_here(ca: trustme.CA, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """What the README promises for a private CA: the default context reads SSL_CERT_FILE."""
    assert ssl.get_default_verify_paths().openssl_cafile_env == "SSL_CERT_FILE"
    _trust(ca, tmp_path, monkeypatch)
    subjects = [dict(pair[0] for pair in cert["subject"])
                for cert in ssl.create_default_context().get_ca_certs()]
    assert any("trustme" in subject.get("organizationName", "") for subject in subjects)


@pytest.mark.parametrize("security", SECURITIES)
def test_proof_over_tls_with_login(security: str, ca: trustme.CA, tls_server, example: Path,
                                   invoke, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = tls_server(security, ca.issue_cert("127.0.0.1", "localhost"))
    _point_at(example, port, security=security)
    _trust(ca, tmp_path, monkeypatch)
    monkeypatch.setenv("BULLETIN_SMTP_PASSWORD", "s3cret")
    result = invoke(example, "send", "2022-06", "--to", "editor@example.org",
                    "--to", "chair@example.org")
    assert result.exit_code == 0, result.output
    assert "Sent a proof of 2022-06 to editor@example.org, chair@example.org" in result.output
    [envelope] = inbox.envelopes
    [version] = inbox.tls_versions
    assert version in ("TLSv1.2", "TLSv1.3")
    assert envelope.mail_from == "bulletin@example.org"
    assert envelope.rcpt_tos == ["editor@example.org", "chair@example.org"]
    message = message_from_bytes(envelope.original_content, policy=policy.SMTP)
    assert message["Subject"] == "[PROOF] WMHTC e-bulletin: June 2022"
    assert message["From"] == "West Midlands Health Technology Cluster <bulletin@example.org>"
    assert message["To"] == "editor@example.org, chair@example.org"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    html = message.get_body(("html",)).get_content()
    assert "Webinar: air quality and health" in html and "the real unsubscribe link is added by mailchimp" in html
    assert "WMHTC e-bulletin: June 2022" in message.get_body(("plain",)).get_content()


def _refused(result, port: int) -> str:
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert f"the SMTP server 127.0.0.1:{port} " in line
    return line


@pytest.mark.parametrize("security", SECURITIES)
def test_certificate_for_another_host_is_refused(security: str, ca: trustme.CA, tls_server,
                                                 example: Path, invoke, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = tls_server(security, ca.issue_cert("mail.example.org"))
    _point_at(example, port, security=security, user=False)
    _trust(ca, tmp_path, monkeypatch)
    line = _refused(invoke(example, "send", "2022-06", "--to", "editor@example.org"), port)
    assert line.endswith("failed the TLS certificate check: IP address mismatch, "
                         "certificate is not valid for '127.0.0.1'")
    assert inbox.envelopes == []


@pytest.mark.parametrize("security", SECURITIES)
def test_certificate_from_an_untrusted_ca_is_refused(security: str, ca: trustme.CA, tls_server,
                                                     example: Path, invoke, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = tls_server(security, trustme.CA().issue_cert("127.0.0.1"))
    _point_at(example, port, security=security, user=False)
    _trust(ca, tmp_path, monkeypatch)  # a different CA from the one that signed the server's
    line = _refused(invoke(example, "send", "2022-06", "--to", "editor@example.org"), port)
    assert "TLS certificate" in line and "unable to get local issuer certificate" in line
    assert "SSL_CERT_FILE" in line
    assert inbox.envelopes == []
