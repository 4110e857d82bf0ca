"""The activity import job and its sweep, registered on the app's queue by ``create_app``."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from huey import crontab

from app.extensions import db
from app.jobs import on_worker_start, queue_of, register_job
from app.metrics import service


def register_jobs(app: Flask) -> None:
    register_job(app, service.IMPORT_JOB, service.run_import)

    def sweep() -> None:
        stale_after = timedelta(seconds=int(app.config["JOB_STALE_SECONDS"]))
        service.sweep_interrupted_imports(stale_after, int(app.config["JOB_RETRIES"]) + 1)

    on_worker_start(app, sweep)

    @queue_of(app).periodic_task(crontab(minute="*"), name="metrics.sweep_imports")
    def sweep_every_minute() -> None:
        with app.app_context():
            sweep()
            db.session.commit()
