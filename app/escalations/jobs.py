"""The escalation run on the worker's schedule: every hour, five minutes past.

Hourly rather than daily so that an item becomes due for a level on its first hour, whatever
the time zone; a run that finds nothing new asks four queries and writes nothing.
"""

from __future__ import annotations

from flask import Flask
from huey import crontab

from app.escalations import service
from app.extensions import db
from app.jobs import queue_of


def register_jobs(app: Flask) -> None:
    @queue_of(app).periodic_task(crontab(minute="5"), name="escalations.run")
    def escalate_every_hour() -> None:
        with app.app_context():
            service.run_escalations()
            db.session.commit()
