"""The outcomes' warm-up runs on the worker's schedule: every ten minutes."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from huey import crontab

from app.extensions import db
from app.jobs import queue_of
from app.outcomes.service.warming import warm_judgements


def register_jobs(app: Flask) -> None:
    @queue_of(app).periodic_task(crontab(minute="*/10"), name="outcomes.warm")
    def warm_every_ten_minutes() -> None:
        with app.app_context():
            warm_judgements(datetime.now(UTC))
            db.session.commit()
