"""Asking new hires at their checkpoints: daily on the worker's schedule, at 06:15 UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from huey import crontab

from app.extensions import db
from app.jobs import queue_of
from app.surveys import service


def register_jobs(app: Flask) -> None:
    @queue_of(app).periodic_task(crontab(minute="15", hour="6"), name="surveys.ask")
    def ask_every_day() -> None:
        with app.app_context():
            service.ask_due_pulses(datetime.now(UTC).date())
            db.session.commit()
