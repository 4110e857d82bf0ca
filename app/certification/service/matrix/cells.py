"""The matrix's cells: each rep's certification on each stage, read from columns, and what a
cell and a due-list line show, worked out once in Python.

Statuses come from the same pure rule as everywhere else (:mod:`app.certification.status`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from app.certification.scoring import format_score
from app.certification.service.records import Certification
from app.certification.status import (
    AttemptFacts,
    CertificationStatus,
    StatusReading,
    certification_status,
    format_day,
)

DUE_WINDOW_DAYS = 14


class RepName(Protocol):
    """A rep as the matrix shows them: a Core row (or a person) with an id and a name."""

    @property
    def id(self) -> int: ...

    @property
    def full_name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One rep's certification on one stage as the matrix shows it: the same reading as the
    rep's own page (:class:`Certification`), read from columns rather than loaded attempts."""

    rep: RepName
    stage: str
    stage_name: str
    reading: StatusReading
    due_date: date | None
    best_average: float | None

    @property
    def status(self) -> CertificationStatus:
        return self.reading.status


@dataclass(frozen=True, slots=True)
class CellView:
    """What one matrix cell shows, worked out once in Python: the page holds some 350 cells
    and each attribute a template looks up costs more than building the strings here.
    ``label`` is empty for a stage the rep has neither started nor been asked for (a dash)."""

    stage: str
    label: str = ""
    css: str = ""
    lines: tuple[tuple[str, str], ...] = ()  # (css class, text) lines under the badge


@dataclass(frozen=True, slots=True)
class Upcoming:
    """A certification due, overdue or expiring soon."""

    certification: Certification | MatrixCell
    kind: str  # "due", "overdue" or "expiring"
    on: date


def read_cells(
    rows: Iterable[Any],
    wanted: Mapping[int, tuple[RepName, Iterable[str]]],
    names: Mapping[str, str],
    today: date,
) -> dict[tuple[int, str], MatrixCell]:
    """Each wanted rep's certification on each wanted stage, from the rows of
    :data:`~.statements.CELL_FACTS` (standings with their attempts, oldest first)."""
    facts: dict[tuple[int, str], list[AttemptFacts]] = {}
    best: dict[tuple[int, str], float] = {}
    due: dict[tuple[int, str], date] = {}
    for row in rows:
        (rep_id, stage, due_on, attempt_id, decided_at, passed, average) = row[:7]
        key = (rep_id, stage)
        if due_on is not None:
            due[key] = due_on
        if attempt_id is None:
            continue
        facts.setdefault(key, []).append(
            AttemptFacts(
                decided=decided_at is not None,
                passed=bool(passed),
                assessed_on=row[7],
                expires_on=row[8],
                next_attempt_from=row[9],
                self_assessed=bool(row[10]),
                assessor_started=bool(row[11]),
            )
        )
        if decided_at is not None and average:
            best[key] = max(best.get(key, 0.0), average)
    # Most cells have no attempt: they share one reading rather than each working it out.
    unattempted = certification_status([], today)
    cells: dict[tuple[int, str], MatrixCell] = {}
    for rep_id, (rep, stages) in wanted.items():
        for stage in stages:
            key = (rep_id, stage)
            attempts = facts.get(key)
            reading = certification_status(attempts, today) if attempts else unattempted
            cells[key] = MatrixCell(
                rep, stage, names.get(stage, stage), reading, due.get(key), best.get(key)
            )
    return cells


def cell_view(cell: MatrixCell) -> CellView:
    """The cell as the matrix shows it (see :class:`CellView`)."""
    status = cell.reading.status
    if status == CertificationStatus.NOT_STARTED and not cell.due_date:
        return CellView(cell.stage)
    lines: list[tuple[str, str]] = []
    if cell.best_average:
        lines.append(("", f"best {format_score(cell.best_average)}"))
    expires = cell.reading.expires_on
    if expires:
        word = "until" if status == CertificationStatus.PASSED else "expired"
        lines.append(("", f"{word} {format_day(expires)}"))
    if status != CertificationStatus.PASSED and cell.due_date:
        lines.append(("text-body-secondary", f"due {format_day(cell.due_date)}"))
    return CellView(cell.stage, status.capitalize(), status.css, tuple(lines))


def upcoming_of(cert: Certification | MatrixCell, today: date) -> list[Upcoming]:
    """The certification if it is due, overdue or expiring within the window (else nothing)."""
    horizon = today + timedelta(days=DUE_WINDOW_DAYS)
    if cert.status == CertificationStatus.PASSED:
        expires = cert.reading.expires_on
        if expires is not None and expires <= horizon:
            return [Upcoming(cert, "expiring", expires)]
        return []
    due = cert.due_date
    if due is not None and due <= horizon:
        return [Upcoming(cert, "overdue" if due < today else "due", due)]
    return []
