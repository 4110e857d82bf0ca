"""The webhook send job, and the sweep that requeues deliveries a dead worker left behind."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from huey import crontab

from app.extensions import db
from app.jobs import on_worker_start, queue_of, register_job
from app.webhooks import service


def register_jobs(app: Flask) -> None:
    register_job(app, service.SEND_JOB, service.send_delivery)

    def sweep() -> None:
        stale_after = timedelta(seconds=int(app.config["JOB_STALE_SECONDS"]))
        service.sweep_undelivered(stale_after, int(app.config["JOB_RETRIES"]) + 1)

    on_worker_start(app, sweep)

    @queue_of(app).periodic_task(crontab(minute="*"), name="webhooks.sweep")
    def sweep_every_minute() -> None:
        with app.app_context():
            sweep()
            db.session.commit()
