"""The admin's Outbox: every message newest first, readable, failures explained and retried."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from app.accounts.models import Role, User
from app.extensions import db
from app.mail import MailStatus, OutboundMail, queue_mail
from tests.smtp import SmtpTestServer

Login = Callable[[User], FlaskClient]


def _queue(number: int, subject: str = "Reset your SalesRamp password") -> OutboundMail:
    mail = queue_mail(
        to=f"person{number}@example.com",
        to_name=f"Person {number}",
        template="password_reset",
        subject=subject,
        reason="Because the test asked.",
        link=f"http://127.0.0.1:5000/password/reset/token{number}",
        minutes=30,
    )
    db.session.flush()
    # Queued a minute apart, so "newest first" has an order to show.
    mail.created_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=100 - number)
    return mail


def test_the_outbox_lists_messages_newest_first_in_pages(
    app: Flask, login: Login, make_user: Callable[..., User]
) -> None:
    for number in range(55):
        _queue(number)
    db.session.commit()
    client = login(make_user(Role.ADMIN))

    first = client.get("/admin/outbox")
    assert first.status_code == 200
    assert "Showing 1\N{EN DASH}50 of 55 messages" in first.text
    assert first.text.index("person54@example.com") < first.text.index("person53@example.com")
    assert "person4@example.com" not in first.text
    second = client.get("/admin/outbox?page=2")
    assert "person4@example.com" in second.text
    assert "No mail server is set" in first.text


def test_a_message_shows_its_text_and_its_html_in_a_sandbox(
    app: Flask, login: Login, make_user: Callable[..., User]
) -> None:
    mail = _queue(1, subject="Fish & <chips>")
    db.session.commit()
    client = login(make_user(Role.ADMIN))

    page = client.get(f"/admin/outbox/{mail.id}")
    assert page.status_code == 200
    assert "Fish &amp; &lt;chips&gt;" in page.text  # escaped, never markup
    assert "http://127.0.0.1:5000/password/reset/token1" in page.text
    assert 'sandbox=""' in page.text
    html = client.get(f"/admin/outbox/{mail.id}/html")
    assert html.status_code == 200
    assert html.mimetype == "text/html"
    policy = html.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Fish &amp; &lt;chips&gt;" in html.text


def test_a_failed_message_shows_why_and_an_admin_sends_it_again_once(
    app: Flask, login: Login, make_user: Callable[..., User], smtp_server: SmtpTestServer
) -> None:
    smtp_server.refuse_with = "550 Mailbox unavailable"
    mail = _queue(1)
    db.session.commit()
    client = login(make_user(Role.ADMIN))

    failed = client.get("/admin/outbox?status=failed")
    assert "person1@example.com" in failed.text
    page = client.get(f"/admin/outbox/{mail.id}")
    assert "Why it was not sent" in page.text
    assert "550 Mailbox unavailable" in page.text
    assert "Send it again" in page.text

    smtp_server.refuse_with = ""
    response = client.post(f"/admin/outbox/{mail.id}/retry")
    assert response.status_code == 302
    again = client.post(f"/admin/outbox/{mail.id}/retry")  # a double click
    assert again.status_code == 409
    assert len(smtp_server.messages) == 1
    assert db.session.scalar(select(OutboundMail.status)) is MailStatus.SENT
    assert "Send it again" not in client.get(f"/admin/outbox/{mail.id}").text


def test_an_unknown_message_is_a_404(
    app: Flask, login: Login, make_user: Callable[..., User]
) -> None:
    client = login(make_user(Role.ADMIN))
    assert client.get("/admin/outbox/999999").status_code == 404
    assert client.get("/admin/outbox/999999/html").status_code == 404
    assert client.post("/admin/outbox/999999/retry").status_code == 404


def test_a_bad_status_filter_shows_every_message(
    app: Flask, login: Login, make_user: Callable[..., User]
) -> None:
    _queue(1)
    db.session.execute(update(OutboundMail).values(status=MailStatus.SENT))
    db.session.commit()
    client = login(make_user(Role.ADMIN))
    page = client.get("/admin/outbox?status=bogus&page=x")
    assert page.status_code == 200
    assert "person1@example.com" in page.text
