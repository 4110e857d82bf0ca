"""The drivers page's facts about each judged rep's milestones, stored with the judgement.

Comparing each part of the plan means, for every rep, each milestone that fell due by today or
was done, and whether the rep did it by its due date: twenty milestones a rep, so twenty
thousand rows for a thousand reps, each needing date arithmetic. They are worked out when the
rep's outcomes are judged (:mod:`app.outcomes.service.judgements`), stored narrow under the
same (rep, day, version) key, and counted by part in SQL when the page is read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date as SqlDate
from sqlalchemy import Select, and_, case, delete, func, insert, literal, or_, select

from app.curriculum.models import PlanTemplate
from app.extensions import db
from app.outcomes.models import OutcomeMilestoneFact
from app.outcomes.ramp import MONTH_DAYS
from app.outcomes.service.judging import OutcomeRow
from app.outcomes.service.sqldates import day_after
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan


def store_facts(
    judged: Mapping[int, OutcomeRow], today: date, version: int, kept_days: int
) -> None:
    """Work out and store the facts of these judged reps for ``today`` (three statements)."""
    rep_ids = sorted(judged)
    table = OutcomeMilestoneFact.__table__
    db.session.connection().execute(
        delete(table).where(
            table.c.rep_id.in_(rep_ids),
            or_(
                and_(table.c.day == today, table.c.version == version),
                table.c.day < today - timedelta(kept_days),
            ),
        )
    )
    # As on the dashboard's heatmap: the rep's own act counts (done, or submitted for a
    # verification that came later), so a coach's slow verification does not make it late.
    acted = Milestone.status != MilestoneStatus.OPEN
    acted_at = func.coalesce(Milestone.submitted_at, Milestone.completed_at)
    on_time = and_(acted, acted_at < day_after(Milestone.due_date))
    stage = case(
        (Milestone.measure_kind == MeasureKind.CERTIFICATION, Milestone.certification_stage),
        else_=None,
    )
    statement = (
        select(
            Plan.rep_id,
            Milestone.id,
            stage,
            PlanTemplate.role,
            Milestone.key,
            on_time,
        )
        .join(Plan, Plan.id == Milestone.plan_id)
        .join(PlanTemplate, PlanTemplate.id == Plan.template_id)
        .where(
            Plan.archived_at.is_(None),
            Plan.rep_id.in_(rep_ids),
            or_(acted, Milestone.due_date <= literal(today, SqlDate)),
        )
        .order_by(Plan.rep_id, Milestone.id)
    )
    facts: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rep_id, milestone_id, stage_key, role, key, done in db.session.connection().execute(
        statement
    ):
        row = judged[rep_id]
        # A certification stage may be asked for twice in a plan: the rep's latest milestone
        # of it speaks for them. Other milestones are one per key in a plan.
        part = (rep_id, stage_key) if stage_key else (rep_id, None, role, key)
        facts[part] = {
            "rep_id": rep_id,
            "day": today,
            "version": version,
            "milestone_id": milestone_id,
            "stage": stage_key or None,
            "role": None if stage_key else role,
            "key": None if stage_key else key,
            "on_time": bool(done),
            "measured": row.start is not None and row.attainments is not None,
            "start": row.start,
            "ramped_month": row.ramped_day // MONTH_DAYS if row.ramped_day else None,
        }
    if facts:
        db.session.connection().execute(insert(table), list(facts.values()))


def counted_facts(
    rep_ids: Select[Any], today: date, version: int, starts: tuple[date, date] | None
) -> list[Any]:
    """The reps of ``rep_ids`` with targets (started within ``starts``, if given), counted by
    part, on time or not, and ramp month, with each group's latest milestone id."""
    fact = OutcomeMilestoneFact
    group = (fact.stage, fact.role, fact.key, fact.on_time, fact.ramped_month)
    conditions = [
        fact.day == today,
        fact.version == version,
        fact.measured.is_(True),
        fact.rep_id.in_(rep_ids),
    ]
    if starts is not None:
        conditions += [fact.start >= starts[0], fact.start < starts[1]]
    statement = (
        select(*group, func.count(), func.max(fact.milestone_id))
        .where(*conditions)
        .group_by(*group)
    )
    return list(db.session.connection().execute(statement).all())


def titles_of(milestone_ids: Collection[int]) -> dict[int, str]:
    """The titles of a few milestones (each part's latest)."""
    if not milestone_ids:
        return {}
    statement = select(Milestone.id, Milestone.title).where(Milestone.id.in_(milestone_ids))
    return {milestone_id: title for milestone_id, title in db.session.execute(statement)}
