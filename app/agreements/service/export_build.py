"""Large exports, built by the job worker: queued after commit, retried, never left running.

``export_selection`` answers a small selection at once and records a large one as an
``AgreementExport`` row whose job is queued once the request commits (``app.jobs``).
``build_export`` is that job: it marks each attempt and its progress on the row (a heartbeat),
writes the ZIP to a ``.part`` file renamed when complete, and on its last attempt records the
failure on the row for the progress page. A worker killed mid-export loses the job, so
``sweep_interrupted_exports`` (when a worker starts, and every minute) queues again an export
with no heartbeat for ``JOB_STALE_SECONDS``, or marks it failed once its attempts are spent.
"""

from __future__ import annotations

import io
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app

from app.accounts.models import User
from app.agreements.audit import now
from app.agreements.models import AgreementExport, ExportStatus
from app.agreements.service.access import require_manage
from app.agreements.service.export import export_path, selection, write_zip
from app.agreements.service.finding import AgreementFilters
from app.extensions import db
from app.jobs import Attempt, commit_progress, enqueue_after_commit, sweep_stale
from app.security import service as security
from app.security.models import EventKind

BUILD_JOB = "agreements.build_export"
INTERRUPTED = "The export was interrupted (its worker stopped) and could not be finished."


@dataclass(frozen=True)
class InlineExport:
    """A selection small enough to build during the request: the ZIP to download now."""

    data: bytes
    name: str


def export_selection(
    actor: User, filters: AgreementFilters, inline_limit: int
) -> InlineExport | AgreementExport:
    """Up to ``inline_limit`` agreements as a ZIP at once; more as a job for the worker.

    The job is queued once the request commits, so that the worker finds the job's row.
    """
    ids = selection(actor, filters)
    security.record(EventKind.EXPORT, actor=actor, detail=f"agreements: {len(ids)} in a ZIP")
    if len(ids) <= inline_limit:
        buffer = io.BytesIO()
        write_zip(ids, buffer)
        return InlineExport(buffer.getvalue(), f"agreements-{now():%Y%m%d-%H%M%S}.zip")
    return start_export(actor, ids)


def start_export(actor: User, ids: Sequence[int]) -> AgreementExport:
    """Record an export to build in the background; its job is queued when the caller commits."""
    require_manage(actor)
    job = AgreementExport(
        token=secrets.token_urlsafe(24),
        requested_by_id=actor.id,
        agreement_ids=list(ids),
        status=ExportStatus.RUNNING,
        total=len(ids),
        done=0,
        file_name="",
        error="",
        created_at=now(),
        attempts=0,
    )
    db.session.add(job)
    db.session.flush()
    enqueue_after_commit(BUILD_JOB, job.id)
    return job


def build_export(export_id: int, *, attempt: Attempt) -> None:
    """The job: build the ZIP for one export, committing progress as it goes."""
    job = db.session.get(AgreementExport, export_id)
    if job is None or job.status != ExportStatus.RUNNING:
        return  # finished by an earlier attempt, or given up on by the sweep
    ids, directory = list(job.agreement_ids), Path(current_app.config["EXPORT_DIR"])
    target = export_path(directory, job)
    _update(export_id, attempts=AgreementExport.attempts + 1, heartbeat_at=now())

    def progress(done: int) -> None:
        _update(export_id, done=done, heartbeat_at=now())

    # Each attempt writes a file of its own: a stalled earlier attempt may still be writing.
    partial = target.with_name(f"{target.stem}.{secrets.token_hex(4)}.part")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _remove_stale(directory)
        with partial.open("wb") as stream:
            write_zip(ids, stream, progress)
        partial.replace(target)
    except Exception as exc:  # record it for the progress page, then let the queue retry
        db.session.rollback()
        partial.unlink(missing_ok=True)
        message = f"{type(exc).__name__}: {exc}"[:500]
        if attempt.last:
            _update(export_id, status=ExportStatus.FAILED, error=message, finished_at=now())
        else:
            _update(export_id, error=f"Attempt {attempt.number} failed ({message}); retrying.")
        raise
    _update(export_id, status=ExportStatus.DONE, done=len(ids), error="", finished_at=now())


def sweep_interrupted_exports(stale_after: timedelta, max_attempts: int) -> tuple[int, int]:
    """Queue again, or fail, exports left running with no sign of life; (requeued, failed)."""
    failed = {"status": ExportStatus.FAILED, "error": INTERRUPTED}
    running = [ExportStatus.RUNNING]
    return sweep_stale(AgreementExport, running, BUILD_JOB, stale_after, max_attempts, failed)


def _remove_stale(directory: Path, max_age: timedelta = timedelta(days=1)) -> None:
    """Export ZIPs are for downloading now, not for keeping: drop those older than a day."""
    cutoff = time.time() - max_age.total_seconds()
    for old in directory.glob("agreements-*.*"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _update(export_id: int, **values: Any) -> None:
    commit_progress(AgreementExport, export_id, **values)
