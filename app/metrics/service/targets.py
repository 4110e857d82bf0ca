"""A rep's number milestones judged from their activity (see ``app.metrics.targets``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.curriculum.models import PlanTemplate
from app.extensions import db
from app.metrics.catalogue import BY_KEY, Metric, Unit
from app.metrics.models import ActivityFigure, Origin
from app.metrics.service.access import require_view_figures
from app.metrics.targets import Figure, PeriodResult, Spec, Verdict, judge, overall
from app.plans.models import Milestone, Plan


@dataclass(frozen=True)
class MilestoneActuals:
    milestone_id: int
    title: str
    target: float
    unit: str
    due_date: date
    metric: Metric
    periods: list[PeriodResult]
    verdict: Verdict


def measured_milestones(actor: User, rep: User, today: date) -> list[MilestoneActuals]:
    """Every milestone of the rep's plan measured from activity, judged: three queries."""
    require_view_figures(actor, rep)
    found = db.session.execute(
        select(Plan.id, Plan.start_date, PlanTemplate.content)
        .join(PlanTemplate, PlanTemplate.id == Plan.template_id)
        .where(Plan.rep_id == rep.id, Plan.archived_at.is_(None))
    ).first()
    if found is None:
        return []
    plan_id, start, content = found
    specs = specs_of(content)
    if not specs:
        return []
    milestones = db.session.execute(
        select(Milestone.id, Milestone.key, Milestone.title, Milestone.target, Milestone.unit)
        .add_columns(Milestone.due_date)
        .where(Milestone.plan_id == plan_id, Milestone.key.in_(specs))
        .order_by(Milestone.due_date, Milestone.position)
    ).all()
    columns = {BY_KEY[spec.metric].column for spec in specs.values()}
    figures = db.session.execute(
        select(
            ActivityFigure.period_start,
            ActivityFigure.origin,
            *(getattr(ActivityFigure, column) for column in columns),
        ).where(
            ActivityFigure.rep_id == rep.id,
            ActivityFigure.period_start >= start - timedelta(days=6),
        )
    ).all()
    results = []
    for m in milestones:
        spec, metric = specs[m.key], BY_KEY[specs[m.key].metric]
        rows = [
            Figure(f.period_start, Origin(f.origin), in_units(metric, getattr(f, metric.column)))
            for f in figures
        ]
        periods = judge(spec, m.target or 0, start, m.due_date, rows, today)
        results.append(
            MilestoneActuals(
                m.id, m.title, m.target or 0, m.unit, m.due_date, metric, periods, overall(periods)
            )
        )
    return results


def specs_of(content: dict[str, Any]) -> dict[str, Spec]:
    """Milestone key -> its ``actuals``, from the plan template's stored content."""
    specs = {}
    for phase in content.get("phases", ()):
        for milestone in phase.get("milestones", ()):
            actuals = (milestone.get("measure") or {}).get("actuals")
            if actuals:
                specs[milestone["key"]] = Spec(
                    actuals["metric"], actuals["per"], tuple(actuals.get("periods") or ())
                )
    return specs


def in_units(metric: Metric, value: int | None) -> int | None:
    """Revenue is stored in cents; targets are in whole units."""
    return value // 100 if value is not None and metric.unit is Unit.MONEY else value
