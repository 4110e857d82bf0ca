"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the tests: what it receives, parsed.

The ``smtp_server`` fixture (tests/conftest.py) starts one per test on a free port and points
``SALESRAMP_MAIL_URL`` at it; tests read ``server.messages`` (``email.message.EmailMessage``
objects, parsed with the modern policy) and ``server.envelopes`` (the SMTP envelope and, when
the server asked for AUTH, the login the client gave).
"""

from __future__ import annotations

import email
import email.policy
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Received:
    """One message as the server received it: the envelope, the login, the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    login: str | None
    tls: bool  # whether the message came over TLS (STARTTLS or implicit)
    message: EmailMessage


class _Handler:
    def __init__(self, server: SmtpTestServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: SMTP, session: Session, envelope: Envelope) -> str:
        if self.server.refuse_with:
            return self.server.refuse_with
        content = envelope.original_content or envelope.content or b""
        assert isinstance(content, bytes)
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        login = (
            session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword)
            else None
        )
        tls = bool(session.ssl) or self.server.implicit_tls
        received = Received(envelope.mail_from or "", list(envelope.rcpt_tos), login, tls, parsed)
        with self.server.lock:
            self.server.received.append(received)
        return "250 Message accepted for delivery"


class SmtpTestServer:
    """aiosmtpd in a thread on 127.0.0.1; ``credentials`` makes it require AUTH.

    ``tls_context`` offers STARTTLS (and requires it before AUTH), or with ``implicit_tls``
    speaks TLS from the first byte (smtps). ``refuse_with`` (say ``"451 Try again later"``)
    makes it refuse every message, to test failures.
    """

    def __init__(
        self,
        credentials: tuple[str, str] | None = None,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
    ) -> None:
        self.credentials = credentials
        self.tls_context = tls_context
        self.implicit_tls = implicit_tls and tls_context is not None
        self.received: list[Received] = []
        self.refuse_with = ""
        self.lock = threading.Lock()
        self.port = 0
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [item.message for item in self.received]

    @property
    def envelopes(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    @property
    def url(self) -> str:
        """The ``SALESRAMP_MAIL_URL`` for this server, with the credentials it expects."""
        login = ""
        if self.credentials:
            login = f"{self.credentials[0]}:{self.credentials[1]}@"
        if self.implicit_tls:
            return f"smtps://{login}127.0.0.1:{self.port}"
        query = "?starttls=1" if self.tls_context else ""
        return f"smtp://{login}127.0.0.1:{self.port}{query}"

    def start(self) -> SmtpTestServer:
        # aiosmtpd needs the port up front: take a free one from the OS (another process
        # could take it between the two steps, so try a few times).
        for _ in range(5):
            self.port = _free_port()
            controller = self._controller_on(self.port)
            try:
                controller.start()
            except OSError:
                continue
            self._controller = controller
            return self
        raise RuntimeError("no free port for the test SMTP server")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _controller_on(self, port: int) -> Controller:
        options = self._smtp_options()
        if self.implicit_tls:
            return Controller(
                _Handler(self),
                hostname="127.0.0.1",
                port=port,
                ssl_context=self.tls_context,
                **options,
            )
        return Controller(_Handler(self), hostname="127.0.0.1", port=port, **options)

    def _smtp_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.tls_context is not None and not self.implicit_tls:
            options.update(tls_context=self.tls_context, require_starttls=True)
        if self.credentials is not None:
            options.update(
                authenticator=self._authenticate,
                auth_required=True,
                auth_require_tls=self.tls_context is not None and not self.implicit_tls,
                # smtplib falls back to LOGIN after a refused PLAIN, and aiosmtpd's LOGIN then
                # waits for a line smtplib never sends: offer PLAIN only, as many servers do.
                auth_exclude_mechanism=["LOGIN"],
            )
        return options

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword) or self.credentials is None:
            return AuthResult(success=False, handled=False)
        given = (data.login.decode(), data.password.decode())
        if given != self.credentials:
            return AuthResult(success=False, handled=False)  # aiosmtpd answers 535
        return AuthResult(success=True, auth_data=data)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1, and the PEM
    file a client must trust (point ``SSL_CERT_FILE`` at it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context, cert_path
