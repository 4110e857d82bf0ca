"""A start cohort against earlier ones at the same plan day: the funnel and certifications.

A cohort is the reps whose active plan started in one calendar month. The chosen cohort is
read at the plan day all its reps have reached (the youngest rep's day), and each earlier
cohort at that same day of its own plans: a milestone counts as overdue then if it fell due
before that day and was neither done nor submitted by it, and a certification as passed if it
was passed before it. The status rules are :mod:`app.plans.status`'s, on those counts.

Three queries whatever the number of reps: the chosen cohort's distinct start dates (the day
compared), one row per plan for the funnel (the statuses need each plan's counts), one per
(start date, stage) for the certifications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select

from app.accounts.models import User
from app.certification.models import CertificationAttempt
from app.curriculum.service import stage_names
from app.dashboards.service.filters import Filters
from app.dashboards.service.sqldates import date_of, days_after, days_between
from app.extensions import db
from app.plans import service as plans
from app.plans.models import Milestone, MilestoneStatus, Plan
from app.plans.schedule import day_of_ramp
from app.plans.status import RepStatus, rep_status_from_counts
from app.timezones import today_in

EARLIER_COHORTS = 3


@dataclass
class CohortFigures:
    """One cohort's funnel and certifications at the compared plan day."""

    month: date  # the first day
    reps: int = 0
    funnel: dict[RepStatus, int] = field(default_factory=lambda: dict.fromkeys(RepStatus, 0))
    passed: dict[str, int] = field(default_factory=dict)  # by stage

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"

    def share(self, status: RepStatus) -> int:
        return round(100 * self.funnel[status] / self.reps) if self.reps else 0

    def passed_share(self, stage: str) -> int:
        return round(100 * self.passed.get(stage, 0) / self.reps) if self.reps else 0


@dataclass(frozen=True)
class CohortComparison:
    day: int  # the plan day every cohort is read at
    cohorts: tuple[CohortFigures, ...]  # the chosen one first, then the earlier ones
    stages: tuple[tuple[str, str], ...]  # (key, name)

    @property
    def chosen(self) -> CohortFigures:
        return self.cohorts[0]


def months_back(month: date, count: int) -> date:
    """The first day of the month ``count`` months before ``month``'s."""
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def compare_cohorts(actor: User, filters: Filters, moment: datetime) -> CohortComparison | None:
    """The chosen cohort (``filters.cohort``) against the three before it, or None without
    one or when it has no rep on a plan yet."""
    plans.require_see_team(actor)
    if filters.cohort is None:
        return None
    days = _days_reached(actor, filters, moment)
    if not days:
        return None
    day = max(1, min(days))
    chosen = filters.cohort.replace(day=1)
    first = months_back(chosen, EARLIER_COHORTS)
    after = months_back(chosen, -1)
    reps = plans.rep_ids_seen(actor, filters.team_filters(with_cohort=False))
    cohorts = {months_back(chosen, n): CohortFigures(months_back(chosen, n)) for n in range(4)}
    in_window = and_(
        Plan.archived_at.is_(None),
        Plan.rep_id.in_(reps),
        Plan.start_date >= first,
        Plan.start_date < after,
    )
    _add_funnel(cohorts, in_window, day)
    _add_certifications(cohorts, in_window, day)
    return CohortComparison(
        day=day,
        cohorts=tuple(cohorts[months_back(chosen, n)] for n in range(4)),
        stages=tuple(stage_names().items()),
    )


def _days_reached(actor: User, filters: Filters, moment: datetime) -> list[int]:
    """The plan day each of the chosen cohort's reps has reached, on their own today: read
    from the few distinct (start date, business days, zone) of their plans, not per rep."""
    reps = plans.reps_seen(actor, filters.team_filters()).order_by(None)
    planned = plans.with_active_plan(reps.add_columns(Plan.start_date, Plan.business_days))
    kept = planned.where(Plan.id.is_not(None)).subquery()
    query = select(kept.c.start_date, kept.c.business_days, kept.c.timezone).distinct()
    return [
        day_of_ramp(start, today_in(zone, moment), business)
        for start, business, zone in db.session.execute(query)
    ]


def _add_funnel(cohorts: dict[date, CohortFigures], in_window: Any, day: int) -> None:
    # Each plan read on its own day ``day`` (day 1 is the start date): dates compared with
    # that day, not day counts, so each milestone costs no day arithmetic, only comparisons.
    then = days_after(Plan.start_date, literal(day - 1))
    acted_on = date_of(func.coalesce(Milestone.submitted_at, Milestone.completed_at))
    not_acted = or_(Milestone.status == MilestoneStatus.OPEN, acted_on > then)
    overdue = and_(Milestone.due_date < then, not_acted)
    query = (
        select(
            Plan.start_date,
            func.count(),
            func.count(case((~not_acted, 1))),
            func.count(case((overdue, 1))),
            func.min(case((overdue, Milestone.due_date))),
        )
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(in_window)
        .group_by(Plan.id, Plan.start_date)
    )
    for start, total, acted_count, overdue_count, oldest in db.session.execute(query):
        figures = cohorts[start.replace(day=1)]
        status = rep_status_from_counts(
            all_done=total > 0 and acted_count == total,
            overdue=overdue_count,
            oldest_overdue=oldest,
            today=start + timedelta(days=day - 1),
        )
        figures.reps += 1
        figures.funnel[status] += 1


def _add_certifications(cohorts: dict[date, CohortFigures], in_window: Any, day: int) -> None:
    passed_by_then = and_(
        CertificationAttempt.passed.is_(True),
        days_between(CertificationAttempt.assessed_on, Plan.start_date) < literal(day),
    )
    query = (
        select(
            Plan.start_date,
            CertificationAttempt.stage,
            func.count(func.distinct(CertificationAttempt.rep_id)),
        )
        .join(Plan, Plan.rep_id == CertificationAttempt.rep_id)
        .where(in_window, passed_by_then)
        .group_by(Plan.start_date, CertificationAttempt.stage)
    )
    for start, stage, count in db.session.execute(query):
        passed = cohorts[start.replace(day=1)].passed
        passed[stage] = passed.get(stage, 0) + count
