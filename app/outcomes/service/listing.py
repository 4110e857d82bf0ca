"""The outcomes page: every rep's days to the firsts, ramped date and readiness score, the
cohort curves, and attainment by ramp month against the median of ramped reps."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.accounts.models import User
from app.outcomes.cohorts import (
    CURVE_DAYS,
    CohortCurve,
    RepRamp,
    cohort_curves,
    cohort_of,
    median_or_none,
)
from app.outcomes.ramp import MONTH_DAYS
from app.outcomes.service.definition import Definition, current_definition, require_see_outcomes
from app.outcomes.service.gathering import RepFilters, kept_reps_query
from app.outcomes.service.judgements import Line, decoded_all, judged_rows, line_row
from app.outcomes.service.judging import OutcomeRow
from app.outcomes.service.teamlines import everyones_lines
from app.pagination import Page, PageRequest, paginate_rows

OUTCOME_SORTS = (
    "name",
    "team",
    "start",
    "first_meeting",
    "first_opportunity",
    "first_deal",
    "ramped",
    "score",
)
# Months of the ramp the attainment table shows.
ATTAINMENT_MONTHS = 6


def _last_if_none(value: Any) -> tuple[bool, Any]:
    return (value is None, value)


SORT_KEYS: Mapping[str, Callable[[OutcomeRow], Any]] = {
    "name": lambda row: (row.full_name, row.rep_id),
    "team": lambda row: (_last_if_none(row.team), row.full_name),
    "start": lambda row: _last_if_none(row.start),
    "first_meeting": lambda row: _last_if_none(row.first_meeting),
    "first_opportunity": lambda row: _last_if_none(row.first_opportunity),
    "first_deal": lambda row: _last_if_none(row.first_deal),
    "ramped": lambda row: _last_if_none(row.ramped_day),
    "score": lambda row: _last_if_none(row.score_tenths),
}


def outcome_rows(
    actor: User, filters: RepFilters, today: date, definition: Definition | None = None
) -> list[OutcomeRow]:
    """Every rep the actor may see that the filters keep, with their outcomes, by name.

    A coach sees their own reps, HR and admins everyone: one query when every rep's stored
    judgement of today holds, a few more for those judged afresh, whatever the number.
    """
    require_see_outcomes(actor)
    definition = definition or current_definition()
    rows = judged_rows(kept_reps_query(actor, filters), today, definition)
    if filters.cohort:
        rows = [row for row in rows if _in_cohort(row, filters.cohort)]
    return rows


def _in_cohort(row: OutcomeRow, cohort: str) -> bool:
    if row.start is None:
        return False
    quarter = f"{row.start.year}-Q{(row.start.month - 1) // 3 + 1}"
    return cohort in (row.cohort, quarter)


@dataclass(frozen=True)
class AttainmentLine:
    """Median share of target in each ramp month, for a cohort or for the ramped reps."""

    label: str
    medians: tuple[float | None, ...]


@dataclass(frozen=True)
class OutcomesPage:
    page: Page[OutcomeRow]
    definition: Definition | None
    curves: list[CohortCurve]
    attainment: list[AttainmentLine]
    cohorts: list[str]  # every start cohort among the actor's reps, newest first
    ramped: int
    total: int


def outcomes_page(
    actor: User, filters: RepFilters, request: PageRequest, today: date, by: str = "month"
) -> OutcomesPage:
    """One page of the table; the curves and medians cover every rep the filters keep except
    the cohort (they compare a cohort with the earlier ones).

    A thousand reps are sorted and counted as narrow judged lines; only the page's rows
    become :class:`OutcomeRow` objects.
    """
    require_see_outcomes(actor)
    definition = current_definition()
    everyone = everyones_lines(actor, _without_cohort(filters), today, definition)
    kept = [line for line in everyone if _line_in_cohort(line, filters.cohort)]
    lines = paginate_rows(kept, request, LINE_SORT_KEYS)
    return OutcomesPage(
        page=Page([line_row(line, today) for line in lines.items], lines.total, lines.request),
        definition=definition,
        curves=cohort_curves(_ramps(everyone), today, by),
        attainment=attainment_lines(everyone),
        cohorts=sorted({_month_of(line[3]) for line in everyone if line[3]}, reverse=True),
        ramped=sum(1 for line in kept if line[3] and line[8]),
        total=len(kept),
    )


def _ramped_day(line: Line) -> int | None:
    """The ramp day a judged line ramped on (None: not yet), as :func:`line_row` gives it."""
    return line[8] * MONTH_DAYS if line[3] and line[8] else None


# The page's sorts on judged lines: the same order as SORT_KEYS on the rows they become.
LINE_SORT_KEYS: Mapping[str, Callable[[Line], Any]] = {
    "name": lambda line: (line[1], line[0]),
    "team": lambda line: (_last_if_none(line[2]), line[1]),
    "start": lambda line: _last_if_none(line[3]),
    "first_meeting": lambda line: _last_if_none(line[5]),
    "first_opportunity": lambda line: _last_if_none(line[6]),
    "first_deal": lambda line: _last_if_none(line[7]),
    "ramped": lambda line: _last_if_none(_ramped_day(line)),
    "score": lambda line: _last_if_none(line[10]),
}


def _line_in_cohort(line: Line, cohort: str) -> bool:
    start = line[3]
    if not cohort:
        return True
    return start is not None and cohort in (_month_of(start), cohort_of(start, "quarter"))


def _month_of(start: date) -> str:
    return cohort_of(start, "month")  # cached: a thousand reps share a few hundred starts


def _without_cohort(filters: RepFilters) -> RepFilters:
    return RepFilters(filters.team_id, filters.role, "", filters.search)


def _ramps(lines: Sequence[Line]) -> list[RepRamp]:
    """The reps with a start and targets, for the cohort curves."""
    return [
        RepRamp(line[0], line[3], _ramped_day(line))
        for line in lines
        if line[3] is not None and line[9] is not None
    ]


def attainment_lines(
    lines: Sequence[Line], months: int = ATTAINMENT_MONTHS
) -> list[AttainmentLine]:
    """The ramped reps' median attainment per ramp month, then each cohort's, oldest first."""
    measured = [line for line in lines if line[9] is not None and line[3]]
    shares = decoded_all([line[9] for line in measured])
    ramped: list[list[float]] = []
    by_cohort: dict[str, list[list[float]]] = {}
    for line, found in zip(measured, shares, strict=True):
        by_cohort.setdefault(_month_of(line[3]), []).append(found)
        if line[8]:
            ramped.append(found)
    result = [_line("Reps who have ramped", ramped, months)]
    for cohort in sorted(by_cohort):
        result.append(_line(cohort, by_cohort[cohort], months))
    return result


def _line(label: str, shares: Sequence[list[float]], months: int) -> AttainmentLine:
    # One comprehension per month (the reps in the same order): a thousand reps' months are
    # gathered at the comprehensions' pace, not one append at a time.
    by_month = [[found[month] for found in shares if len(found) > month] for month in range(months)]
    return AttainmentLine(label, tuple(median_or_none(values) for values in by_month))


__all__ = ["CURVE_DAYS", "OUTCOME_SORTS", "OutcomesPage", "outcome_rows", "outcomes_page"]
