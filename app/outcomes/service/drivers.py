"""Which parts of the plan go with faster ramps, for the reps an actor may see (the maths is in
:mod:`app.outcomes.drivers`).

The reps and their ramp days are the outcomes page's (``outcome_rows``, same filters, same
scope); one more query reads, for each of their active plans' milestones that fell due by today
or were done, whether it was done by its due date. Certification milestones are grouped by
their stage, the others by the plan role and the milestone's key (one template's milestone, in
every version of it). A fixed number of queries, whatever the number of reps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Date as SqlDate
from sqlalchemy import and_, case, func, literal, or_, select

from app.accounts.models import User
from app.curriculum.models import PlanTemplate
from app.curriculum.service import stage_names
from app.extensions import db
from app.outcomes.cohorts import cohort_of
from app.outcomes.drivers import DEFAULT_MINIMUM, Comparison, Doing, compare_all
from app.outcomes.service.definition import Definition, current_definition
from app.outcomes.service.gathering import RepFilters
from app.outcomes.service.listing import outcome_rows
from app.outcomes.service.sqldates import day_after
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan

MILESTONE = "milestone"
CERTIFICATION = "certification"
DRIVER_SORTS = ("part", "difference", "on_time", "late")
DRIVER_SORT_KEYS: Mapping[str, Callable[[Comparison], Any]] = {
    # Comparable parts first, milestones before certification stages, then by name.
    "part": lambda c: (not c.enough, c.kind != MILESTONE, c.label, c.key),
    # The largest head start of the on-time reps first; parts without a figure last.
    "difference": lambda c: (c.days_faster is None, -(c.days_faster or 0), c.label),
    "on_time": lambda c: (c.on_time.median_days is None, c.on_time.median_days or 0, c.label),
    "late": lambda c: (c.late.median_days is None, c.late.median_days or 0, c.label),
}


@dataclass(frozen=True)
class PlanDrivers:
    """Every part of the plan compared, with the rule that decides what is shown."""

    comparisons: list[Comparison]
    minimum: int
    reps: int  # reps the filters keep
    ramped: int  # of them, ramped
    definition: Definition | None
    cohorts: list[str]  # every start month among the actor's reps the filters keep, newest first

    @property
    def shown(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.enough]


def minimum_of(definition: Definition | None) -> int:
    """The documented minimum of ramped reps per group (``drivers.min_reps``, 5 by default)."""
    return definition.spec.drivers.min_reps if definition else DEFAULT_MINIMUM


def plan_drivers(actor: User, filters: RepFilters, today: date) -> PlanDrivers:
    """The comparison of each milestone and certification stage for the reps the filters keep."""
    definition = current_definition()
    # Every cohort's rows, for the filter's choices; then the chosen cohort's, if any.
    everyone = outcome_rows(actor, replace(filters, cohort=""), today, definition)
    rows = [row for row in everyone if _in_cohort(row.start, filters.cohort)]
    measured = [row for row in rows if row.attainments is not None]
    ramped_day = {row.rep_id: row.ramped_day for row in measured}
    parts: dict[tuple[str, str], list[Doing]] = {}
    labels: dict[tuple[str, str], str] = {}
    names = stage_names()
    for rep_id, role, key, title, stage, on_time in _doings(ramped_day, today):
        if stage:
            part = (CERTIFICATION, stage)
            labels[part] = names.get(stage, stage)
        else:
            part = (MILESTONE, f"{role or ''}:{key}")
            labels[part] = f"{title} ({role})" if role else title
        parts.setdefault(part, []).append(Doing(rep_id, bool(on_time), ramped_day[rep_id]))
    return PlanDrivers(
        comparisons=compare_all(parts, labels, minimum_of(definition)),
        minimum=minimum_of(definition),
        reps=len(measured),
        ramped=sum(1 for day in ramped_day.values() if day is not None),
        definition=definition,
        cohorts=sorted({row.cohort for row in everyone if row.cohort}, reverse=True),
    )


def _in_cohort(start: date | None, cohort: str) -> bool:
    """Whether a rep who started on ``start`` is in ``cohort`` (a month or a quarter; "" all)."""
    if not cohort:
        return True
    return start is not None and cohort in (cohort_of(start, "month"), cohort_of(start, "quarter"))


def _doings(ramped_day: dict[int, int | None], today: date) -> Iterable[Sequence[Any]]:
    """(rep, role, key, title, certification stage, done on time) of each milestone that is
    due by ``today`` or done (or submitted), for the reps of ``ramped_day``: one query."""
    if not ramped_day:
        return []
    # As on the dashboard's heatmap: the rep's own act counts (done, or submitted for a
    # verification that came later), so a coach's slow verification does not make it late.
    acted = Milestone.status != MilestoneStatus.OPEN
    acted_at = func.coalesce(Milestone.submitted_at, Milestone.completed_at)
    on_time = and_(acted, acted_at < day_after(Milestone.due_date))
    certification_stage = _stage_of_certification()
    statement = (
        select(
            Plan.rep_id,
            PlanTemplate.role,
            Milestone.key,
            Milestone.title,
            certification_stage,
            on_time,
        )
        .join(Plan, Plan.id == Milestone.plan_id)
        .join(PlanTemplate, PlanTemplate.id == Plan.template_id)
        .where(
            Plan.archived_at.is_(None),
            Plan.rep_id.in_(list(ramped_day)),
            or_(acted, Milestone.due_date <= literal(today, SqlDate)),
        )
        .order_by(Plan.rep_id, Milestone.id)
    )
    # Core rows: a thousand reps' milestones are plain tuples, not ORM objects.
    return list(db.session.connection().execute(statement))


def _stage_of_certification() -> Any:
    """A certification milestone's stage; NULL for every other kind of milestone."""
    return case(
        (Milestone.measure_kind == MeasureKind.CERTIFICATION, Milestone.certification_stage),
        else_=None,
    )


def driver_rows(actor: User, filters: RepFilters, today: date) -> tuple[list[Comparison], int]:
    """The comparisons as the export writes them, and the minimum behind them."""
    found = plan_drivers(actor, filters, today)
    return found.comparisons, found.minimum


__all__ = [
    "CERTIFICATION",
    "DRIVER_SORTS",
    "DRIVER_SORT_KEYS",
    "MILESTONE",
    "PlanDrivers",
    "driver_rows",
    "plan_drivers",
]
