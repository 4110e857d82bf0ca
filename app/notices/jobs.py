"""The daily notice sweep on the worker's schedule (``flask notices sweep`` runs it now).

Hourly, at 25 minutes past, rather than once a day: each rep's day is their own time zone's,
so every rep's "today" is recorded soon after it starts; a second run on the same day
rewrites that day's status and drafts nothing new.
"""

from __future__ import annotations

from flask import Flask
from huey import crontab

from app.extensions import db
from app.jobs import queue_of
from app.notices import service


def register_jobs(app: Flask) -> None:
    @queue_of(app).periodic_task(crontab(minute="25"), name="notices.sweep_hourly")
    def sweep_every_hour() -> None:
        with app.app_context():
            service.run_sweep()
            db.session.commit()
