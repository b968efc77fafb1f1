"""Send an issue as a proof, through the SMTP server in site.yaml, to the given addresses only."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Sequence
from email.errors import HeaderParseError
from email.headerregistry import Address

from bulletin_gen.commands.proof import StandIns, proof_bytes
from bulletin_gen.config.settings import Config, Smtp
from bulletin_gen.errors import BulletinError, CommandLineError, SendError
from bulletin_gen.mail.presets import preset_for

TIMEOUT_SECONDS = 30
# OpenSSL's X509_V_ERR_ codes for a certificate whose CA is not trusted here (self-signed
# leaf, self-signed root in the chain, issuer not found), as opposed to a wrong host name.
UNKNOWN_ISSUER_CODES = frozenset({18, 19, 20})


def send_proof(config: Config, slug: str, recipients: Sequence[str]) -> None:
    """Render the issue (drafts included: it is a proof) and send it to recipients only."""
    smtp = config.smtp
    if smtp is None:
        raise BulletinError("site.yaml has no 'smtp' section: add host, port, security "
                            "and user to send proofs")
    password = _password(smtp)
    from bulletin_gen.render.site import render_in_memory as render

    _, files = render(config, (slug,))
    eml = next((file.content for file in files if file.path == f"{slug}/email.eml"), None)
    if eml is None:
        raise CommandLineError(f"no issue {slug!r} in {config.bulletins_dir.name}/")
    stand_ins = StandIns(preset_for(config), f"{config.base_url}{slug}/")
    message = proof_bytes(eml, recipients, config.email.from_address, stand_ins)
    where = f"{smtp.host}:{smtp.port}"
    try:
        with _connect(smtp) as client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, password or "")
            # The bytes as they are: send_message would serialise the message again, with
            # mbox "From " quoting (">From") in the text.
            refused = client.sendmail(config.email.from_address, list(recipients), message)
    except smtplib.SMTPAuthenticationError as error:
        raise SendError(f"the SMTP server {where} refused the login of {smtp.user}: "
                            f"{_reply(error)}") from None
    except smtplib.SMTPRecipientsRefused as error:
        refused_all = ", ".join(sorted(error.recipients))
        raise SendError(f"the SMTP server {where} refused every recipient ({refused_all}): "
                            f"{_reply(next(iter(error.recipients.values())))}") from None
    except smtplib.SMTPNotSupportedError as error:
        raise SendError(f"the SMTP server {where} cannot do what site.yaml asks "
                            f"(security: {smtp.security}): {error}") from None
    except smtplib.SMTPException as error:
        raise SendError(f"the SMTP server {where} refused the message: "
                            f"{_reply(error)}") from None
    except ssl.SSLCertVerificationError as error:
        # Never sent unverified: a proof carries the login. A private CA is trusted with the
        # standard SSL_CERT_FILE variable, which the default context reads.
        hint = " (trust a private CA with SSL_CERT_FILE=ca.pem)" \
            if error.verify_code in UNKNOWN_ISSUER_CODES else ""
        raise SendError(f"the SMTP server {where} failed the TLS certificate check: "
                            f"{str(error.verify_message).rstrip('.')}{hint}") from None
    except (ssl.SSLError, OSError) as error:
        raise SendError(f"could not reach the SMTP server {where}: "
                            f"{error.strerror or error}") from None
    if refused:
        raise SendError("the SMTP server refused some recipients: " + ", ".join(
            f"{address} ({_reply(answer)})" for address, answer in sorted(refused.items())))


def check_recipient(address: str) -> str:
    """A proof's recipient, any address an SMTP server may take: user@localhost too."""
    try:
        parsed = Address(addr_spec=address)
    except (HeaderParseError, IndexError, ValueError):
        parsed = None
    if parsed is None or not parsed.username or not parsed.domain or parsed.addr_spec != address:
        raise ValueError(f"expected an e-mail address like name@example.org, got {address!r}")
    return address


def _connect(smtp: Smtp) -> smtplib.SMTP:
    if smtp.security == "tls":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS,
                                context=ssl.create_default_context())
    return smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)


def _password(smtp: Smtp) -> str | None:
    if not smtp.user:
        return None
    password = os.environ.get(smtp.password_env)
    if not password:
        raise SendError(f"set the environment variable {smtp.password_env} to the SMTP "
                            f"password of {smtp.user} (it is never read from a file)")
    return password


def _reply(error: object) -> str:
    """An SMTP answer as `550 text`, from an exception or a (code, message) pair."""
    code, text = getattr(error, "smtp_code", None), getattr(error, "smtp_error", None)
    if code is None and isinstance(error, tuple) and len(error) == 2:
        code, text = error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code is not None else str(error)
