"""The drivers page's facts about each judged rep's milestones, stored with the judgement.

Comparing each part of the plan means, for every rep, each milestone that fell due by today or
was done, and whether the rep did it by its due date: twenty milestones a rep, so twenty
thousand rows for a thousand reps, each needing date arithmetic. They are worked out when the
rep's outcomes are judged (:mod:`app.outcomes.service.judgements`), stored narrow under the
same (rep, day, version) key, and counted by part in SQL when the page is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date as SqlDate
from sqlalchemy import Select, and_, case, delete, func, insert, literal, or_, select

from app.curriculum.models import PlanTemplate
from app.extensions import db
from app.outcomes.models import OutcomeJudgement, OutcomeMilestoneFact
from app.outcomes.service.sqldates import day_after
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan


def store_facts(rep_ids: Sequence[int], today: date, version: int, kept_days: int) -> None:
    """Work out and store these reps' facts for ``today`` (three statements)."""
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
            Milestone.title,
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
    for rep_id, milestone_id, stage_key, role, key, title, done in db.session.connection().execute(
        statement
    ):
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
            "title": title,
            "on_time": bool(done),
        }
    if facts:
        db.session.connection().execute(insert(table), list(facts.values()))


def counted_facts(
    rep_ids: Select[Any], today: date, version: int, starts: tuple[date, date] | None
) -> list[Any]:
    """The reps of ``rep_ids`` with targets (started within ``starts``, if given), counted by
    part, title, on time or not, and ramp month, with each group's latest milestone id."""
    fact, judged = OutcomeMilestoneFact, OutcomeJudgement
    group = (fact.stage, fact.role, fact.key, fact.title, fact.on_time, judged.ramped_month)
    conditions = [
        fact.day == today,
        fact.version == version,
        fact.rep_id.in_(rep_ids),
        judged.attainments.is_not(None),
    ]
    if starts is not None:
        conditions += [judged.start >= starts[0], judged.start < starts[1]]
    statement = (
        select(*group, func.count(), func.max(fact.milestone_id))
        .join(
            judged,
            and_(
                judged.rep_id == fact.rep_id,
                judged.day == fact.day,
                judged.version == fact.version,
            ),
        )
        .where(*conditions)
        .group_by(*group)
    )
    return list(db.session.connection().execute(statement))
