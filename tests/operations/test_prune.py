"""Housekeeping: old submission keys, sign-ins and finished jobs go; recent ones stay."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app import prune
from app.accounts.models import PasswordReset, Role, SignIn, User
from app.agreements.models import (
    AgreementExport,
    BulkSend,
    BulkSendStatus,
    ExportStatus,
)
from app.curriculum.models import AgreementTemplate
from app.extensions import db
from app.jobs import queue_of
from app.mail import MailStatus, OutboundMail
from app.once import Submission
from app.security.models import EventKind, SecurityEvent

NOW = datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _count(model: type, *where: object) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _sign_in(user: User, *, last_seen: datetime, ended: datetime | None) -> SignIn:
    row = SignIn(
        user_id=user.id,
        token_hash=secrets.token_hex(32),
        remember=False,
        created_at=last_seen,
        last_seen_at=last_seen,
        ended_at=ended,
    )
    db.session.add(row)
    return row


def _export(user: User, status: ExportStatus, finished: datetime | None) -> AgreementExport:
    row = AgreementExport(
        token=secrets.token_hex(8),
        requested_by_id=user.id,
        agreement_ids=[],
        status=status,
        total=0,
        done=0,
        file_name="",
        error="",
        created_at=finished or NOW,
        finished_at=finished,
    )
    db.session.add(row)
    return row


def _mail(status: MailStatus, finished: datetime | None) -> OutboundMail:
    row = OutboundMail(
        created_at=finished or NOW,
        to_address="someone@example.com",
        subject="A message",
        template="password_reset",
        text_body="text",
        html_body="<p>html</p>",
        message_id=f"<{secrets.token_hex(8)}@localhost>",
        status=status,
        finished_at=finished,
    )
    db.session.add(row)
    return row


def _reset_link(user: User, expired: datetime) -> PasswordReset:
    return PasswordReset(
        user_id=user.id,
        token_hash=secrets.token_hex(32),
        created_at=expired - timedelta(minutes=30),
        expires_at=expired,
    )


def test_old_rows_go_and_recent_ones_stay(
    app: Flask, curriculum: object, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.HR)
    db.session.add_all(
        [
            Submission(key="old", at=ago(31)),
            Submission(key="recent", at=ago(1)),
            SecurityEvent(kind=EventKind.SIGN_IN, at=ago(731)),
            SecurityEvent(kind=EventKind.SIGN_IN, at=ago(400)),
        ]
    )
    ended_long_ago = _sign_in(user, last_seen=ago(40), ended=ago(40))
    idle_long_ago = _sign_in(user, last_seen=ago(60), ended=None)  # nobody came back to end it
    ended_yesterday = _sign_in(user, last_seen=ago(1), ended=ago(1))
    open_now = _sign_in(user, last_seen=NOW, ended=None)
    old_export = _export(user, ExportStatus.DONE, finished=ago(31))
    running_export = _export(user, ExportStatus.RUNNING, finished=None)
    recent_export = _export(user, ExportStatus.FAILED, finished=ago(2))
    old_bulk = BulkSend(
        requested_by_id=user.id,
        template_id=db.session.scalars(select(AgreementTemplate.id)).first(),
        rep_ids=[],
        values={},
        fingerprint="f" * 64,
        status=BulkSendStatus.DONE,
        total=1,
        sent=1,
        error="",
        created_at=ago(32),
        finished_at=ago(31),
    )
    db.session.add(old_bulk)
    old_mail = _mail(MailStatus.SENT, finished=ago(31))
    failed_mail = _mail(MailStatus.FAILED, finished=ago(2))
    queued_mail = _mail(MailStatus.QUEUED, finished=None)
    db.session.add_all(
        [
            _reset_link(user, expired=ago(2)),
            _reset_link(user, expired=ago(0.5)),  # kept a day, for "this link has expired"
            _reset_link(user, expired=NOW + timedelta(minutes=20)),
        ]
    )
    db.session.commit()
    kept_sign_ins = {ended_yesterday.id, open_now.id}
    kept_exports = {running_export.id, recent_export.id}
    kept_mails = {failed_mail.id, queued_mail.id}
    assert (
        old_mail.id and ended_long_ago.id and idle_long_ago.id and old_export.id
    )  # stored, then pruned

    counts = prune.prune(NOW)

    assert counts == {
        "submission keys": 1,
        "sign-ins": 2,
        "finished jobs": 2,
        "sent or failed emails": 1,
        "expired password reset links": 1,
        "security events": 1,
        "webhook deliveries": 0,
        "expired table exports": 0,
    }
    db.session.expire_all()
    assert set(db.session.scalars(select(Submission.key))) == {"recent"}
    assert set(db.session.scalars(select(SignIn.id))) == kept_sign_ins
    assert set(db.session.scalars(select(AgreementExport.id))) == kept_exports
    assert _count(BulkSend) == 0
    assert set(db.session.scalars(select(OutboundMail.id))) == kept_mails
    assert _count(PasswordReset) == 2
    assert list(db.session.scalars(select(SecurityEvent.at))) == [ago(400)]


def test_the_retention_periods_are_configurable(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "RETENTION_DAYS", 2)
    monkeypatch.setitem(app.config, "SECURITY_LOG_RETENTION_DAYS", 365)
    db.session.add_all(
        [
            Submission(key="three days", at=ago(3)),
            Submission(key="one day", at=ago(1)),
            SecurityEvent(kind=EventKind.EXPORT, at=ago(400)),
            SecurityEvent(kind=EventKind.EXPORT, at=ago(300)),
        ]
    )
    db.session.commit()
    prune.prune(NOW)
    assert set(db.session.scalars(select(Submission.key))) == {"one day"}
    assert list(db.session.scalars(select(SecurityEvent.at))) == [ago(300)]


def test_the_settings_come_from_the_environment(tmp_path: object) -> None:
    from pathlib import Path

    from app.config import read_settings

    default = read_settings(Path(str(tmp_path)), {}).as_flask_config()
    assert (default["RETENTION_DAYS"], default["SECURITY_LOG_RETENTION_DAYS"]) == (30, 730)
    environ = {"SALESRAMP_RETENTION_DAYS": "7", "SALESRAMP_SECURITY_LOG_RETENTION_DAYS": "3650"}
    configured = read_settings(Path(str(tmp_path)), environ).as_flask_config()
    assert (configured["RETENTION_DAYS"], configured["SECURITY_LOG_RETENTION_DAYS"]) == (7, 3650)


def test_flask_prune_says_what_it_deleted(runner: FlaskCliRunner) -> None:
    db.session.add(Submission(key="old", at=ago(90)))
    db.session.commit()
    result = runner.invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert "submission keys: 1 deleted" in result.output
    assert "security events: 0 deleted" in result.output


def test_the_job_worker_prunes_every_night(app: Flask) -> None:
    def due_at(hour: int, minute: int) -> list[str]:
        moment = datetime(2026, 12, 1, hour, minute)
        return [task.name for task in queue_of(app).read_periodic(moment)]

    assert "prune" in due_at(3, 17) and "prune" not in due_at(4, 17)
