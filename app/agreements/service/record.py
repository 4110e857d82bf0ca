"""What an agreement pulls from the rep's record: plan, due dates, certifications, coach."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.accounts.models import User
from app.accounts.service import local_today, organisation
from app.agreements.document import MilestoneLine, RepRecord
from app.plans.models import MeasureKind, Milestone, Plan
from app.plans.service import active_plan, summarise
from app.plans.status import MilestoneState


def rep_record(
    rep: User, today: date | None = None, plans: Mapping[int, Plan] | None = None
) -> RepRecord:
    """What an agreement pulls from the rep's record today: plan, due dates, coach.

    ``plans``: the active plans of many reps by rep id, loaded at once for a batch (a rep
    missing from it has no plan); without it, the rep's plan is looked up.
    """
    today = today or local_today(rep)
    plan = active_plan(rep) if plans is None else plans.get(rep.id)
    base: dict[str, Any] = {
        "organisation": organisation().name,
        "rep_name": rep.full_name,
        "rep_email": rep.email,
        "rep_job_title": rep.job_title,
        "rep_start_date": rep.start_date,
        "team": rep.team.name if rep.team else "",
        "coach": rep.coach.full_name if rep.coach else "",
    }
    if plan is None:
        return RepRecord(**base)
    summary = summarise(rep, plan, today)
    overdue_ids = {mid for mid, state in summary.states.items() if state == MilestoneState.OVERDUE}
    lines = [_line(m) for m in plan.milestones]
    return RepRecord(
        **base,
        plan_title=plan.template.title,
        plan_start_date=plan.start_date,
        plan_end_date=plan.end_date,
        ramp_day=summary.day,
        overdue=len(overdue_ids),
        milestones=tuple(lines),
        certifications=tuple(
            line
            for line, m in zip(lines, plan.milestones, strict=True)
            if m.measure_kind == MeasureKind.CERTIFICATION
        ),
        overdue_milestones=tuple(
            line for line, m in zip(lines, plan.milestones, strict=True) if m.id in overdue_ids
        ),
        plan_targets={
            m.key: f"{m.target:g}"
            for m in plan.milestones
            if m.measure_kind == MeasureKind.NUMBER and m.target is not None
        },
    )


def _line(milestone: Milestone) -> MilestoneLine:
    if milestone.measure_kind == MeasureKind.NUMBER:
        target = f"{milestone.target:g}" if milestone.target is not None else ""
        measure = f"{target} {milestone.unit}".strip()
    elif milestone.measure_kind == MeasureKind.CERTIFICATION:
        measure = f"Certification: {milestone.certification_stage or ''}".strip()
    elif milestone.measure_kind == MeasureKind.MEETING:
        measure = f"Meeting with {milestone.meeting_with or 'your coach'}"
    else:
        measure = milestone.measure_description or "Done"
    return MilestoneLine(
        phase=milestone.phase,
        title=milestone.title,
        measure=measure,
        due=milestone.due_date,
        done=milestone.is_done,
    )
