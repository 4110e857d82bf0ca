"""Importing activity all or nothing: a file's periods replace what its source said before.

``import_rows`` is the one way figures from a CRM are written, whatever brought the rows (a
CSV uploaded and previewed, the command line, later the API): it checks every row first and
writes nothing if any is bad. Then it compares the rows with what the source already holds for
the periods the rows cover, in one query: a row that says the same is left alone (importing
the same file twice changes nothing), a changed one is updated, a new one inserted, and a rep's
row the corrected file no longer has for a period it covers is deleted. Writes are bulk
statements, so 100,000 rows take seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from app.accounts.models import User
from app.errors import Invalid
from app.extensions import db
from app.metrics.models import (
    FIGURE_COLUMNS,
    ActivityFigure,
    ActivityImport,
    ActivitySource,
    Origin,
)
from app.metrics.parsing import RawRow
from app.metrics.service.access import require_import
from app.metrics.service.checking import Checked, CheckedRow, check_rows
from app.metrics.service.judging import judge_number_milestones
from app.metrics.service.summaries import refresh_summaries

_CHUNK = 5_000


class RowsRefused(Invalid):
    """Some rows are bad: nothing was imported. ``errors`` names each (the first few hundred)."""

    def __init__(self, checked: Checked) -> None:
        count = checked.error_count
        super().__init__(f"{count} row{'s' if count != 1 else ''} cannot be imported; nothing was.")
        self.errors = checked.errors
        self.error_count = count


@dataclass
class Changes:
    """What importing checked rows would do to the source's figures."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    unchanged: int = 0
    # Whose figures would change (a deleted row's rep too): their summaries are refreshed.
    reps: set[int] = field(default_factory=set)

    @property
    def summary(self) -> str:
        return (
            f"{len(self.inserts)} new, {len(self.updates)} replaced, "
            f"{len(self.deletes)} removed, {self.unchanged} unchanged"
        )


def check_for(
    source: ActivitySource,
    rows: Sequence[RawRow],
    today: date,
    progress: Callable[[int], None] | None = None,
) -> Checked:
    """``check_rows`` with the source's rules (how reps are named, days or weeks, date format)."""
    if not source.mapped:
        raise Invalid(f"The source {source.name} has no column mapping yet: map it first.")
    return check_rows(
        rows,
        rep_match=source.rep_match,
        period=source.period,
        date_format=source.date_format,
        today=today,
        progress=progress,
    )


def changes_for(source: ActivitySource, rows: Sequence[CheckedRow]) -> Changes:
    """Compare checked rows with the source's figures for the periods they cover: one query."""
    changes = Changes()
    if not rows:
        return changes
    covered = {row.period_start for row in rows}
    existing = {
        (found.rep_id, found.period_start): found
        # Core rows, not ORM ones: a hundred thousand plain tuples need no ORM.
        for found in db.session.connection().execute(
            select(ActivityFigure.id, ActivityFigure.rep_id, ActivityFigure.period_start)
            .add_columns(*(getattr(ActivityFigure, c) for c in FIGURE_COLUMNS))
            .where(
                ActivityFigure.source_id == source.id,
                ActivityFigure.period == source.period,
                ActivityFigure.period_start.between(min(covered), max(covered)),
            )
        )
        if found.period_start in covered
    }
    for row in rows:
        values = {column: row.values.get(column) for column in FIGURE_COLUMNS}
        found = existing.pop((row.rep_id, row.period_start), None)
        if found is not None and tuple(found[3:]) == tuple(values.values()):
            changes.unchanged += 1  # the usual case of a file imported again: one comparison
        elif found is None:
            changes.reps.add(row.rep_id)
            start = row.period_start
            week = {"week_start": start - timedelta(days=start.weekday())}
            changes.inserts.append({"rep_id": row.rep_id, "period_start": start, **week, **values})
        else:
            changes.reps.add(row.rep_id)
            changes.updates.append({"id": found.id, **values})
    changes.deletes = [found.id for found in existing.values()]  # covered, no longer in the file
    changes.reps.update(found.rep_id for found in existing.values())
    return changes


def apply_changes(source: ActivitySource, changes: Changes, import_id: int | None) -> None:
    """Write the changes as Core executemany statements, a few thousand rows at a time (the
    ORM's bulk paths cost more per row than the database does), then the summaries of the
    reps whose figures changed."""
    table = ActivityFigure.__table__
    stamp = {"updated_at": _now(), "import_id": import_id}
    fixed = {"origin": Origin.CRM, "source_id": source.id, "period": source.period, **stamp}
    for start in range(0, len(changes.inserts), _CHUNK):
        chunk = changes.inserts[start : start + _CHUNK]
        db.session.execute(insert(table), [{**fixed, **row} for row in chunk])
    by_id = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({column: bindparam(column) for column in (*FIGURE_COLUMNS, *stamp)})
    )
    for start in range(0, len(changes.updates), _CHUNK):
        chunk = changes.updates[start : start + _CHUNK]
        rows = [{**stamp, **row, "row_id": row["id"]} for row in chunk]
        db.session.execute(by_id, [{k: v for k, v in row.items() if k != "id"} for row in rows])
    for start in range(0, len(changes.deletes), _CHUNK):
        ids = changes.deletes[start : start + _CHUNK]
        db.session.execute(delete(table).where(table.c.id.in_(ids)))
    refresh_summaries(changes.reps)


def import_rows(
    actor: User | None,
    source: ActivitySource,
    rows: Sequence[RawRow],
    today: date,
    *,
    record: ActivityImport | None = None,
    progress: Callable[[int], None] | None = None,
) -> Changes:
    """Check every row, then import them all, or raise ``RowsRefused`` having written nothing.

    ``actor`` None is the command line (whoever runs it administers the server).
    """
    if actor is not None:
        require_import(actor)
    checked = check_for(source, rows, today, progress)
    if checked.error_count:
        raise RowsRefused(checked)
    changes = changes_for(source, checked.rows)
    apply_changes(source, changes, record.id if record is not None else None)
    judge_number_milestones(actor, {row.rep_id for row in checked.rows}, today)
    if record is not None:
        record.added, record.replaced = len(changes.inserts), len(changes.updates)
        record.removed, record.unchanged = len(changes.deletes), changes.unchanged
    return changes


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
