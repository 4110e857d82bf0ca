"""Email goes out through the job queue to a real SMTP server, or into the outbox folder."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import Organisation
from app.errors import Conflict
from app.extensions import db
from app.mail import MailStatus, OutboundMail, absolute_url, queue_mail
from app.mail.sending import retry, sweep_unsent
from app.mail.transport import BadMailUrl, parse_mail_url
from tests.smtp import SmtpTestServer, self_signed_tls

LINK = "http://127.0.0.1:5000/reset/abc"
REASON = "You asked to reset your password on the sign-in page. We write only when you ask."


def _queue(to: str = "dana@example.com", name: str = "Dana Reyes") -> OutboundMail:
    return queue_mail(
        to=to,
        to_name=name,
        template="password_reset",
        subject="Reset your SalesRamp password",
        reason=REASON,
        link=LINK,
        minutes=30,
    )


def _name_the_organisation(name: str) -> None:
    db.session.add(Organisation(id=1, name=name, business_days=False))
    db.session.commit()


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_a_queued_message_reaches_the_smtp_server_after_the_commit(
    app: Flask, smtp_server: SmtpTestServer
) -> None:
    _name_the_organisation("Northwind Software")
    mail = _queue()
    assert smtp_server.messages == []  # nothing leaves before the transaction commits
    db.session.commit()

    [received] = smtp_server.envelopes
    assert received.rcpt_tos == ["dana@example.com"]
    assert received.mail_from == "salesramp@localhost"
    message = received.message
    assert parseaddr(message["From"]) == ("Northwind Software", "salesramp@localhost")
    assert parseaddr(message["To"]) == ("Dana Reyes", "dana@example.com")
    assert message["Subject"] == "Reset your SalesRamp password"
    assert message["Message-ID"] == mail.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert parsedate_to_datetime(message["Date"]).replace(tzinfo=None) == mail.created_at
    assert message.get_content_type() == "multipart/alternative"
    text, html = _parts(message)
    for part in (text, html):
        assert "Northwind Software" in part
        assert "Dana Reyes" in part
        assert LINK in part
        assert "You asked to reset your password on the sign-in page." in part
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html

    db.session.refresh(mail)
    assert mail.status is MailStatus.SENT
    assert mail.attempts == 1
    assert mail.delivered_to == f"smtp://127.0.0.1:{smtp_server.port}"


def test_a_long_subject_with_accents_arrives_without_a_leading_space(
    app: Flask, smtp_server: SmtpTestServer
) -> None:
    """Folded into several encoded words, it reads back exactly as written, as does the
    organisation's accented name in From and the person's in To."""
    _name_the_organisation("Société Générale d'Équipement")
    subject = (
        "Zoë Ångström signed Expectation agreement for the Q3 targets: "
        "it waits for your countersignature as HR"
    )
    queue_mail(
        to="hr@example.com",
        to_name="Søren Ærø",
        template="password_reset",
        subject=subject,
        reason=REASON,
        link=LINK,
        minutes=30,
    )
    db.session.commit()

    [received] = smtp_server.envelopes
    raw = received.message.as_bytes()
    assert b"Subject: \r\n" not in raw and b"Subject: \n" not in raw  # no empty first line
    assert received.message["Subject"] == subject
    assert parseaddr(str(received.message["From"]))[0] == "Société Générale d'Équipement"
    assert parseaddr(str(received.message["To"])) == ("Søren Ærø", "hr@example.com")
    text, _html = _parts(received.message)
    assert "Société Générale d'Équipement" in text


def test_nothing_is_sent_or_kept_when_the_transaction_rolls_back(
    app: Flask, smtp_server: SmtpTestServer
) -> None:
    _queue()
    db.session.rollback()
    db.session.commit()
    assert smtp_server.messages == []
    assert db.session.scalars(select(OutboundMail)).all() == []


def test_without_a_mail_url_each_message_is_an_eml_file_in_the_outbox(
    app: Flask, outbox: Path
) -> None:
    mail = _queue(name="Zoë Ångström")
    db.session.commit()

    [written] = outbox.glob("*.eml")
    db.session.refresh(mail)
    assert mail.status is MailStatus.SENT
    assert mail.delivered_to == written.name
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert parseaddr(str(message["To"])) == ("Zoë Ångström", "dana@example.com")
    assert parseaddr(str(message["From"])) == ("SalesRamp", "salesramp@localhost")
    text, _html = _parts(message)
    assert "Hello Zoë Ångström," in text
    assert LINK in text
    assert "\n-- \n" in text.replace("\r\n", "\n")  # the signature separator, with its space
    assert written.stat().st_mode & 0o777 == 0o600  # it may carry a reset link


def test_credentials_in_the_url_are_used_when_the_server_asks_for_auth(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SmtpTestServer(credentials=("mailer", "s3cret/pass")) as server:
        url = server.url.replace("s3cret/pass", "s3cret%2Fpass")  # the URL quotes the slash
        monkeypatch.setitem(app.config, "MAIL_URL", url)
        mail = _queue()
        db.session.commit()
        [received] = server.envelopes
    assert received.login == "mailer"
    db.session.refresh(mail)
    assert mail.status is MailStatus.SENT


def test_a_wrong_password_fails_after_the_last_retry_and_an_admin_can_retry(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SmtpTestServer(credentials=("mailer", "right")) as server:
        monkeypatch.setitem(app.config, "MAIL_URL", server.url.replace("right", "wrong"))
        mail = _queue()
        db.session.commit()
        db.session.refresh(mail)
        assert server.messages == []
        assert mail.status is MailStatus.FAILED
        assert mail.attempts == app.config["JOB_RETRIES"] + 1
        assert "SMTPAuthenticationError: the mail server answered 535" in mail.error

        monkeypatch.setitem(app.config, "MAIL_URL", server.url)  # the admin fixed the setting
        retry(mail.id)
        db.session.commit()
        db.session.refresh(mail)
        assert mail.status is MailStatus.SENT
        assert len(server.messages) == 1


def test_a_refused_message_is_retried_and_only_a_failed_one_can_be_retried_by_hand(
    app: Flask, smtp_server: SmtpTestServer
) -> None:
    smtp_server.refuse_with = "451 Try again later"
    mail = _queue()
    db.session.commit()
    db.session.refresh(mail)
    assert mail.status is MailStatus.FAILED
    assert "451" in mail.error

    smtp_server.refuse_with = ""
    retry(mail.id)
    db.session.commit()
    with pytest.raises(Conflict):
        retry(mail.id)  # sent now: a second click changes nothing
    assert len(smtp_server.messages) == 1


def test_absolute_urls_are_built_on_the_public_url_without_a_request(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://ramp.example.com/salesramp/")
    assert absolute_url("accounts.login") == "https://ramp.example.com/salesramp/login"
    assert absolute_url("accounts.login", next="/x") == (
        "https://ramp.example.com/salesramp/login?next=/x"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.com", ("mail.example.com", 25, None, None, False, False)),
        (
            "smtp://u%40x:p%3Aw@mail.example.com:587?starttls=1",
            ("mail.example.com", 587, "u@x", "p:w", True, False),
        ),
        ("smtp://mail.example.com?starttls=1", ("mail.example.com", 587, None, None, True, False)),
        ("smtps://u:p@mail.example.com", ("mail.example.com", 465, "u", "p", False, True)),
    ],
)
def test_the_mail_url_names_host_port_login_and_tls(url: str, expected: tuple[object, ...]) -> None:
    server = parse_mail_url(url)
    found = (
        server.host,
        server.port,
        server.username,
        server.password,
        server.starttls,
        server.implicit_tls,
    )
    assert found == expected


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "smtp://host:port"])
def test_a_mail_url_that_names_no_smtp_server_is_refused_with_a_reason(url: str) -> None:
    with pytest.raises(BadMailUrl, match="SALESRAMP_MAIL_URL"):
        parse_mail_url(url)


def test_the_sweep_sends_a_message_whose_job_was_lost_and_fails_one_interrupted_too_often(
    app: Flask, smtp_server: SmtpTestServer
) -> None:
    long_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)
    lost = _stored(long_ago, attempts=0, to="lost@example.com")
    worn_out = _stored(long_ago, attempts=4, to="worn@example.com", status=MailStatus.SENDING)
    recent = _stored(datetime.now(UTC).replace(tzinfo=None), attempts=0, to="new@example.com")
    db.session.commit()

    assert sweep_unsent(timedelta(minutes=10), max_attempts=4) == (1, 1)
    db.session.commit()  # the requeued job runs once the sweep's claim is committed

    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["lost@example.com"]
    statuses = {m.to_address: m.status for m in db.session.scalars(select(OutboundMail))}
    assert statuses == {
        lost.to_address: MailStatus.SENT,
        worn_out.to_address: MailStatus.FAILED,
        recent.to_address: MailStatus.QUEUED,  # its job is still on its way
    }


def _stored(
    created: datetime, attempts: int, to: str, status: MailStatus = MailStatus.QUEUED
) -> OutboundMail:
    """A message as the table holds it, without the job ``queue_mail`` would enqueue."""
    mail = OutboundMail(
        created_at=created,
        to_address=to,
        to_name="Someone",
        from_name="SalesRamp",
        subject="A message",
        template="password_reset",
        text_body="Hello\n",
        html_body="<p>Hello</p>",
        message_id=f"<{to}.{attempts}@localhost>",
        status=status,
        attempts=attempts,
    )
    db.session.add(mail)
    return mail


@pytest.mark.parametrize("implicit_tls", [False, True], ids=["starttls", "smtps"])
def test_tls_is_used_as_the_url_says_and_the_login_goes_over_it(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, implicit_tls: bool
) -> None:
    context, certificate = self_signed_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # trust the test server's certificate
    server = SmtpTestServer(("mailer", "pw"), tls_context=context, implicit_tls=implicit_tls)
    with server:
        assert server.url.startswith("smtps://" if implicit_tls else "smtp://")
        monkeypatch.setitem(app.config, "MAIL_URL", server.url)
        mail = _queue()
        db.session.commit()
        [received] = server.envelopes
    assert received.tls
    assert received.login == "mailer"
    db.session.refresh(mail)
    assert mail.status is MailStatus.SENT


def test_an_untrusted_certificate_is_refused(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    context, _certificate = self_signed_tls(tmp_path)  # not trusted this time
    with SmtpTestServer(tls_context=context) as server:
        monkeypatch.setitem(app.config, "MAIL_URL", server.url)
        mail = _queue()
        db.session.commit()
        assert server.messages == []
    db.session.refresh(mail)
    assert mail.status is MailStatus.FAILED
    assert "CERTIFICATE_VERIFY_FAILED" in mail.error
