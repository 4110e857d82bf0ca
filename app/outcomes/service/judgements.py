"""The outcomes of many reps, read from their stored judgements (``outcome_judgements``) and
judged afresh only for the reps whose judgement is missing or stale.

A judgement is keyed by the rep, the day judged for and the definition's version, and holds
the stamp the rep had when it was judged (:mod:`app.outcomes.service.stamps` bumps it with every
write of what the outcomes are judged from). One query reads the reps with their stamp now and
today's judgement; the few without a valid one (after a write, or the first read of the day)
are judged from the raw rows by :func:`gather` and :func:`outcome_of`, and their judgements
written, with the stamp read *before* their figures were, so a judgement can only ever be
stale-marked, never stale-and-trusted. A rep's judgements of older days are dropped then.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    Integer,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from app.accounts.models import User
from app.extensions import db
from app.outcomes.cohorts import RepRamp, cohort_of
from app.outcomes.models import OutcomeJudgement, OutcomeStamp
from app.outcomes.ramp import MONTH_DAYS, month_last_day, ramp_day
from app.outcomes.service.definition import Definition
from app.outcomes.service.gathering import derived, gather
from app.outcomes.service.judging import OutcomeRow, outcome_of
from app.outcomes.service.storing import (
    JUDGED,
    ramped_month_of,
    store_judgements,
    stored_shares,
)
from app.transaction import remembered

# Judgements of a day this far back are kept for viewers in other time zones, then dropped.
# The reps judged in this transaction whose judgements could not be stored.
_UNSTORED = "outcomes.unstored_judgements"
# The columns each reader asks of the judgements, built once (so are the statements reading
# them, per reps query: see :func:`derived`). The attainments as stored text, decoded here
# (many at once, see :func:`decoded_all`): SQLAlchemy's JSON type costs more, and a CAST, not
# a mere type_coerce, since psycopg would decode a json column's thousand values one by one.
_SHARES_TEXT = cast(OutcomeJudgement.attainments, Text)
_LINE_COLUMNS = (*JUDGED[:7], _SHARES_TEXT, JUDGED[8])
_RAMP_COLUMNS = (*JUDGED[:3], JUDGED[6], OutcomeJudgement.attainments.is_not(None))
_RAMPED_COLUMNS = (*JUDGED[:3], JUDGED[6], _SHARES_TEXT)
_RAMPED = OutcomeJudgement.ramped_month.is_not(None)
_NOBODY = false()


def judged_rows(reps: Select[Any], today: date, definition: Definition | None) -> list[OutcomeRow]:
    """The outcomes of every rep of ``reps`` (a :func:`reps_query`), in its order."""
    if definition is None:  # nothing to judge against: no targets, no score
        found = gather(reps, today, (), plans=False, funnel=False)
        return [outcome_of(rep, None, today, scored=False) for rep in found]
    rows, fresh = _read(reps, today, definition, "lines", _LINE_COLUMNS)
    return [fresh[row[0]] if row[0] in fresh else _row_of(row, today) for row in rows]


# A rep's judged line, as narrow as the outcomes page needs: rep id, name, team, start, role,
# the ramp days of the three firsts, the ramp month they ramped in, their attainments (stored
# JSON text, or a list when judged afresh) and their score x 10.
Line = tuple[Any, ...]


def judged_lines(
    reps: Select[Any],
    today: date,
    definition: Definition | None,
    params: Mapping[str, Any] | None = None,
) -> list[Line]:
    """Every rep of ``reps`` as a :data:`Line`, in its order: the outcomes page sorts and
    counts a thousand of these and builds an :class:`OutcomeRow` for one page only.
    ``params``: those ``reps`` binds (the page's, per team; only with a ``definition``)."""
    if definition is None:
        return [_line_of(row) for row in judged_rows(reps, today, definition)]
    rows, fresh = _read(reps, today, definition, "lines", _LINE_COLUMNS, params=params)
    return [_line_of(fresh[row[0]]) if row[0] in fresh else (*row[:5], *row[10:]) for row in rows]


def _line_of(row: OutcomeRow) -> Line:
    """A line of a rep judged afresh, as their stored judgement would read."""
    return (
        row.rep_id,
        row.full_name,
        row.team,
        row.start,
        row.role,
        row.first_meeting,
        row.first_opportunity,
        row.first_deal,
        ramped_month_of(row),
        stored_shares(row),
        row.score_tenths,
    )


def decoded_all(shares: Sequence[str | list[float]]) -> list[list[float]]:
    """Many stored attainments decoded at once (one JSON document instead of a thousand)."""
    texts = [value for value in shares if isinstance(value, str)]
    decoded = iter(json.loads(f"[{','.join(texts)}]") if texts else ())
    return [next(decoded) if isinstance(value, str) else value for value in shares]


def line_row(line: Line, today: date) -> OutcomeRow:
    """A rep's line on the page from their judged :data:`Line` (name and team as they are now)."""
    rep_id, name, team, start, role, meeting, opportunity, deal, month, shares, tenths = line
    ramped_on = month_last_day(start, month) if start and month else None
    return OutcomeRow(
        rep_id=rep_id,
        full_name=name,
        team=team,
        role=role,
        start=start,
        cohort=month_cohort(start) if start else None,
        day=ramp_day(start, today) if start else None,
        first_meeting=meeting,
        first_opportunity=opportunity,
        first_deal=deal,
        ramped_on=ramped_on,
        ramped_day=month * MONTH_DAYS if ramped_on else None,
        attainments=None if shares is None else dict(enumerate(_decoded(shares), start=1)),
        score_tenths=tenths,
    )


def judged_ramps(
    reps: Select[Any],
    today: date,
    definition: Definition,
    params: Mapping[str, Any] | None = None,
) -> tuple[list[RepRamp], list[date]]:
    """When each rep of ``reps`` with a start and targets ramped, and every rep's start (the
    dashboard's summary, the drivers page): the same judgements, no attainments decoded.
    ``params``: those of ``reps``, a statement built once (the dashboard's, per team)."""
    _rows, ramps, starts = _ramps(reps, today, definition, params)
    return ramps, starts


def fingerprinted_ramps_by(
    reps: Select[Any],
    today: date,
    definition: Definition,
    params: Mapping[str, Any],
    group_of: Mapping[int, int],
) -> dict[int, tuple[list[RepRamp], list[date], int | None]]:
    """Per group of the reps of ``reps`` (``group_of``: each rep's, their team for the
    drivers page's kept shares): the ramps of those with a start and targets, every start,
    and a fingerprint of the reps as read (:func:`_fingerprint`, which groups add up). The
    same fingerprint, the same stored judgements and milestone facts; None when one of them
    was judged afresh but could not be stored (their facts are not). ``params``: those ``reps``
    binds."""
    rows, ramps, _starts = _ramps(reps, today, definition, params)
    rows_of: dict[int, list[Any]] = {}
    for row in rows:
        rows_of.setdefault(group_of[row[0]], []).append(row)
    ramps_of: dict[int, list[RepRamp]] = {}
    for ramp in ramps:
        ramps_of.setdefault(group_of[ramp.rep_id], []).append(ramp)
    return {
        group: (
            ramps_of.get(group, []),
            [row[3] for row in found if row[3] is not None],
            _fingerprint(found),
        )
        for group, found in rows_of.items()
    }


def _ramps(
    reps: Select[Any],
    today: date,
    definition: Definition,
    params: Mapping[str, Any] | None = None,
) -> tuple[list[Any], list[RepRamp], list[date]]:
    """The reps' rows as read, the ramps of those with a start and targets, and every start.
    Only the drivers page needs the rows' fingerprint: the dashboard's summary skips it."""
    rows, fresh = _read(reps, today, definition, "ramps", _RAMP_COLUMNS, params=params)
    ramps = []
    for row in rows:
        if row[0] in fresh:
            judged = fresh[row[0]]
            if judged.start is not None and judged.attainments is not None:
                ramps.append(RepRamp(judged.rep_id, judged.start, judged.ramped_day))
        elif row[3] is not None and row[11]:
            ramps.append(RepRamp(row[0], row[3], row[10] * MONTH_DAYS if row[10] else None))
    return rows, ramps, [row[3] for row in rows if row[3] is not None]


def _unstored() -> set[int]:
    """The reps judged in this transaction whose judgements could not be stored."""
    found: set[int] = remembered(_UNSTORED, set)
    return found


FINGERPRINT_MODULUS = 2**256


def _fingerprint(rows: Sequence[Any]) -> int | None:
    """The sum of each rep's hash (of their id, stamp, start and role), modulo
    :data:`FINGERPRINT_MODULUS`: the same for the same reps however they are grouped, so the
    groups' fingerprints add up to the fingerprint of their reps together."""
    unstored = _unstored()
    if unstored and any(row[0] in unstored for row in rows):
        return None
    total = 0
    for row in rows:
        rep = f"{row[0]} {row[6]} {row[3]} {row[4]}".encode()
        total += int.from_bytes(hashlib.blake2b(rep, digest_size=32).digest(), "big")
    return total % FINGERPRINT_MODULUS


def ramped_attainments(
    reps: Select[Any],
    today: date,
    definition: Definition,
    params: Mapping[str, Any] | None = None,
) -> dict[int, dict[int, float]]:
    """Each ramped rep's attainment by ended month (the peers' median on a rep's numbers):
    only theirs are decoded. ``params`` are the values of the parameters ``reps`` binds."""
    # Only the stale and the ramped come back: a fifth of the role's reps, not every one.
    rows, fresh = _read(reps, today, definition, "ramped", _RAMPED_COLUMNS, _RAMPED, params)
    found = {}
    stored = []
    for row in rows:
        if row[0] in fresh:
            judged = fresh[row[0]]
            if judged.ramped_on and judged.attainments:
                found[judged.rep_id] = judged.attainments
        elif row[3] is not None and row[10] and row[11] is not None:
            stored.append(row)
    for row, shares in zip(stored, decoded_all([row[11] for row in stored]), strict=True):
        if shares:
            found[row[0]] = dict(enumerate(shares, start=1))
    return found


def judge_stale(reps: Select[Any], today: date, definition: Definition) -> int:
    """Judge the reps of ``reps`` whose judgement of ``today`` is missing or stale (the
    worker's warm-up); how many were judged."""
    _rows, fresh = _read(reps, today, definition, "stale", JUDGED[:3], _NOBODY)
    return len(fresh)


def _read(
    reps: Select[Any],
    today: date,
    definition: Definition,
    kind: str,
    columns: Sequence[Any],
    also: ColumnElement[bool] | None = None,
    params: Mapping[str, Any] | None = None,
) -> tuple[list[Any], dict[int, OutcomeRow]]:
    """The reps with their stamp now and ``columns`` of today's judgement (stamp, start and
    role first), and the reps judged afresh because theirs was missing or stale. With
    ``also``, only the reps whose judgement is missing or stale, or meets ``also``.
    ``kind`` names the columns and ``also`` (the statement is kept per ``reps`` and kind)."""

    def build() -> Select[Any]:
        stamp = func.coalesce(OutcomeStamp.stamp, 0)
        fenced = _fenced(reps) if db.session.get_bind().dialect.name == "postgresql" else None
        rep_id: Any  # the ORM attribute, or the CTE's column
        if fenced is None:
            selected, rep_id, query = list(reps.selected_columns), User.id, reps
        else:
            kept, order = fenced
            selected, rep_id = list(kept.c), kept.c[0]
            query = select(*kept.c).select_from(kept).order_by(*order)
        judged = and_(
            OutcomeJudgement.rep_id == rep_id,
            OutcomeJudgement.day == bindparam("judged_day", type_=Date),
            OutcomeJudgement.version == bindparam("judged_version", type_=Integer),
        )
        query = (
            query.add_columns(stamp, *columns)
            .outerjoin(OutcomeStamp, OutcomeStamp.rep_id == rep_id)
            .outerjoin(OutcomeJudgement, judged)
        )
        if also is not None:
            # The test below in SQL (IS NOT: a missing start or role equals a missing one).
            start, role = selected[3], selected[4]
            outdated = or_(
                OutcomeJudgement.stamp.is_(None),
                OutcomeJudgement.stamp != stamp,
                OutcomeJudgement.start.is_distinct_from(start),
                OutcomeJudgement.role.is_distinct_from(role),
            )
            query = query.where(or_(outdated, also))
        return query

    given = {**(params or {}), "judged_day": today, "judged_version": definition.version}
    query = derived(reps, ("judged", kind), build)
    db.session.flush()  # the Core read below does not flush what the session holds
    # Core rows: a thousand plain tuples.
    rows = list(db.session.connection().execute(query, given).all())
    stale = {
        row[0]: row[6]
        for row in rows
        if row[7] is None or row[7] != row[6] or row[8] != row[3] or row[9] != row[4]
    }
    return rows, _judge(reps, stale, today, definition, params) if stale else {}


def _fenced(reps: Select[Any]) -> tuple[CTE, list[Any]] | None:
    """``reps`` as a materialized CTE, and its order over the CTE's columns (None when an
    ordering term is not one of its columns).

    PostgreSQL plans each statement as it runs (``force_custom_plan``), as it does on every
    view after a write, and the reps' joins with the stamps and the judgements, planned as
    one, cost it twice what the reps and those two joins cost planned apart (about 1 ms
    against 0.5). SQLite has no such cost, and reads the statement as it was.
    """
    kept = reps.order_by(None).cte("reps").prefix_with("MATERIALIZED")
    order = []
    for term in reps._order_by_clauses:
        found = [c for s, c in zip(reps.selected_columns, kept.c, strict=True) if term.compare(s)]
        if not found:
            return None
        order.append(found[0])
    return kept, order


def _decoded(shares: str | list[float]) -> list[float]:
    """Stored attainments as read (text, cast so on PostgreSQL), or a list judged afresh."""
    return json.loads(shares) if isinstance(shares, str) else shares


@functools.lru_cache(maxsize=4096)
def month_cohort(start: date) -> str:
    """A start month's label: a thousand reps share a few hundred start dates."""
    return cohort_of(start, "month")


def _row_of(row: Sequence[Any], today: date) -> OutcomeRow:
    """A rep's line from their stored judgement (their name and team as they are now)."""
    return line_row((*row[:5], *row[10:]), today)


def _judge(
    reps: Select[Any],
    stamps: dict[int, int],
    today: date,
    definition: Definition,
    params: Mapping[str, Any] | None,
) -> dict[int, OutcomeRow]:
    """Judge these reps from the raw rows and store their judgements (five queries)."""
    ids = sorted(stamps)
    stale = reps.where(User.id.in_(ids))
    found = gather(stale, today, definition.target_metrics, funnel=False, params=params)
    rows = {rep.rep_id: outcome_of(rep, definition, today) for rep in found}
    try:
        # In a savepoint: storing is a cache's work, done by a read, so it must never fail it.
        with db.session.begin_nested():
            store_judgements(rows, stamps, today, definition)
    except (OperationalError, IntegrityError):
        # Another writer kept the database past its busy timeout (SQLite's "database is
        # locked"), or a lock wait failed on PostgreSQL: the page shows what was judged, and
        # the next read (or the worker's warm-up) stores it.
        _unstored().update(ids)
    return rows
