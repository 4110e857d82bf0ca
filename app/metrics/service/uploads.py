"""A CSV export from upload to import: preview first, then a job imports it all or nothing.

The request stores the file on an ``ActivityImport`` row and previews it (the mapping, the
first rows as read, every bad row, and what importing would change); confirming queues
``run_import``, which checks the rows again (committing its progress as it goes, for the
progress page) and then writes every figure in one transaction, or none. The command line
imports a file in one go through the same functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.accounts.models import User
from app.errors import Conflict, DomainError, Invalid, NotFound
from app.extensions import db
from app.jobs import Attempt, commit_progress, enqueue_after_commit, sweep_stale
from app.metrics.models import ActivityImport, ActivitySource, ImportStatus
from app.metrics.parsing import CsvFile, RawRow, missing_columns, raw_rows, read_csv
from app.metrics.service.access import require_import
from app.metrics.service.checking import Checked
from app.metrics.service.importing import (
    Changes,
    RowsRefused,
    changes_for,
    check_for,
    import_rows,
)
from app.metrics.service.sources import (
    column_map,
    ensure_source,
    proposed_mapping,
    save_mapping,
)

IMPORT_JOB = "metrics.import"
INTERRUPTED = "The import was interrupted (its worker stopped) and could not be finished."
PREVIEW_ROWS = 10
_UNFINISHED = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def upload(actor: User, source_name: str, filename: str, data: bytes) -> ActivityImport:
    """Keep an uploaded export for its preview; the source is made if new (unmapped)."""
    require_import(actor)
    source = ensure_source(actor, source_name)
    try:
        csv_file = read_csv(data)
    except ValueError as error:
        raise Invalid(str(error), field="file") from None
    record = ActivityImport(
        source_id=source.id,
        requested_by_id=actor.id,
        filename=filename[:255] or "activity.csv",
        sha256=hashlib.sha256(data).hexdigest(),
        content=_as_text(data),
        status=ImportStatus.PREVIEW,
        total_rows=len(csv_file.rows),
        checked_rows=0,
        errors=[],
        created_at=_now(),
    )
    db.session.add(record)
    db.session.flush()
    return record


def _as_text(data: bytes) -> str:
    """The file as text, in the encoding ``read_csv`` understood."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def get_import(actor: User, import_id: int) -> ActivityImport:
    """An import, for HR and admins; 404 for an unknown id."""
    require_import(actor)
    record = db.session.get(ActivityImport, import_id, populate_existing=True)  # the job writes
    if record is None:
        raise NotFound("There is no such import.")
    return record


def recent_imports(actor: User, limit: int = 20) -> list[ActivityImport]:
    require_import(actor)
    return list(
        db.session.scalars(select(ActivityImport).order_by(ActivityImport.id.desc()).limit(limit))
    )


def headers_of(record: ActivityImport) -> list[str]:
    return read_csv(record.content).headers


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    problems: list[str]  # about the whole file: a mapped column it does not have
    sample: list[RawRow]
    checked: Checked | None
    changes: Changes | None
    same_file_on: datetime | None  # when this very file was last imported into this source

    @property
    def importable(self) -> bool:
        return not self.problems and self.checked is not None and not self.checked.error_count


def preview(actor: User, record: ActivityImport, today: date) -> Preview:
    """What importing the file would do, without writing a figure."""
    require_import(actor)
    source = record.source
    csv_file = read_csv(record.content)
    same = _same_file_imported(record)
    problems = missing_columns(csv_file.headers, column_map(source))
    if problems:
        return Preview(csv_file.headers, problems, [], None, None, same)
    rows = raw_rows(csv_file, column_map(source))
    checked = check_for(source, rows, today)
    changes = None if checked.error_count else changes_for(source, checked.rows)
    return Preview(csv_file.headers, [], rows[:PREVIEW_ROWS], checked, changes, same)


def _same_file_imported(record: ActivityImport) -> datetime | None:
    return db.session.scalar(
        select(ActivityImport.finished_at)
        .where(
            ActivityImport.source_id == record.source_id,
            ActivityImport.sha256 == record.sha256,
            ActivityImport.status == ImportStatus.DONE,
            ActivityImport.id != record.id,
        )
        .order_by(ActivityImport.finished_at.desc())
        .limit(1)
    )


def start_import(actor: User, record: ActivityImport, today: date) -> None:
    """Queue the previewed file's import; its job runs once the request commits. Once only:
    a second click finds it queued already."""
    require_import(actor)
    claimed = db.session.execute(
        ActivityImport.__table__.update()
        .where(
            ActivityImport.id == record.id,
            ActivityImport.status == ImportStatus.PREVIEW,
        )
        .values(status=ImportStatus.QUEUED, as_of=today, requested_by_id=actor.id)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        db.session.refresh(record)
        if record.status in _UNFINISHED or record.status is ImportStatus.DONE:
            return  # a repeated click: the first one queued it
        raise Conflict("This import has finished; upload the file again to import it again.")
    if not record.source.mapped:
        raise Conflict("Map the source's columns before importing.")
    enqueue_after_commit(IMPORT_JOB, record.id)


def run_import(import_id: int, *, attempt: Attempt) -> None:
    """The job: check every row (with progress), then import all of them or none."""
    record = db.session.scalar(
        select(ActivityImport)
        .where(ActivityImport.id == import_id)
        .options(undefer(ActivityImport.content))
    )
    if record is None or record.status not in _UNFINISHED:
        return  # finished by an earlier attempt, or given up on by the sweep
    _update(import_id, status=ImportStatus.RUNNING, attempts=ActivityImport.attempts + 1)
    source = db.session.get_one(ActivitySource, record.source_id)
    try:
        csv_file = read_csv(record.content)
        problems = missing_columns(csv_file.headers, column_map(source))
        if problems:
            return _refused(import_id, problems, len(problems))
        rows = raw_rows(csv_file, column_map(source))
        today = record.as_of or _now().date()
        actor = db.session.get(User, record.requested_by_id) if record.requested_by_id else None
        import_rows(actor, source, rows, today, record=record, progress=_progress_of(import_id))
    except RowsRefused as refused:
        db.session.rollback()
        return _refused(import_id, refused.errors, refused.error_count)
    except DomainError as refusal:  # no retry can change it: the requester lost the right
        db.session.rollback()
        return _refused(import_id, [refusal.message], 1)
    except Exception as exc:  # a crash: the queue retries; nothing was written
        db.session.rollback()
        message = f"{type(exc).__name__}: {exc}"[:500]
        if attempt.last:
            _refused(import_id, [message], 1)
        raise
    record.status, record.finished_at, record.content = ImportStatus.DONE, _now(), ""
    record.checked_rows, record.heartbeat_at = len(rows), _now()
    db.session.commit()  # the figures and the outcome together


def _progress_of(import_id: int) -> Callable[[int], None]:
    """Progress is written in its own commit while nothing else is pending (rows are checked
    before anything is written)."""
    return lambda done: _update(import_id, checked_rows=done)


def _refused(import_id: int, errors: list[str], count: int) -> None:
    _update(
        import_id,
        status=ImportStatus.FAILED,
        errors=errors,
        error_count=count,
        finished_at=_now(),
        content="",
    )


def _update(import_id: int, **values: object) -> None:
    commit_progress(ActivityImport, import_id, heartbeat_at=_now(), **values)


def sweep_interrupted_imports(stale_after: timedelta, max_attempts: int) -> tuple[int, int]:
    """Queue again, or fail, imports left unfinished with no sign of life."""
    failed = {"status": ImportStatus.FAILED, "errors": [INTERRUPTED], "error_count": 1}
    return sweep_stale(ActivityImport, _UNFINISHED, IMPORT_JOB, stale_after, max_attempts, failed)


def import_file(
    source_name: str,
    filename: str,
    data: bytes,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> tuple[ActivityImport, Changes]:
    """The command line's import: the same checks and writes, in the caller's transaction.

    A source without a mapping takes the CRM's own (HubSpot, Salesforce) when the file's
    column names are that CRM's. Raises ``Invalid`` (``RowsRefused`` for bad rows).
    """
    source = ensure_source(None, source_name)
    try:
        csv_file: CsvFile = read_csv(data)
    except ValueError as error:
        raise Invalid(str(error)) from None
    if not source.mapped:
        _adopt_preset(source, csv_file.headers)
    problems = missing_columns(csv_file.headers, column_map(source))
    if problems:
        raise Invalid(" ".join(problems))
    record = ActivityImport(
        source_id=source.id,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        content="",
        status=ImportStatus.RUNNING,
        total_rows=len(csv_file.rows),
        errors=[],
        as_of=today,
        created_at=_now(),
    )
    db.session.add(record)
    db.session.flush()
    rows = raw_rows(csv_file, column_map(source))
    changes = import_rows(None, source, rows, today, record=record, progress=progress)
    record.status, record.finished_at, record.checked_rows = ImportStatus.DONE, _now(), len(rows)
    db.session.flush()
    return record, changes


def _adopt_preset(source: ActivitySource, headers: list[str]) -> None:
    choice = proposed_mapping(source, headers)
    if not (choice.rep_column and choice.date_column and choice.columns):
        raise Invalid(
            f"The source {source.name} has no column mapping yet and its columns are not "
            "HubSpot's or Salesforce's: map them once on the Import activity page."
        )
    save_mapping(None, source, choice)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
