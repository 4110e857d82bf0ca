"""Housekeeping of webhook deliveries and table exports: old finished ones go (a delivery's
attempts with it, an export's file with its row); recent or unfinished ones stay."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app import prune
from app.accounts.models import Role, User
from app.exports.models import TableExport, TableExportStatus
from app.extensions import db
from app.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

NOW = datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _endpoint() -> WebhookEndpoint:
    endpoint = WebhookEndpoint(
        url="https://crm.example.com/hooks",
        events=[EventType.MILESTONE_DONE.value],
        secret="whsec_" + secrets.token_hex(16),
        created_at=ago(400),
        updated_at=ago(400),
    )
    db.session.add(endpoint)
    return endpoint


def _delivery(
    endpoint: WebhookEndpoint, status: DeliveryStatus, finished: datetime | None, event=None
) -> WebhookDelivery:
    event = event or WebhookEvent(
        uid=f"msg_{secrets.token_hex(8)}",
        type=EventType.MILESTONE_DONE,
        created_at=(finished or NOW) - timedelta(minutes=5),
        payload="{}",
    )
    delivery = WebhookDelivery(
        event=event,
        endpoint=endpoint,
        status=status,
        created_at=event.created_at,
        finished_at=finished,
    )
    db.session.add(delivery)
    db.session.flush()
    db.session.add(
        WebhookAttempt(
            delivery_id=delivery.id, started_at=event.created_at, duration_ms=10, status_code=200
        )
    )
    return delivery


def test_finished_deliveries_past_retention_go_with_their_attempts_and_events(app: Flask) -> None:
    endpoint = _endpoint()
    old_delivered = _delivery(endpoint, DeliveryStatus.DELIVERED, ago(91))
    old_failed = _delivery(endpoint, DeliveryStatus.FAILED, ago(120))
    recent = _delivery(endpoint, DeliveryStatus.DELIVERED, ago(30))
    stuck = _delivery(endpoint, DeliveryStatus.QUEUED, None)
    stuck.created_at = stuck.event.created_at = ago(200)  # the sweep's business, not pruning's
    # An old event with a recent resend to a second endpoint: the event stays for that one.
    second = _endpoint()
    shared = _delivery(endpoint, DeliveryStatus.DELIVERED, ago(100))
    shared.event.created_at = ago(100)
    kept_for_resend = _delivery(second, DeliveryStatus.DELIVERED, ago(1), event=shared.event)
    db.session.commit()
    gone_events = {old_delivered.event_id, old_failed.event_id}
    kept = {recent.id, stuck.id, kept_for_resend.id}
    shared_event = shared.event_id

    counts = prune.prune(NOW)

    assert counts["webhook deliveries"] == 3
    db.session.expire_all()
    assert set(db.session.scalars(select(WebhookDelivery.id))) == kept
    assert set(db.session.scalars(select(WebhookAttempt.delivery_id))) == kept
    events = set(db.session.scalars(select(WebhookEvent.id)))
    assert not events & gone_events and shared_event in events


def test_the_webhook_retention_is_configurable(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_RETENTION_DAYS", 10)
    endpoint = _endpoint()
    _delivery(endpoint, DeliveryStatus.DELIVERED, ago(11))
    nine_days = _delivery(endpoint, DeliveryStatus.DELIVERED, ago(9))
    db.session.commit()
    assert prune.prune(NOW)["webhook deliveries"] == 1
    assert list(db.session.scalars(select(WebhookDelivery.id))) == [nine_days.id]


def _table_export(
    user: User, status: TableExportStatus, finished: datetime | None, directory: Path
) -> tuple[TableExport, Path | None]:
    token = secrets.token_urlsafe(24)
    name = f"activity-{token[:8]}.csv" if status == TableExportStatus.DONE else ""
    row = TableExport(
        token=token,
        requested_by_id=user.id,
        name="activity",
        fmt="csv",
        args={},
        as_of=ago(40),
        status=status,
        file_name=name,
        created_at=(finished or NOW) - timedelta(minutes=1),
        finished_at=finished,
    )
    db.session.add(row)
    path = None
    if name:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Rep,Week\r\n")
    return row, path


def test_expired_table_exports_go_with_their_files(
    app: Flask, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(app.config, "EXPORT_DIR", tmp_path)
    user = make_user(Role.HR)
    _expired, expired_file = _table_export(user, TableExportStatus.DONE, ago(8), tmp_path)
    _table_export(user, TableExportStatus.FAILED, ago(30), tmp_path)
    fresh, fresh_file = _table_export(user, TableExportStatus.DONE, ago(6), tmp_path)
    running, _ = _table_export(user, TableExportStatus.RUNNING, None, tmp_path)
    db.session.commit()
    assert expired_file is not None and fresh_file is not None

    counts = prune.prune(NOW)

    assert counts["expired table exports"] == 2
    db.session.expire_all()
    assert set(db.session.scalars(select(TableExport.id))) == {fresh.id, running.id}
    assert not expired_file.exists() and fresh_file.exists()


def test_the_export_expiry_is_configurable_and_read_from_the_environment(
    app: Flask, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.config import read_settings

    monkeypatch.setitem(app.config, "EXPORT_DIR", tmp_path)
    monkeypatch.setitem(app.config, "EXPORT_EXPIRY_DAYS", 1)
    user = make_user(Role.HR)
    _table_export(user, TableExportStatus.DONE, ago(2), tmp_path)
    db.session.commit()
    assert prune.prune(NOW)["expired table exports"] == 1

    default = read_settings(tmp_path, {}).as_flask_config()
    assert (default["WEBHOOK_RETENTION_DAYS"], default["EXPORT_EXPIRY_DAYS"]) == (90, 7)
    environ = {"SALESRAMP_WEBHOOK_RETENTION_DAYS": "30", "SALESRAMP_EXPORT_EXPIRY_DAYS": "2"}
    configured = read_settings(tmp_path, environ).as_flask_config()
    assert (configured["WEBHOOK_RETENTION_DAYS"], configured["EXPORT_EXPIRY_DAYS"]) == (30, 2)
