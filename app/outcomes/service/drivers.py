"""Which parts of the plan go with faster ramps, for the reps an actor may see (the maths is in
:mod:`app.outcomes.drivers`).

The reps and their ramp days are the outcomes page's (``outcome_rows``, same filters, same
scope); one more query counts, from the facts stored with their judgements
(:mod:`app.outcomes.service.milestonefacts`), for each part of the plan how many reps did it by
its due date or not, by ramp month (kept for the same reps by
:mod:`app.outcomes.service.drivercounts`). Certification milestones are grouped by their stage,
the others by the plan role and the milestone's key (one template's milestone, in every version
of it, titled as its latest). A fixed number of queries, whatever the number of reps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from app.accounts.models import User
from app.curriculum.service import stage_names
from app.outcomes.cohorts import RepRamp, cohort_of
from app.outcomes.drivers import DEFAULT_MINIMUM, Comparison, compare_all_counted
from app.outcomes.ramp import MONTH_DAYS
from app.outcomes.service.definition import Definition, current_definition, require_see_outcomes
from app.outcomes.service.drivercounts import kept_count, scope_of
from app.outcomes.service.gathering import RepFilters, reps_query
from app.outcomes.service.judgements import month_cohort
from app.outcomes.service.listing import outcome_rows
from app.outcomes.service.milestonefacts import counted_facts, titles_of
from app.outcomes.service.teamramps import fingerprinted_team_ramps

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
    require_see_outcomes(actor)
    definition = current_definition()
    reps = reps_query(actor, replace(filters, cohort=""))
    fingerprint = None
    if definition is None:  # no targets: nobody is measured, only the cohorts are offered
        rows = outcome_rows(actor, replace(filters, cohort=""), today)
        ramps: list[RepRamp] = []
        starts = [row.start for row in rows if row.start is not None]
    else:
        # Every cohort's reps, for the filter's choices; then the chosen cohort's, if any.
        unfiltered = replace(filters, cohort="")
        ramps, starts, fingerprint = fingerprinted_team_ramps(actor, unfiltered, today, definition)
    measured = (
        [ramp for ramp in ramps if _in_cohort(ramp.start, filters.cohort)]
        if filters.cohort
        else ramps
    )
    parts: dict[tuple[str, str], dict[tuple[bool, int | None], int]] = {}
    labels: dict[tuple[str, str], str] = {}
    # Each milestone part's latest milestone (whose title names it) and the plan role.
    latest: dict[tuple[str, str], tuple[int, str | None]] = {}
    names = stage_names()
    if measured and definition is not None:
        seen = reps.with_only_columns(User.id)
        days = _cohort_days(filters.cohort) if filters.cohort else None
        version = definition.version
        counted = (
            []
            if filters.cohort and days is None
            else kept_count(
                scope_of(actor, filters),
                fingerprint,
                today,
                version,
                lambda: counted_facts(seen.order_by(None), today, version, days),
            )
        )
        for stage, role, key, on_time, month, reps, milestone_id in counted:
            if stage:
                part = (CERTIFICATION, stage)
                labels[part] = names.get(stage, stage)
            else:
                part = (MILESTONE, f"{role or ''}:{key}")
                latest[part] = max(latest.get(part, (0, None)), (milestone_id, role))
            counts = parts.setdefault(part, {})
            group = (bool(on_time), month * MONTH_DAYS if month else None)
            counts[group] = counts.get(group, 0) + reps
        titles = titles_of([milestone_id for milestone_id, _role in latest.values()])
        for part, (milestone_id, role) in latest.items():
            title = titles[milestone_id]
            labels[part] = f"{title} ({role})" if role else title
    return PlanDrivers(
        comparisons=compare_all_counted(parts, labels, minimum_of(definition)),
        minimum=minimum_of(definition),
        reps=len(measured),
        ramped=sum(1 for ramp in measured if ramp.ramped_day is not None),
        definition=definition,
        cohorts=sorted({month_cohort(start) for start in starts}, reverse=True),
    )


def _in_cohort(start: date | None, cohort: str) -> bool:
    """Whether a rep who started on ``start`` is in ``cohort`` (a month or a quarter; "" all)."""
    if not cohort:
        return True
    return start is not None and cohort in (cohort_of(start, "month"), cohort_of(start, "quarter"))


def _cohort_days(cohort: str) -> tuple[date, date] | None:
    """The first day of ``cohort`` and the first day after it; None if it names no cohort."""
    try:
        year, part = int(cohort[:4]), cohort[5:]
        if part.startswith("Q"):
            first, months = date(year, 3 * int(part[1:]) - 2, 1), 3
        else:
            first, months = date(year, int(part), 1), 1
    except ValueError:
        return None
    month = first.month - 1 + months
    after = date(first.year + month // 12, month % 12 + 1, 1)
    by = "quarter" if months == 3 else "month"
    return (first, after) if cohort_of(first, by) == cohort else None


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
