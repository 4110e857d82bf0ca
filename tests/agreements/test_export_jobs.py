"""Large exports run as jobs: queued after commit, retried with backoff, never left running.

Most tests run the queue in Huey's immediate mode (each job runs as soon as the commit enqueues
it); the last ones start a real consumer against the SQLite queue and against Redis.
"""

from __future__ import annotations

import time
import uuid
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.agreements import service
from app.agreements.models import Agreement, AgreementExport, ExportStatus
from app.agreements.service import export_build
from app.extensions import db
from app.jobs import queue_of, recover
from tests.agreements.conftest import store_stale
from tests.conftest import make_test_app


def _export(hr: User, ids: list[int]) -> int:
    """Start an export of these agreements and commit, which queues (here: runs) its job."""
    job = service.start_export(hr, ids)
    db.session.commit()
    return job.id


def _row(export_id: int) -> AgreementExport:
    row = db.session.get(AgreementExport, export_id, populate_existing=True)
    assert row is not None
    return row


def _stale_export(hr: User, ids: list[int], attempts: int, quiet_for: timedelta) -> int:
    """An export left "running" by a worker that went quiet ``quiet_for`` ago."""
    row = AgreementExport(
        token=uuid.uuid4().hex,
        requested_by_id=hr.id,
        agreement_ids=ids,
        status=ExportStatus.RUNNING,
        total=len(ids),
        done=0,
        file_name="",
        error="",
    )
    return store_stale(row, attempts, quiet_for)


def test_an_export_job_is_queued_only_once_committed(
    hr: User, make_agreement: Callable[..., Agreement], executed: list[str]
) -> None:
    agreement = make_agreement()
    db.session.commit()
    service.start_export(hr, [agreement.id])
    db.session.rollback()  # the request failed after all: no row, no job
    assert db.session.query(AgreementExport).count() == 0 and executed == []

    export_id = _export(hr, [agreement.id])

    assert executed == [service.BUILD_JOB]
    row = _row(export_id)
    assert (row.status, row.done, row.attempts, row.error) == (ExportStatus.DONE, 1, 1, "")


def test_a_failing_export_is_retried_then_marked_failed_with_its_message(
    app: Flask,
    hr: User,
    make_agreement: Callable[..., Agreement],
    executed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(export_build, "write_zip", disk_full)
    export_id = _export(hr, [make_agreement().id])

    retries = app.config["JOB_RETRIES"]
    assert executed == [service.BUILD_JOB] * (retries + 1)
    row = _row(export_id)
    assert row.status == ExportStatus.FAILED and row.finished_at is not None
    assert row.attempts == retries + 1 and "No space left on device" in row.error
    assert not list(Path(app.config["EXPORT_DIR"]).glob("*.part"))  # no half-written file


def test_an_export_that_fails_once_succeeds_on_its_retry(
    hr: User,
    make_agreement: Callable[..., Agreement],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real_write = export_build.write_zip

    def flaky(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        real_write(*args, **kwargs)

    monkeypatch.setattr(export_build, "write_zip", flaky)
    export_id = _export(hr, [make_agreement().id])

    row = _row(export_id)
    assert (row.status, row.attempts, row.error) == (ExportStatus.DONE, 2, "")


def test_a_starting_worker_retries_or_fails_exports_a_crash_left_running(
    app: Flask, hr: User, make_agreement: Callable[..., Agreement]
) -> None:
    ids = [make_agreement().id]
    db.session.commit()
    stale = timedelta(seconds=app.config["JOB_STALE_SECONDS"] + 60)
    crashed_once = _stale_export(hr, ids, attempts=1, quiet_for=stale)
    never_started = _stale_export(hr, ids, attempts=0, quiet_for=stale)
    out_of_attempts = _stale_export(
        hr, ids, attempts=app.config["JOB_RETRIES"] + 1, quiet_for=stale
    )
    still_working = _stale_export(hr, ids, attempts=1, quiet_for=timedelta(seconds=5))

    recover(app)  # what `flask worker` does before taking jobs

    assert _row(crashed_once).status == ExportStatus.DONE
    assert _row(never_started).status == ExportStatus.DONE
    failed = _row(out_of_attempts)
    assert failed.status == ExportStatus.FAILED and failed.error == export_build.INTERRUPTED
    assert _row(still_working).status == ExportStatus.RUNNING


def test_the_sweep_requeues_an_interrupted_export_once(
    hr: User, make_agreement: Callable[..., Agreement], executed: list[str]
) -> None:
    export_id = _stale_export(hr, [make_agreement().id], 1, timedelta(hours=1))
    first = service.sweep_interrupted_exports(timedelta(minutes=10), max_attempts=4)
    second = service.sweep_interrupted_exports(timedelta(minutes=10), max_attempts=4)
    assert (first, second) == ((1, 0), (0, 0))  # the first claimed it: its heartbeat moved
    db.session.commit()
    assert executed == [service.BUILD_JOB] and _row(export_id).status == ExportStatus.DONE


# --- a real worker ----------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_real_worker_builds_an_export_from_the_queue(
    backend: str,
    request: pytest.FixtureRequest,
    database_url: str,
    hr: User,
    make_agreement: Callable[..., Agreement],
    tmp_path: Path,
) -> None:
    redis_url = request.getfixturevalue("redis_url") if backend == "redis" else None
    ids = [make_agreement().id, make_agreement(template="onboarding-expectations").id]
    hr_id = hr.id
    db.session.commit()
    web = make_test_app(
        database_url,
        JOBS_IMMEDIATE=False,
        REDIS_URL=redis_url,
        QUEUE_NAME=f"salesramp-test-{uuid.uuid4().hex}",
        QUEUE_FILE=tmp_path / "queue.sqlite3",
        EXPORT_DIR=tmp_path / "exports",
    )
    queue = queue_of(web)
    try:
        with web.app_context():
            actor = db.session.get(User, hr_id)
            assert actor is not None
            job = service.start_export(actor, ids)
            export_id, token = job.id, job.token
            db.session.commit()
        assert queue.pending_count() == 1  # waiting for a worker, in the queue's storage

        consumer = queue.create_consumer(workers=1, periodic=False)
        consumer._set_signal_handlers = lambda: None  # a thread in pytest, not the main program
        consumer.start()
        try:
            status = _wait_for_export(web, export_id)
        finally:
            consumer.stop(graceful=True)
        assert status == ExportStatus.DONE
        archive = zipfile.ZipFile(tmp_path / "exports" / f"agreements-{token}.zip")
        assert "manifest.csv" in archive.namelist()
    finally:
        queue.flush()
        with web.app_context():
            db.engine.dispose()


def _wait_for_export(app: Flask, export_id: int, seconds: float = 20) -> ExportStatus:
    deadline = time.monotonic() + seconds
    while True:
        with app.app_context():
            row = db.session.get(AgreementExport, export_id)
            assert row is not None
            status = row.status
        if status != ExportStatus.RUNNING or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def test_the_progress_page_says_why_an_export_failed(
    app: Flask,
    client: FlaskClient,
    login: Callable[[User], FlaskClient],
    hr: User,
    make_agreement: Callable[..., Agreement],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(export_build, "write_zip", disk_full)
    make_agreement()
    app.config["EXPORT_INLINE_LIMIT"] = 0
    login(hr)
    progress = client.post("/agreements/export", data={}).headers["Location"]

    status = client.get(progress + "/status").json
    assert status["status"] == "failed" and "No space left on device" in status["error"]
    assert "No space left on device" in client.get(progress).text
