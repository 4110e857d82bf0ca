"""The lapse check on the worker's schedule: every hour, ten minutes past.

Hourly like escalations, so a lapse is raised within the hour its second window closes; a
run that finds nothing new writes nothing.
"""

from __future__ import annotations

from flask import Flask
from huey import crontab

from app.buddies import service
from app.extensions import db
from app.jobs import queue_of


def register_jobs(app: Flask) -> None:
    @queue_of(app).periodic_task(crontab(minute="10"), name="buddies.lapses")
    def raise_lapses_every_hour() -> None:
        with app.app_context():
            service.run_lapse_alerts()
            db.session.commit()
