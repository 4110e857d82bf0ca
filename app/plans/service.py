"""Onboarding plans: assigning them, recording progress, verifying, and tracking completion."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.access import require_manage_plans_of, require_view_person
from app.accounts.models import Role, User
from app.accounts.service import local_today, organisation
from app.curriculum.service import current_plan_template
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.plans.models import MeasureKind, Milestone, MilestoneEvent, MilestoneStatus, Plan
from app.plans.schedule import day_of_ramp, due_date
from app.plans.status import (
    MilestoneFacts,
    MilestoneState,
    RepStatus,
    milestone_state,
    rep_status,
)

RAMP_DAYS = 90
PHASES = ((1, 1, 30), (2, 31, 60), (3, 61, 90))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- assigning -------------------------------------------------------------------------------


def assign_plan(actor: User, rep: User, template_key: str, start: date) -> Plan:
    """Give ``rep`` the current version of a template; an earlier active plan is archived."""
    require_manage_plans_of(actor, rep)
    if not rep.has_role(Role.REP):
        raise Invalid("Plans are for people with the Rep role.")
    template = current_plan_template(template_key)
    business_days = organisation().business_days
    previous = active_plan(rep)
    if previous is not None:
        previous.archived_at = _now()
    plan = Plan(
        rep=rep,
        template=template,
        start_date=start,
        business_days=business_days,
        assigned_by=actor,
        assigned_at=_now(),
    )
    for position, (phase, spec) in enumerate(_template_milestones(template.content)):
        plan.milestones.append(_milestone_from_spec(spec, phase, position, start, business_days))
    db.session.add(plan)
    db.session.flush()
    return plan


def _template_milestones(content: dict[str, Any]) -> Iterable[tuple[int, dict[str, Any]]]:
    for number, phase in enumerate(content["phases"], start=1):
        for spec in phase["milestones"]:
            yield number, spec


def _milestone_from_spec(
    spec: dict[str, Any], phase: int, position: int, start: date, business_days: bool
) -> Milestone:
    measure = spec["measure"]
    resource = spec.get("resource") or {}
    return Milestone(
        key=spec["key"],
        phase=phase,
        position=position,
        title=spec["title"],
        action=spec["action"],
        measure_kind=MeasureKind(measure["kind"]),
        measure_description=measure.get("description") or "",
        target=measure.get("target"),
        unit=measure.get("unit") or "",
        meeting_with=measure.get("with") or "",
        certification_stage=measure.get("stage"),
        stage=spec.get("stage"),
        due_day=spec["due_day"],
        due_date=due_date(start, spec["due_day"], business_days),
        requires_verification=bool(spec.get("verify")),
        resource_title=resource.get("title") or "",
        resource_url=resource.get("url") or "",
        status=MilestoneStatus.OPEN,
    )


def active_plan(rep: User) -> Plan | None:
    return db.session.scalar(
        select(Plan)
        .where(Plan.rep_id == rep.id, Plan.archived_at.is_(None))
        .options(selectinload(Plan.milestones))
        .order_by(Plan.assigned_at.desc())
    )


# --- progress --------------------------------------------------------------------------------


def get_milestone(actor: User, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound("No such milestone.")
    require_view_person(actor, milestone.plan.rep)
    return milestone


def record_progress(
    actor: User,
    milestone: Milestone,
    *,
    value: float | None = None,
    note: str = "",
    evidence_url: str = "",
) -> Milestone:
    """The rep reports a milestone done, or a number towards its target.

    A measured milestone is done when the number reaches the target; below it, the number is
    recorded as progress. Milestones that need verification wait for the coach.
    """
    if actor.id != milestone.plan.rep_id:
        raise NotAllowed("Only the rep can report progress on their own plan.")
    _require_active(milestone)
    if milestone.status != MilestoneStatus.OPEN:
        raise Conflict("This milestone is already reported; your coach will verify it.")
    if milestone.measure_kind == MeasureKind.CERTIFICATION:
        raise Conflict("A certification milestone is completed when you pass the certification.")
    evidence_url = evidence_url.strip()
    if evidence_url and not evidence_url.lower().startswith(("https://", "http://")):
        raise Invalid("Enter a full link, starting with https://", field="evidence_url")
    reached = True
    if milestone.measure_kind == MeasureKind.NUMBER:
        if value is None:
            raise Invalid("Enter the number you reached.", field="value")
        if not math.isfinite(value):
            raise Invalid("Enter a number you actually reached.", field="value")
        if value < 0:
            raise Invalid("The number cannot be negative.", field="value")
        reached = milestone.target is not None and value >= milestone.target
        milestone.value = value
    milestone.note = note.strip()
    milestone.evidence_url = evidence_url
    if not reached:
        _record(milestone, actor, "progress", value=value, note=note)
    elif milestone.requires_verification:
        milestone.status = MilestoneStatus.SUBMITTED
        milestone.submitted_at = _now()
        milestone.feedback = ""
        _record(milestone, actor, "submitted", value=value, note=note)
    else:
        _complete(milestone, actor, "completed", value=value, note=note)
    db.session.flush()
    return milestone


def verify(actor: User, milestone: Milestone, comment: str = "") -> Milestone:
    """The coach confirms a milestone the rep submitted for verification."""
    require_manage_plans_of(actor, milestone.plan.rep)
    _require_active(milestone)
    if milestone.status == MilestoneStatus.DONE:
        raise Conflict("This milestone is already done.")
    if milestone.measure_kind == MeasureKind.CERTIFICATION:
        raise Conflict(
            "A certification milestone is completed by passing the certification: "
            "assess it from the rep's certifications."
        )
    if milestone.status != MilestoneStatus.SUBMITTED:
        raise Conflict("The rep has not reported this milestone yet.")
    milestone.verified_by = actor
    _complete(milestone, actor, "verified", note=comment)
    db.session.flush()
    return milestone


def send_back(actor: User, milestone: Milestone, comment: str) -> Milestone:
    """The coach returns a submitted milestone to the rep with what is still missing."""
    require_manage_plans_of(actor, milestone.plan.rep)
    _require_active(milestone)
    if milestone.status != MilestoneStatus.SUBMITTED:
        raise Conflict("Only a milestone waiting for verification can be sent back.")
    if not comment.strip():
        raise Invalid("Tell the rep what is still missing.", field="comment")
    milestone.status = MilestoneStatus.OPEN
    milestone.submitted_at = None
    milestone.feedback = comment.strip()
    _record(milestone, actor, "sent back", note=comment)
    db.session.flush()
    return milestone


def open_certification_milestones(rep: User, stage: str) -> list[Milestone]:
    """The milestones of the rep's active plan that passing ``stage``'s certification completes."""
    plan = active_plan(rep)
    if plan is None:
        return []
    return [
        m
        for m in plan.milestones
        if m.measure_kind == MeasureKind.CERTIFICATION and m.certification_stage == stage
    ]


def complete_certification_milestones(
    rep: User, stage: str, actor: User, note: str
) -> list[Milestone]:
    """Passing a certification completes its milestones; called by the certification service."""
    completed = []
    for milestone in open_certification_milestones(rep, stage):
        if milestone.status != MilestoneStatus.DONE:
            milestone.verified_by = actor
            _complete(milestone, actor, "certified", note=note)
            completed.append(milestone)
    db.session.flush()
    return completed


def reopen_certification_milestones(
    rep: User, stage: str, actor: User, note: str
) -> list[Milestone]:
    """A correction turned a pass into a fail: the milestone is open again, on the record."""
    reopened = []
    for milestone in open_certification_milestones(rep, stage):
        if milestone.status == MilestoneStatus.DONE:
            milestone.status = MilestoneStatus.OPEN
            milestone.completed_at = None
            milestone.verified_by = None
            _record(milestone, actor, "reopened", note=note)
            reopened.append(milestone)
    db.session.flush()
    return reopened


def _require_active(milestone: Milestone) -> None:
    if milestone.plan.archived_at is not None:
        raise Conflict("This plan has been replaced by a newer one.")


def _complete(
    milestone: Milestone, actor: User, action: str, value: float | None = None, note: str = ""
) -> None:
    milestone.status = MilestoneStatus.DONE
    milestone.completed_at = _now()
    milestone.feedback = ""
    _record(milestone, actor, action, value=value, note=note)


def _record(
    milestone: Milestone, actor: User, action: str, value: float | None = None, note: str = ""
) -> None:
    milestone.events.append(
        MilestoneEvent(actor=actor, at=_now(), action=action, value=value, note=note.strip())
    )


# --- tracking --------------------------------------------------------------------------------


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
    query = (
        select(User)
        .where(User.active.is_(True))
        .options(selectinload(User.team), selectinload(User.coach))
        .order_by(User.full_name)
    )
    if not actor.sees_everyone:
        if not actor.has_role(Role.COACH):
            raise NotAllowed("Only coaches, HR and admins see teams.")
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
