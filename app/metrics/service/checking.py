"""Checking rows before anything is written: every bad row named by number and reason.

All the reps a file names are found in one query (by email, or by full name for CRMs that
export the owner's name); each row is then checked in Python: a known rep, readable numbers,
a readable date that is not in the future, and one row per rep per period.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.accounts.models import Role, User, UserRole
from app.extensions import db
from app.metrics.catalogue import BY_KEY, METRICS, Period, RepMatch, Unit
from app.metrics.parsing import RawRow, parse_day, parse_value, period_start, period_words

# Enough to put a file right; the count says how many more there are.
KEPT_ERRORS = 500
PROGRESS_EVERY = 10_000
# Metrics counted in whole numbers (not money or durations): key -> column.
COUNTED = {m.key: m.column for m in METRICS if m.unit is Unit.COUNT}


@dataclass(frozen=True)
class CheckedRow:
    number: int
    rep_id: int
    period_start: date
    values: dict[str, int | None]  # column of ``activity_figures`` -> value


@dataclass
class Checked:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the first KEPT_ERRORS
    error_count: int = 0

    def refuse(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append(message)


def check_rows(
    rows: Sequence[RawRow],
    *,
    rep_match: RepMatch,
    period: Period,
    date_format: str,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> Checked:
    """Every row checked; ``checked.rows`` holds the good ones, ``errors`` the bad ones."""
    reps = _reps_named({row.rep.strip() for row in rows}, rep_match)
    checked = Checked()
    first_row: dict[tuple[int, date], int] = {}
    for done, row in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        problems: list[str] = []
        rep_key = row.rep.strip()
        rep_id = reps.get(_folded(rep_key, rep_match))
        if not rep_key:
            problems.append("no rep (the rep's column is empty)")
        elif rep_id is None:
            problems.append(f"unknown rep '{rep_key}' ({_not_found(rep_match)})")
        elif rep_id == AMBIGUOUS:
            problems.append(f"two reps are called '{rep_key}': map the email column instead")
        start = None
        try:
            day = parse_day(row.day, date_format)
            start = period_start(day, period)
            if start > today:
                problems.append(f"{period_words(start, period)} is in the future")
        except ValueError as error:
            problems.append(str(error))
        values: dict[str, int | None] = {}
        for metric, raw in row.values.items():
            column = COUNTED.get(metric)
            # The usual cell, a small whole number of a count, read without a call.
            if column is not None and type(raw) is str and raw.isdigit() and len(raw) < 10:
                values[column] = int(raw)
                continue
            try:
                values[BY_KEY[metric].column] = parse_value(metric, raw)
            except ValueError as error:
                problems.append(f"{BY_KEY[metric].label} {error} ('{raw}')")
        if rep_id is not None and rep_id != AMBIGUOUS and start is not None:
            earlier = first_row.setdefault((rep_id, start), row.number)
            if earlier != row.number:
                problems.append(
                    f"a second row for {rep_key}, {period_words(start, period)} "
                    f"(a duplicate period: also row {earlier})"
                )
        if problems:
            checked.refuse(f"Row {row.number}: {'; '.join(problems)}.")
        elif rep_id is not None and start is not None:
            checked.rows.append(CheckedRow(row.number, rep_id, start, values))
    if progress is not None:
        progress(len(rows))
    return checked


AMBIGUOUS = -1


def _reps_named(keys: set[str], rep_match: RepMatch) -> dict[str, int]:
    """Folded email or name -> rep id (``AMBIGUOUS`` for a name two reps share): one query."""
    column = User.email if rep_match is RepMatch.EMAIL else User.full_name
    # No one's email or name holds NUL (and PostgreSQL cannot compare with it): unknown.
    folded = sorted({_folded(key, rep_match) for key in keys if key and "\x00" not in key})
    if not folded:
        return {}
    found: dict[str, int] = {}
    statement = (
        select(User.id, column)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.REP, func.lower(column).in_(folded))
    )
    for rep_id, value in db.session.execute(statement):
        key = _folded(value, rep_match)
        found[key] = AMBIGUOUS if key in found and found[key] != rep_id else rep_id
    return found


def _folded(value: str, rep_match: RepMatch) -> str:
    return " ".join(value.lower().split()) if rep_match is RepMatch.NAME else value.strip().lower()


def _not_found(rep_match: RepMatch) -> str:
    return "no rep has this email" if rep_match is RepMatch.EMAIL else "no rep has this name"
