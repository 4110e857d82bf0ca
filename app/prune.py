"""Housekeeping: rows that only matter for a while are deleted daily, and by ``flask prune``.

Submission keys (``app.once``), ended or long-idle sign-ins (``app.accounts.signins``),
finished export and bulk-send jobs and sent (or failed) emails (``app.mail``) are kept
``RETENTION_DAYS`` (``SALESRAMP_RETENTION_DAYS``, 30 by default); without this they grow
with every form sent and every sign-in. The security log is the audit trail, so it is kept
far longer: ``SECURITY_LOG_RETENTION_DAYS`` (``SALESRAMP_SECURITY_LOG_RETENTION_DAYS``, two
years by default). Agreements and their audit trails are never pruned. Password reset links
are deleted a day after they expire. Finished webhook deliveries (and their attempts) are kept
``WEBHOOK_RETENTION_DAYS`` (90 by default); finished table exports and their files
``EXPORT_EXPIRY_DAYS`` (7 by default), how long their download is offered.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey import crontab

from app import once
from app.accounts import resets, signins
from app.agreements.service import prune_finished_jobs
from app.exports.housekeeping import prune_expired_exports
from app.extensions import db
from app.jobs import queue_of
from app.mail.sending import prune_sent
from app.security import service as security
from app.webhooks.service import prune_deliveries


def prune(now: datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its retention period; how many rows of each kind. Commits."""
    config = current_app.config
    now = now or datetime.now(UTC).replace(tzinfo=None)
    before = now - timedelta(days=int(config["RETENTION_DAYS"]))
    longest_idle = max(
        timedelta(days=int(config["REMEMBER_IDLE_DAYS"])),
        timedelta(minutes=int(config["SESSION_IDLE_MINUTES"])),
    )
    pruned = {
        "submission keys": once.prune(before),
        "sign-ins": signins.prune(before, longest_idle),
        "finished jobs": prune_finished_jobs(before),
        "sent or failed emails": prune_sent(before),
        "expired password reset links": resets.prune(now - timedelta(days=1)),
        "security events": security.prune(
            now - timedelta(days=int(config["SECURITY_LOG_RETENTION_DAYS"]))
        ),
        "webhook deliveries": prune_deliveries(
            now - timedelta(days=int(config["WEBHOOK_RETENTION_DAYS"]))
        ),
        "expired table exports": prune_expired_exports(
            now - timedelta(days=int(config["EXPORT_EXPIRY_DAYS"]))
        ),
    }
    db.session.commit()
    return pruned


@click.command("prune")
@with_appcontext
def prune_command() -> None:
    """Delete submission keys, sign-ins, finished jobs and exports, emails, reset links and
    webhook deliveries past retention."""
    for what, count in prune().items():
        click.echo(f"{what}: {count} deleted")


def register_prune(app: Flask) -> None:
    """``flask prune``, and the same every night in the job worker."""
    app.cli.add_command(prune_command)

    @queue_of(app).periodic_task(crontab(minute="17", hour="3"), name="prune")
    def prune_every_night() -> None:
        with app.app_context():
            prune()
