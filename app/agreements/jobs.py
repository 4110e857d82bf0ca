"""The agreements' background jobs, registered on the app's queue by ``create_app``.

Like the views and the CLI, a job is an entry point: it calls the same services. The sweep
runs when a worker starts and every minute after, so that an export, a seal or a bulk send
whose worker died is retried (or marked failed) instead of staying "running" or unsealed.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from huey import crontab

from app.agreements import service
from app.extensions import db
from app.jobs import on_worker_start, queue_of, register_job


def register_jobs(app: Flask) -> None:
    register_job(app, service.BUILD_JOB, service.build_export)
    register_job(app, service.SEAL_JOB, service.seal_completed)
    register_job(app, service.SEND_JOB, service.send_bulk)

    def sweep() -> None:
        stale_after = timedelta(seconds=int(app.config["JOB_STALE_SECONDS"]))
        attempts = int(app.config["JOB_RETRIES"]) + 1
        service.sweep_interrupted_exports(stale_after, attempts)
        service.sweep_unsealed(stale_after, attempts)
        service.sweep_interrupted_bulk_sends(stale_after, attempts)

    on_worker_start(app, sweep)

    @queue_of(app).periodic_task(crontab(minute="*"), name="agreements.sweep_exports")
    def sweep_every_minute() -> None:
        with app.app_context():
            sweep()
            db.session.commit()
