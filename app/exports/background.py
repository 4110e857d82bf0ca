"""Large exports in the job queue: queued by the page, written by the worker with progress.

The request only checks that the actor may read the table and records what to write; the job
reads the rows as that person, writes the file to ``EXPORT_DIR`` and reports its progress
every few hundred rows, for the progress page. A job that fails is retried by the queue; the
last failure is kept on the row and shown. A worker that dies mid-way leaves the row quiet:
the sweep queues it again, or fails it after too many attempts.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app

from app.accounts.models import User
from app.errors import Conflict, NotFound
from app.exports.models import TableExport, TableExportStatus
from app.exports.registry import Table, export_named
from app.exports.writing import csv_chunks, xlsx_bytes
from app.extensions import db
from app.jobs import Attempt, commit_progress, enqueue_after_commit, sweep_stale

EXPORT_JOB = "exports.write"
PROGRESS_EVERY = 500
FORMATS = ("csv", "xlsx")


def start_export(actor: User, name: str, fmt: str, args: Mapping[str, str], today: date) -> str:
    """Record a background export (after checking the actor may read it); its token."""
    export = export_named(name)
    if fmt not in FORMATS:
        raise NotFound("Exports are CSV or Excel (.xlsx).")
    export.check(actor)
    row = TableExport(
        token=secrets.token_urlsafe(24),
        requested_by_id=actor.id,
        name=name,
        fmt=fmt,
        args={key: value for key, value in args.items() if key not in ("page", "per_page")},
        as_of=datetime.combine(today, datetime.min.time()),
        created_at=_now(),
    )
    db.session.add(row)
    db.session.flush()
    enqueue_after_commit(EXPORT_JOB, row.id)
    return row.token


def page_of(actor: User, name: str, fmt: str) -> str:
    """The endpoint of the page a table's export mirrors, for whoever may read that table."""
    export = export_named(name)
    if fmt not in FORMATS:
        raise NotFound("Exports are CSV or Excel (.xlsx).")
    export.check(actor)
    return export.page


def get_export(actor: User, token: str) -> TableExport:
    """A background export, for the person who asked for it only (404 for anyone else)."""
    found = db.session.query(TableExport).filter_by(token=token[:64]).one_or_none()
    if found is None or found.requested_by_id != actor.id:
        raise NotFound("There is no such export.")
    return found


def finished_file(actor: User, token: str) -> tuple[Path, TableExport]:
    row = get_export(actor, token)
    if row.status != TableExportStatus.DONE:
        raise Conflict("The export is not ready yet.")
    return Path(current_app.config["EXPORT_DIR"]) / row.file_name, row


def write_export(export_id: int, *, attempt: Attempt) -> None:
    """The job: read the rows as the requester, write the file, report progress."""
    row = db.session.get(TableExport, export_id)
    if row is None or row.status != TableExportStatus.RUNNING:
        return
    requester = db.session.get(User, row.requested_by_id)
    assert requester is not None  # the row is deleted with its requester
    commit_progress(TableExport, export_id, attempts=row.attempts + 1, heartbeat_at=_now())
    export = export_named(row.name)
    try:
        table = export.build(requester, row.args, row.as_of.date())
        rows = list(table.rows)
        commit_progress(TableExport, export_id, total=len(rows), done=0, heartbeat_at=_now())
        counted = Table(table.columns, _reporting(export_id, rows))
        file_name = f"{row.name}-{row.as_of:%Y-%m-%d}-{row.token[:8]}.{row.fmt}"
        _write(Path(current_app.config["EXPORT_DIR"]) / file_name, counted, export.title, row.fmt)
    except Exception as error:
        db.session.rollback()
        message = f"{type(error).__name__}: {error}"[:500]
        if attempt.last:
            _finish(export_id, status=TableExportStatus.FAILED, error=message)
            return
        commit_progress(TableExport, export_id, error=f"Attempt {attempt.number} failed; retrying.")
        raise
    _finish(export_id, status=TableExportStatus.DONE, done=len(rows), file_name=file_name, error="")


def _reporting(export_id: int, rows: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for count, line in enumerate(rows, start=1):
        yield line
        if count % PROGRESS_EVERY == 0:
            commit_progress(TableExport, export_id, done=count, heartbeat_at=_now())


def _write(path: Path, table: Table, title: str, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    if fmt == "csv":
        with partial.open("w", encoding="utf-8", newline="") as out:
            _write_chunks(out, csv_chunks(table))
    else:
        partial.write_bytes(xlsx_bytes(table, title))
    partial.replace(path)  # a download never sees half a file


def _write_chunks(out: Any, chunks: Iterable[str]) -> None:
    for chunk in chunks:
        out.write(chunk)


def sweep_unfinished(stale_after: timedelta, max_attempts: int) -> tuple[int, int]:
    return sweep_stale(
        TableExport,
        (TableExportStatus.RUNNING,),
        EXPORT_JOB,
        stale_after,
        max_attempts,
        {"status": TableExportStatus.FAILED, "error": "Interrupted too many times."},
    )


def _finish(export_id: int, **values: Any) -> None:
    commit_progress(TableExport, export_id, finished_at=_now(), **values)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
