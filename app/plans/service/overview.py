"""Tracking ramps: one rep's summary (day, phases, what needs attention)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.accounts.access import require_view_person
from app.accounts.models import User
from app.accounts.service import local_today
from app.plans.models import Milestone, MilestoneStatus, Plan
from app.plans.schedule import day_of_ramp
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

    @property
    def complete(self) -> bool:
        """Every milestone of the phase done: the ramp page folds it away."""
        return self.done == self.total


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

    @property
    def this_week(self) -> list[Milestone]:
        """What to do now, first on the page: the overdue, then what is due in the next 7 days."""
        return [*self.overdue, *self.due_this_week]

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
    paused = plan.is_paused_on(today)
    for milestone in plan.milestones:
        state = milestone_state(facts(milestone), today, paused)
        summary.states[milestone.id] = state
        bucket = {
            MilestoneState.OVERDUE: summary.overdue,
            MilestoneState.DUE_SOON: summary.due_this_week,
            MilestoneState.AWAITING_VERIFICATION: summary.awaiting_verification,
        }.get(state)
        if bucket is not None:
            bucket.append(milestone)
    summary.status = rep_status((facts(m) for m in plan.milestones), today, paused=paused)
    return summary


def ramp_of(actor: User, rep: User, today: date | None = None) -> RampSummary:
    require_view_person(actor, rep)
    return summarise(rep, active_plan(rep), today or local_today(rep))
