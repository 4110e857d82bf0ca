"""Where mail goes: an SMTP server named by one URL, or the outbox folder when there is none.

``SALESRAMP_MAIL_URL`` is ``smtp://[user:password@]host[:port][?starttls=1]`` (STARTTLS on a
submission port, usually 587) or ``smtps://[user:password@]host[:port]`` (TLS from the first
byte, usually 465). Without it every message is written to ``instance/outbox/`` as an
``.eml`` file, so a laptop sees every email without a mail server.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from flask_mailman.backends import smtp

from app.extensions import mail as mailman

_TRUE = {"1", "true", "yes", "on"}
SMTP_TIMEOUT_SECONDS = 30


class BadMailUrl(ValueError):
    """``SALESRAMP_MAIL_URL`` cannot be understood; the message says what to write instead."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    implicit_tls: bool

    @property
    def label(self) -> str:
        """Where a message went, for the Outbox page: never the password."""
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{self.host}:{self.port}"


def parse_mail_url(url: str) -> SmtpServer:
    """The SMTP server a mail URL names; :class:`BadMailUrl` if it names none."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise BadMailUrl(
            f"SALESRAMP_MAIL_URL must start with smtp:// or smtps://, not {parts.scheme!r}"
        )
    if not parts.hostname:
        raise BadMailUrl("SALESRAMP_MAIL_URL names no host (smtp://host:587)")
    try:
        port = parts.port
    except ValueError as error:
        raise BadMailUrl(f"SALESRAMP_MAIL_URL has a bad port: {error}") from None
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    implicit_tls = parts.scheme == "smtps"
    starttls = not implicit_tls and query.get("starttls", "").lower() in _TRUE
    default_port = 465 if implicit_tls else 587 if starttls else 25
    return SmtpServer(
        host=parts.hostname,
        port=port or default_port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        starttls=starttls,
        implicit_tls=implicit_tls,
    )


class _VerifyingSMTP(smtplib.SMTP):
    """smtplib's client, with STARTTLS checking the server's certificate and name.

    Flask-Mailman's backend calls ``starttls(context=None)``, with which smtplib accepts any
    certificate: anyone between here and the mail server could read the messages (reset links)
    and the login. The system's CAs are used (``SSL_CERT_FILE`` names another bundle).
    """

    def starttls(  # type: ignore[override]
        self, *, context: ssl.SSLContext | None = None
    ) -> tuple[int, bytes]:
        return super().starttls(context=context or ssl.create_default_context())


class VerifyingBackend(smtp.EmailBackend):
    """Flask-Mailman's SMTP backend whose STARTTLS verifies the server (smtps already does)."""

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return smtplib.SMTP_SSL if self.use_ssl else _VerifyingSMTP


def deliver(message: EmailMultiAlternatives, name: str) -> str:
    """Send ``message`` (to SMTP, or into the outbox as ``<name>.eml``); where it went."""
    url = current_app.config.get("MAIL_URL")
    if not url:
        return _write_to_outbox(message, name)
    server = parse_mail_url(str(url))
    connection = mailman.get_connection(
        backend=VerifyingBackend,
        host=server.host,
        port=server.port,
        username=server.username or "",
        password=server.password or "",
        use_tls=server.starttls,
        use_ssl=server.implicit_tls,
        timeout=SMTP_TIMEOUT_SECONDS,
    )
    try:
        connection.send_messages([message])  # opens, sends and closes the connection
    finally:
        # A refused login leaves Django's backend (which Flask-Mailman ports) holding an
        # open socket: close it whatever happened.
        if connection.connection is not None:
            connection.connection.close()
            connection.connection = None
    return server.label


def outbox_dir() -> Path:
    return Path(current_app.config["MAIL_OUTBOX_DIR"])


def _write_to_outbox(message: EmailMultiAlternatives, name: str) -> str:
    """Write the message as RFC 5322 bytes, whole or not at all (a rename is atomic)."""
    folder = outbox_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"{name}.eml"
    partial = folder / f".{name}.eml.partial"
    # Readable by the service's account only: a message may carry a reset link.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(message.message().as_bytes(linesep="\r\n"))
    os.replace(partial, target)
    return target.name
