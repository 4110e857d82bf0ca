"""Number milestones judged automatically when figures arrive (an import, the rep's log).

A number milestone whose template names its ``actuals`` is met when every period it is judged
on is (``app.metrics.targets``): it then completes itself, or waits for the coach where it
needs verifying, once, with an event saying the activity met it (``meet_from_actuals``).
Many reps at once in a fixed number of queries: their active plans, those plans' open number
milestones, and the figures of the reps who have one.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.curriculum.models import PlanTemplate
from app.extensions import db
from app.metrics.catalogue import BY_KEY
from app.metrics.models import ActivityFigure, Origin
from app.metrics.service.targets import in_units, specs_of
from app.metrics.targets import Figure, Verdict, judge, overall
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan
from app.plans.service import meet_from_actuals


def judge_number_milestones(actor: User | None, rep_ids: Collection[int], today: date) -> int:
    """Complete the open number milestones of these reps that their figures now meet; how many."""
    if not rep_ids:
        return 0
    plans = db.session.execute(
        select(Plan.id, Plan.start_date, PlanTemplate.content)
        .join(PlanTemplate, PlanTemplate.id == Plan.template_id)
        .where(Plan.rep_id.in_(list(rep_ids)), Plan.archived_at.is_(None))
    ).all()
    specs = {plan_id: specs_of(content) for plan_id, _start, content in plans}
    keys = {key for found in specs.values() for key in found}
    if not keys:
        return 0
    milestones = list(
        db.session.scalars(
            select(Milestone)
            .join(Milestone.plan)
            .options(contains_eager(Milestone.plan))
            .where(
                Milestone.plan_id.in_(list(specs)),
                Milestone.status == MilestoneStatus.OPEN,
                Milestone.measure_kind == MeasureKind.NUMBER,
                Milestone.key.in_(keys),
            )
        )
    )
    milestones = [m for m in milestones if m.key in specs[m.plan_id]]
    if not milestones:
        return 0
    figures = _figures_of(milestones)
    met = 0
    for milestone in milestones:
        spec = specs[milestone.plan_id][milestone.key]
        metric = BY_KEY[spec.metric]
        rows = [
            Figure(day, Origin(origin), in_units(metric, values.get(metric.column)))
            for day, origin, values in figures.get(milestone.plan.rep_id, [])
        ]
        target = milestone.target or 0
        periods = judge(spec, target, milestone.plan.start_date, milestone.due_date, rows, today)
        if overall(periods) is Verdict.MET:
            actual = sum(period.actual or 0 for period in periods)
            said = "; ".join(f"{p.label}: {p.actual} of {p.target:g}" for p in periods)
            met += meet_from_actuals(actor, milestone, actual, f"Met from activity ({said}).")
    db.session.flush()
    return met


def _figures_of(milestones: list[Milestone]) -> dict[int, list[tuple[date, str, dict[str, int]]]]:
    """Each rep's figures since the week before their start: only the metrics judged."""
    reps = {m.plan.rep_id for m in milestones}
    first = min(m.plan.start_date for m in milestones) - timedelta(days=6)
    columns = sorted({metric.column for metric in BY_KEY.values()})
    statement = select(
        ActivityFigure.rep_id,
        ActivityFigure.period_start,
        ActivityFigure.origin,
        *(getattr(ActivityFigure, column) for column in columns),
    ).where(ActivityFigure.rep_id.in_(reps), ActivityFigure.period_start >= first)
    found: dict[int, list[tuple[date, str, dict[str, int]]]] = {}
    for rep_id, day, origin, *values in db.session.execute(statement):
        figures = dict(zip(columns, values, strict=True))
        found.setdefault(rep_id, []).append((day, origin, figures))
    return found
