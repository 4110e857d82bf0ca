"""The background export job, and the sweep for exports a dead worker left running."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.exports.background import EXPORT_JOB, sweep_unfinished, write_export
from app.jobs import on_worker_start, register_job


def register_jobs(app: Flask) -> None:
    register_job(app, EXPORT_JOB, write_export)

    def sweep() -> None:
        stale_after = timedelta(seconds=int(app.config["JOB_STALE_SECONDS"]))
        sweep_unfinished(stale_after, int(app.config["JOB_RETRIES"]) + 1)

    on_worker_start(app, sweep)
