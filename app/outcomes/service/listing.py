"""The outcomes page: every rep's days to the firsts, ramped date and readiness score, the
cohort curves, and attainment by ramp month against the median of ramped reps."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.accounts.models import User
from app.outcomes.cohorts import CURVE_DAYS, CohortCurve, RepRamp, cohort_curves, median_or_none
from app.outcomes.service.definition import Definition, current_definition, require_see_outcomes
from app.outcomes.service.gathering import RepFilters, reps_query
from app.outcomes.service.judgements import judged_rows
from app.outcomes.service.judging import OutcomeRow
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
    rows = judged_rows(reps_query(actor, filters), today, definition)
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
    the cohort (they compare a cohort with the earlier ones)."""
    definition = current_definition()
    everyone = outcome_rows(actor, _without_cohort(filters), today, definition)
    kept = (
        [row for row in everyone if _in_cohort(row, filters.cohort)] if filters.cohort else everyone
    )
    page = paginate_rows(kept, request, SORT_KEYS)
    return OutcomesPage(
        page=page,
        definition=definition,
        curves=cohort_curves(_ramps(everyone), today, by),
        attainment=attainment_lines(everyone),
        cohorts=sorted({row.cohort for row in everyone if row.cohort}, reverse=True),
        ramped=sum(1 for row in kept if row.ramped_on),
        total=len(kept),
    )


def _without_cohort(filters: RepFilters) -> RepFilters:
    return RepFilters(filters.team_id, filters.role, "", filters.search)


def _ramps(rows: Sequence[OutcomeRow]) -> list[RepRamp]:
    return [
        RepRamp(row.rep_id, row.start, row.ramped_day)
        for row in rows
        if row.start is not None and row.attainments is not None
    ]


def attainment_lines(
    rows: Sequence[OutcomeRow], months: int = ATTAINMENT_MONTHS
) -> list[AttainmentLine]:
    """The ramped reps' median attainment per ramp month, then each cohort's, oldest first."""
    ramped: list[OutcomeRow] = []
    by_cohort: dict[str, list[OutcomeRow]] = {}
    for row in rows:
        if row.attainments is not None and row.cohort:
            by_cohort.setdefault(row.cohort, []).append(row)
            if row.ramped_on:
                ramped.append(row)
    lines = [_line("Reps who have ramped", ramped, months)]
    for cohort in sorted(by_cohort):
        lines.append(_line(cohort, by_cohort[cohort], months))
    return lines


def _line(label: str, rows: Sequence[OutcomeRow], months: int) -> AttainmentLine:
    return AttainmentLine(
        label,
        tuple(
            median_or_none(
                row.attainments[month]
                for row in rows
                if row.attainments is not None and month in row.attainments
            )
            for month in range(1, months + 1)
        ),
    )


__all__ = ["CURVE_DAYS", "OUTCOME_SORTS", "OutcomesPage", "outcome_rows", "outcomes_page"]
