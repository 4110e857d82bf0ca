"""The job queue itself: backoff between attempts, one queue per database, the worker command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.config import read_settings
from app.jobs import Attempt, default_queue_name, enqueue, queue_of, register_job
from tests.conftest import make_test_app


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # Huey's clock: naive UTC


def test_a_failing_job_is_retried_with_doubling_delays_then_given_up() -> None:
    app = make_test_app("sqlite://", JOB_RETRIES=2, JOB_RETRY_DELAY=5)
    attempts: list[Attempt] = []

    def always_fails(value: int, *, attempt: Attempt) -> None:
        attempts.append(attempt)
        raise RuntimeError(f"no luck with {value}")

    register_job(app, "test.always_fails", always_fails)
    queue = queue_of(app)
    started = _utc_now()
    with app.app_context():
        enqueue("test.always_fails", 7)  # immediate mode: the first attempt runs now

    [second] = queue.read_schedule(started + timedelta(minutes=5))
    assert timedelta(seconds=4) < second.eta - started <= timedelta(seconds=6)
    retried = _utc_now()
    queue.execute(second, timestamp=second.eta)
    [third] = queue.read_schedule(started + timedelta(minutes=5))
    assert timedelta(seconds=9) < third.eta - retried <= timedelta(seconds=11)  # doubled
    queue.execute(third, timestamp=third.eta)

    assert queue.read_schedule(started + timedelta(days=1)) == []  # given up
    assert [(a.number, a.last) for a in attempts] == [(1, False), (2, False), (3, True)]


def test_each_database_has_its_own_queue_and_a_password_change_keeps_it() -> None:
    main = default_queue_name("postgresql+psycopg://app:old@db.internal/salesramp")
    assert main == default_queue_name("postgresql+psycopg://app:new@db.internal/salesramp")
    assert main != default_queue_name("postgresql+psycopg://app:old@db.internal/bench_load")
    assert main.startswith("salesramp-")


def test_the_worker_command_recovers_interrupted_work_before_taking_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_test_app(
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        JOBS_IMMEDIATE=False,
        QUEUE_FILE=tmp_path / "queue.sqlite3",
    )
    happened: list[str] = []
    app.extensions["salesramp.worker_start"] = [lambda: happened.append("recovered")]

    class Consumer:
        def __init__(self, **options: Any) -> None:
            happened.append(f"consumer {options}")

        def run(self) -> None:
            happened.append("consuming")

    monkeypatch.setattr(queue_of(app), "create_consumer", Consumer)
    result = app.test_cli_runner().invoke(args=["worker", "--workers", "3"])

    assert result.exit_code == 0, result.output
    assert happened == [
        "recovered",
        "consumer {'workers': 3, 'worker_type': 'thread', 'max_delay': 1.0}",
        "consuming",
    ]


def test_flask_worker_is_a_command(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["--help"])
    assert "worker" in result.output


def test_the_queue_settings_come_from_the_environment(tmp_path: Path) -> None:
    defaults = read_settings(tmp_path, {}).as_flask_config()
    assert defaults["REDIS_URL"] is None and defaults["QUEUE_FILE"] == tmp_path / "queue.sqlite3"
    assert defaults["EXPORT_DIR"] == tmp_path / "exports" and defaults["JOB_STALE_SECONDS"] == 600
    env = {
        "SALESRAMP_REDIS_URL": "redis://queue.internal:6379/0",
        "SALESRAMP_QUEUE_NAME": "salesramp-production",
        "SALESRAMP_EXPORT_DIR": "/srv/shared/exports",
        "SALESRAMP_JOB_STALE_SECONDS": "120",
    }
    configured = read_settings(tmp_path, env).as_flask_config()
    assert configured["REDIS_URL"] == "redis://queue.internal:6379/0"
    assert configured["QUEUE_NAME"] == "salesramp-production"
    assert configured["EXPORT_DIR"] == Path("/srv/shared/exports")
    assert configured["JOB_STALE_SECONDS"] == 120
