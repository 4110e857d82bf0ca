"""Quests reached are announced on the worker's schedule: every hour, twenty past."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from huey import crontab

from app.extensions import db
from app.jobs import queue_of
from app.quests import service


def register_jobs(app: Flask) -> None:
    @queue_of(app).periodic_task(crontab(minute="20"), name="quests.announce")
    def announce_every_hour() -> None:
        with app.app_context():
            service.record_completions(datetime.now(UTC).date())
            db.session.commit()
