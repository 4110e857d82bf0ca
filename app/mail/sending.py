"""The send job: each queued message is sent once, retried with backoff, failures kept.

A message that fails its last attempt stays ``failed`` with the error, on the admin's Outbox
page, until an admin retries it (:func:`retry`). A message whose worker died (or whose job
never reached the queue) is found by the sweep and queued again.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, formataddr
from typing import Any

from flask import Flask, current_app
from flask_mailman import EmailMultiAlternatives
from huey import crontab
from sqlalchemy import select, update

from app.errors import Conflict, NotFound
from app.extensions import db
from app.jobs import (
    Attempt,
    commit_progress,
    enqueue_after_commit,
    on_worker_start,
    prune_finished,
    queue_of,
    register_job,
    sweep_stale,
)
from app.mail.compose import SEND_JOB
from app.mail.models import MailStatus, OutboundMail
from app.mail.transport import deliver
from app.pagination import Page, PageRequest, paginate_query

log = logging.getLogger(__name__)
_UNFINISHED = (MailStatus.QUEUED, MailStatus.SENDING)
_FINISHED = (MailStatus.SENT, MailStatus.FAILED)


def register_mail_jobs(app: Flask) -> None:
    """The send job, and the sweep that requeues messages a dead worker left behind."""
    register_job(app, SEND_JOB, send_queued)

    def sweep() -> None:
        stale_after = timedelta(seconds=int(app.config["JOB_STALE_SECONDS"]))
        sweep_unsent(stale_after, int(app.config["JOB_RETRIES"]) + 1)

    on_worker_start(app, sweep)

    @queue_of(app).periodic_task(crontab(minute="*"), name="mail.sweep")
    def sweep_every_minute() -> None:
        with app.app_context():
            sweep()
            db.session.commit()


def send_queued(mail_id: int, *, attempt: Attempt) -> None:
    """The job: send one stored message; on its last failed attempt, mark it failed."""
    mail = db.session.get(OutboundMail, mail_id)
    if mail is None or mail.finished:
        return  # sent by an earlier attempt, or given up on by the sweep
    commit_progress(
        OutboundMail,
        mail_id,
        status=MailStatus.SENDING,
        attempts=OutboundMail.attempts + 1,
        heartbeat_at=_utc_now(),
    )
    try:
        where = deliver(build_message(mail), f"{mail.created_at:%Y%m%d-%H%M%S}-{mail.id}")
    except Exception as exc:  # an SMTP refusal, a timeout, a full disk: all worth a retry
        db.session.rollback()
        message = describe_failure(exc)
        log.warning(
            "mail %s to %s: attempt %s failed: %s",
            mail_id,
            mail.to_address,
            attempt.number,
            message,
        )
        if attempt.last:
            _finish(mail_id, MailStatus.FAILED, error=message)
            return  # recorded for the admin; nothing left for the queue to do
        commit_progress(
            OutboundMail,
            mail_id,
            status=MailStatus.QUEUED,
            error=f"Attempt {attempt.number} failed ({message}); retrying.",
        )
        raise
    _finish(mail_id, MailStatus.SENT, delivered_to=where)


def describe_failure(exc: Exception) -> str:
    """What went wrong, in the mail server's own words when it answered (for the Outbox)."""
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(
            f"{address}: {code} {_text(reply)}" for address, (code, reply) in exc.recipients.items()
        )
        return f"{name}: the mail server refused the recipient ({answers})"[:500]
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{name}: the mail server answered {exc.smtp_code} {_text(exc.smtp_error)}"[:500]
    return f"{name}: {exc}"[:500]


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


class _FoldedByTheStandard(EmailMultiAlternatives):
    """Flask-Mailman's message, written out with the modern ``email.policy.SMTP``.

    Flask-Mailman (a port of Django's mail) builds ``compat32`` messages, whose generator folds
    a long encoded subject right after "Subject:" (an empty first line): a reader unfolding it
    by RFC 5322 gets the subject with a leading space ("Subject: ␠Zoë Ångström signed…"). The
    modern policy re-folds every header by RFC 2047 and 5322, never leaving that line empty.
    """

    def message(self) -> Any:
        message = super().message()
        for part in message.walk():
            part.policy = email.policy.SMTP
        return message


def build_message(mail: OutboundMail) -> EmailMultiAlternatives:
    """The MIME message: text and HTML alternatives, From in the organisation's name."""
    sender = str(current_app.config["MAIL_FROM"])
    message = _FoldedByTheStandard(
        subject=mail.subject,
        body=mail.text_body,
        from_email=formataddr((mail.from_name, sender)),
        to=[formataddr((mail.to_name, mail.to_address))],
        headers={
            "Message-ID": mail.message_id,
            "Date": format_datetime(mail.created_at.replace(tzinfo=UTC), usegmt=True),
            # RFC 3834: written by the app, not a person, so auto-responders stay quiet.
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(mail.html_body, "text/html")
    return message


def retry(mail_id: int) -> OutboundMail:
    """Queue a failed message again (an admin's decision: the caller checks who may)."""
    mail = db.session.get(OutboundMail, mail_id)
    if mail is None:
        raise NotFound("There is no such message.")
    claimed = db.session.execute(
        update(OutboundMail)
        .where(OutboundMail.id == mail_id, OutboundMail.status == MailStatus.FAILED)
        .values(status=MailStatus.QUEUED, attempts=0, heartbeat_at=None, finished_at=None)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        raise Conflict("This message is not failed (it was retried or sent meanwhile).")
    enqueue_after_commit(SEND_JOB, mail_id)
    db.session.refresh(mail)
    return mail


def sweep_unsent(stale_after: timedelta, max_attempts: int) -> tuple[int, int]:
    """Requeue messages left queued or sending with no sign of life; (requeued, failed)."""
    return sweep_stale(
        OutboundMail,
        _UNFINISHED,
        SEND_JOB,
        stale_after,
        max_attempts,
        {"status": MailStatus.FAILED, "error": "Interrupted too many times; not sent."},
    )


def prune_sent(before: datetime) -> int:
    """Forget messages finished before ``before``; how many."""
    return prune_finished(OutboundMail, _FINISHED, before)


def outbox_page(request: PageRequest, status: MailStatus | None = None) -> Page[OutboundMail]:
    """Messages newest first, optionally only those with ``status`` (two queries)."""
    query = select(OutboundMail).order_by(OutboundMail.created_at.desc(), OutboundMail.id.desc())
    if status is not None:
        query = query.where(OutboundMail.status == status)
    return paginate_query(query, request)


def _finish(mail_id: int, status: MailStatus, **values: object) -> None:
    commit_progress(OutboundMail, mail_id, status=status, finished_at=_utc_now(), **values)


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
