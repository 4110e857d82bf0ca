"""Storing the reps' judgements of the day (:mod:`.judgements` reads them back): a row per
rep, day and definition version, the older days' dropped, with the milestone facts judged
from the same rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.outcomes.models import OutcomeJudgement
from app.outcomes.ramp import MONTH_DAYS
from app.outcomes.service.definition import Definition
from app.outcomes.service.judging import OutcomeRow
from app.outcomes.service.milestonefacts import store_facts

KEPT_DAYS = 2
JUDGED = (
    OutcomeJudgement.stamp,
    OutcomeJudgement.start,
    OutcomeJudgement.role,
    OutcomeJudgement.first_meeting,
    OutcomeJudgement.first_opportunity,
    OutcomeJudgement.first_deal,
    OutcomeJudgement.ramped_month,
    OutcomeJudgement.attainments,
    OutcomeJudgement.score_tenths,
)


def store_judgements(
    rows: dict[int, OutcomeRow], stamps: dict[int, int], today: date, definition: Definition
) -> None:
    """Write these reps' judgements and milestone facts, dropping their older days' ones."""
    ids = sorted(stamps)
    values = [_stored(row, stamps[row.rep_id], today, definition) for row in rows.values()]
    table = OutcomeJudgement.__table__
    db.session.connection().execute(
        delete(table).where(table.c.rep_id.in_(ids), table.c.day < today - timedelta(KEPT_DAYS))
    )
    if values:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(table)
        replaced = {name: statement.excluded[name] for name in values[0] if name in _REPLACED}
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.rep_id, table.c.day, table.c.version], set_=replaced
        )
        db.session.connection().execute(statement, sorted(values, key=lambda v: v["rep_id"]))
    store_facts(rows, today, definition.version, KEPT_DAYS)


_REPLACED = frozenset(column.key for column in JUDGED)


def ramped_month_of(row: OutcomeRow) -> int | None:
    return row.ramped_day // MONTH_DAYS if row.ramped_day else None


def stored_shares(row: OutcomeRow) -> list[float] | None:
    """The attainments as stored: month 1 first."""
    attainments = row.attainments
    return None if attainments is None else [attainments[m] for m in sorted(attainments)]


def _stored(row: OutcomeRow, stamp: int, today: date, definition: Definition) -> dict[str, Any]:
    return {
        "rep_id": row.rep_id,
        "day": today,
        "version": definition.version,
        "stamp": stamp,
        "start": row.start,
        "role": row.role,
        "first_meeting": row.first_meeting,
        "first_opportunity": row.first_opportunity,
        "first_deal": row.first_deal,
        "ramped_month": ramped_month_of(row),
        "attainments": stored_shares(row),
        "score_tenths": row.score_tenths,
    }
