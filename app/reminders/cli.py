"""``flask reminders send`` for a cron, and the same every quarter of an hour in the worker."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup
from huey import crontab

from app.jobs import queue_of
from app.reminders.sending import send_digests

reminders_cli = AppGroup("reminders", help="The digests of what is overdue and waiting.")


@reminders_cli.command("send")
def send_command() -> None:
    """Send the digests due now (each person's hour, in their time zone); never twice."""
    sent = send_digests(datetime.now(UTC))
    click.echo(", ".join(f"{what}: {count}" for what, count in sent.items()))


def register_reminders(app: Flask) -> None:
    """``flask reminders send``, and the worker's periodic run of it.

    Every 15 minutes, so each time zone's hour (some are offset by 30 or 45 minutes) is met
    soon after it begins; a run finds nothing due that has not been sent.
    """
    app.cli.add_command(reminders_cli)

    @queue_of(app).periodic_task(crontab(minute="*/15"), name="digests")
    def send_due_digests() -> None:
        with app.app_context():
            send_digests(datetime.now(UTC))
