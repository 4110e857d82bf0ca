"""Queue an email: render it now, store it with the transaction, send it after the commit."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import column, select, table

from app.extensions import db
from app.jobs import enqueue_after_commit
from app.mail.models import OutboundMail

SEND_JOB = "mail.send"
DEFAULT_ORGANISATION = "SalesRamp"

# The organisation's name, read without importing the accounts package (app.mail is core):
# the one row of the ``organisation`` table that the admin's Settings page edits.
_organisation = table("organisation", column("id"), column("name"))


def queue_mail(
    *,
    to: str,
    to_name: str,
    template: str,
    subject: str,
    reason: str,
    link: str,
    **context: object,
) -> OutboundMail:
    """Render ``templates/mail/<template>.txt`` and ``.html`` and queue the message.

    Both parts extend the mail layout (the organisation's name, a greeting to ``to_name``,
    ``link`` to the exact page, and a footer saying ``reason``: why it was sent and how to
    change it). The row joins the current transaction; the send job is enqueued only once it
    commits, so nothing is sent for a request that fails, and nothing inside a request.
    """
    organisation = organisation_name()
    values: dict[str, Any] = {
        **context,
        "organisation": organisation,
        "to_name": to_name,
        "to_address": to,
        "subject": subject,
        "reason": reason,
        "link": link,
    }
    text_body, html_body = render_parts(template, values)
    mail = OutboundMail(
        created_at=_utc_now(),
        to_address=to,
        to_name=to_name,
        from_name=organisation,
        subject=subject,
        template=template,
        reason=reason,
        link=link,
        text_body=text_body,
        html_body=html_body,
        message_id=make_msgid(domain=_sender_domain()),
    )
    db.session.add(mail)
    db.session.flush()
    enqueue_after_commit(SEND_JOB, mail.id)
    return mail


def render_parts(template: str, values: dict[str, Any]) -> tuple[str, str]:
    """The plain text and HTML parts of ``templates/mail/<template>``.

    Rendered with the bare Jinja environment, not ``render_template``: a message must not
    depend on the request that queued it (its user, its CSRF token), since a job renders
    the same way.
    """
    env = current_app.jinja_env
    text = env.get_template(f"mail/{template}.txt").render(values)
    html = env.get_template(f"mail/{template}.html").render(values)
    return _tidy_text(text), html


def absolute_url(endpoint: str, **values: object) -> str:
    """An absolute URL on ``SALESRAMP_PUBLIC_URL``, usable in a job (no request context)."""
    public = urlsplit(str(current_app.config["PUBLIC_URL"]))
    adapter = current_app.url_map.bind(
        public.netloc,
        script_name=public.path.rstrip("/") or "/",
        url_scheme=public.scheme or "http",
    )
    return adapter.build(endpoint, dict(values), force_external=True)


def organisation_name() -> str:
    """The organisation's name as the admin set it (the From line and every layout say it)."""
    name = db.session.scalar(select(_organisation.c.name).order_by(_organisation.c.id).limit(1))
    return name or DEFAULT_ORGANISATION


def _sender_domain() -> str:
    sender = str(current_app.config["MAIL_FROM"])
    return sender.rpartition("@")[2] or "localhost"


def _tidy_text(text: str) -> str:
    """Template blocks leave blank runs behind: at most one empty line between paragraphs.

    Trailing spaces go too, except in the signature separator ("-- "), which mail clients
    recognise only with its space.
    """
    lines = [line if line == "-- " else line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
