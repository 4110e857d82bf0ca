"""Tracking ramps: one rep's summary (day, phases, what needs attention) and the team overview."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.access import require_view_person
from app.accounts.models import Role, User
from app.accounts.service import local_today
from app.extensions import db
from app.plans.models import Milestone, MilestoneStatus, Plan
from app.plans.schedule import day_of_ramp
from app.plans.service.access import require_see_team
from app.plans.service.assigning import active_plan
from app.plans.status import (
    MilestoneFacts,
    MilestoneState,
    RepStatus,
    milestone_state,
    rep_status,
)

PHASES = ((1, 1, 30), (2, 31, 60), (3, 61, 90))


def facts(milestone: Milestone) -> MilestoneFacts:
    return MilestoneFacts(
        due_date=milestone.due_date,
        done=milestone.status == MilestoneStatus.DONE,
        submitted=milestone.status == MilestoneStatus.SUBMITTED,
    )


@dataclass(frozen=True)
class PhaseProgress:
    number: int
    name: str
    first_day: int
    last_day: int
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class RampSummary:
    """Everything a rep's ramp page shows, computed once."""

    rep: User
    plan: Plan | None
    today: date
    day: int = 0
    status: RepStatus = RepStatus.NO_PLAN
    phases: list[PhaseProgress] = field(default_factory=list)
    states: dict[int, MilestoneState] = field(default_factory=dict)
    due_this_week: list[Milestone] = field(default_factory=list)
    overdue: list[Milestone] = field(default_factory=list)
    awaiting_verification: list[Milestone] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(p.done for p in self.phases)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.phases)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def phase_percent(self, number: int) -> int:
        return next((p.percent for p in self.phases if p.number == number), 0)


def summarise(rep: User, plan: Plan | None, today: date) -> RampSummary:
    """Day of ramp, phase progress, and what needs attention, for one rep."""
    summary = RampSummary(rep=rep, plan=plan, today=today)
    if plan is None:
        return summary
    summary.day = day_of_ramp(plan.start_date, today, plan.business_days)
    names = [phase.get("name", "") for phase in plan.template.content.get("phases", [])]
    for number, first, last in PHASES:
        in_phase = [m for m in plan.milestones if m.phase == number]
        summary.phases.append(
            PhaseProgress(
                number=number,
                name=names[number - 1] if len(names) >= number else f"Phase {number}",
                first_day=first,
                last_day=last,
                done=sum(1 for m in in_phase if m.is_done),
                total=len(in_phase),
            )
        )
    for milestone in plan.milestones:
        state = milestone_state(facts(milestone), today)
        summary.states[milestone.id] = state
        bucket = {
            MilestoneState.OVERDUE: summary.overdue,
            MilestoneState.DUE_SOON: summary.due_this_week,
            MilestoneState.AWAITING_VERIFICATION: summary.awaiting_verification,
        }.get(state)
        if bucket is not None:
            bucket.append(milestone)
    summary.status = rep_status((facts(m) for m in plan.milestones), today)
    return summary


def ramp_of(actor: User, rep: User, today: date | None = None) -> RampSummary:
    require_view_person(actor, rep)
    return summarise(rep, active_plan(rep), today or local_today(rep))


@dataclass(frozen=True)
class TeamFilters:
    team_id: int | None = None
    coach_id: int | None = None
    status: RepStatus | None = None
    search: str = ""


def team_overview(
    actor: User, filters: TeamFilters = TeamFilters(), now: datetime | None = None
) -> list[RampSummary]:
    """One summary per active rep the actor may see: their own reps for a coach, all for HR."""
    require_see_team(actor)
    query = (
        select(User)
        .where(User.active.is_(True))
        .options(selectinload(User.team), selectinload(User.coach))
        .order_by(User.full_name)
    )
    if not actor.sees_everyone:
        query = query.where(User.coach_id == actor.id)
    if filters.team_id:
        query = query.where(User.team_id == filters.team_id)
    if filters.coach_id:
        query = query.where(User.coach_id == filters.coach_id)
    if filters.search.strip():
        pattern = f"%{_escape_like(filters.search.strip())}%"
        query = query.where(User.full_name.ilike(pattern, escape="\\"))
    reps = [user for user in db.session.scalars(query) if user.has_role(Role.REP)]
    plans = _active_plans_by_rep([rep.id for rep in reps])
    summaries = [summarise(rep, plans.get(rep.id), local_today(rep, now)) for rep in reps]
    if filters.status:
        summaries = [s for s in summaries if s.status == filters.status]
    return summaries


def _escape_like(text: str) -> str:
    """Make ``%`` and ``_`` in what a user typed match themselves, not any text."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _active_plans_by_rep(rep_ids: Sequence[int]) -> dict[int, Plan]:
    if not rep_ids:
        return {}
    plans = db.session.scalars(
        select(Plan)
        .where(Plan.rep_id.in_(rep_ids), Plan.archived_at.is_(None))
        .options(selectinload(Plan.milestones), selectinload(Plan.template))
        .order_by(Plan.assigned_at)
    )
    return {plan.rep_id: plan for plan in plans}


def status_counts(summaries: Iterable[RampSummary]) -> dict[RepStatus, int]:
    counts = dict.fromkeys(RepStatus, 0)
    for summary in summaries:
        counts[summary.status] += 1
    return counts
