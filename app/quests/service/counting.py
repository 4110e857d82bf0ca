"""What counts towards the quests, for many reps at once: one query per kind of goal.

Each query has a column per quest of its kind (a ``CASE`` on the quest's window and stage), so
a page asks the same number of queries whatever the number of reps: milestones and commitments
always (they also give the points' counts), certifications and activity when a quest counts
them. Windows are whole days: a milestone done or a commitment reviewed at any
time on the last day counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Executable, Select, and_, case, func, select

from app.certification.models import CertificationAttempt
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment
from app.extensions import db
from app.metrics.catalogue import BY_KEY, Unit
from app.metrics.models import ActivityFigure, Origin
from app.outcomes.service.sqldates import day_after
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan
from app.quests.points import Engagement
from app.quests.service.definitions import QuestAt

# (rep id, quest key) -> what the rep reached in the quest's window
Counts = dict[tuple[int, str], float]


@dataclass
class Counted:
    """What the reps reached in each quest, and what earns each of them points."""

    quests: Counts = field(default_factory=dict)
    engagement: dict[int, Engagement] = field(default_factory=dict)


def count_quests(rep_ids: Select[Any], quests: Sequence[QuestAt]) -> Counted:
    """What each rep of ``rep_ids`` (a subquery of ids) reached in each quest's window, and
    their points' counts (asked with the milestones' and commitments' quests: no query more)."""
    counted = Counted()
    for kind, counter in _COUNTERS.items():
        counter(rep_ids, [quest for quest in quests if quest.spec.goal.kind == kind], counted)
    return counted


def _start(quest: QuestAt) -> datetime:
    return datetime.combine(quest.window.start, time.min)


def _after_end(quest: QuestAt) -> datetime:
    return datetime.combine(quest.window.end + timedelta(days=1), time.min)


def _by_rep(
    statement: Executable, quests: Sequence[QuestAt], counted: Counted, first: int = 0
) -> list[tuple[int, list[Any]]]:
    """Each rep's quest columns into ``counted``; the ``first`` columns before them returned."""
    found = []
    for rep_id, *values in db.session.execute(statement):
        for quest, value in zip(quests, values[first:], strict=True):
            counted.quests[(rep_id, quest.key)] = float(value or 0)
        found.append((rep_id, values[:first]))
    return found


def _milestones(rep_ids: Select[Any], quests: Sequence[QuestAt], counted: Counted) -> None:
    """Milestones done (or verified) in the window, of the goal's stage when it names one; and
    for points, milestones done by their due date and certification milestones done."""

    def done_in(quest: QuestAt) -> ColumnElement[bool]:
        conditions = [
            Milestone.status == MilestoneStatus.DONE,
            Milestone.completed_at >= _start(quest),
            Milestone.completed_at < _after_end(quest),
        ]
        if quest.spec.goal.stage:
            conditions.append(Milestone.stage == quest.spec.goal.stage)
        return and_(*conditions)

    done = Milestone.status == MilestoneStatus.DONE
    on_time = and_(done, Milestone.completed_at < day_after(Milestone.due_date))
    certified = and_(done, Milestone.measure_kind == MeasureKind.CERTIFICATION)
    statement = (
        select(
            Plan.rep_id,
            func.count(case((on_time, 1))),
            func.count(case((certified, 1))),
            *(func.count(case((done_in(q), 1))) for q in quests),
        )
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(Plan.rep_id.in_(rep_ids), Plan.archived_at.is_(None))
        .group_by(Plan.rep_id)
    )
    for rep_id, (on_time_count, certified_count) in _by_rep(statement, quests, counted, 2):
        counted.engagement[rep_id] = Engagement(on_time_count, certified_count)


def _certifications(rep_ids: Select[Any], quests: Sequence[QuestAt], counted: Counted) -> None:
    """A certification passed on the goal's stage by the end of the window (1 or 0): being
    certified counts, whenever it happened."""
    if not quests:
        return

    def passed_by(quest: QuestAt) -> ColumnElement[bool]:
        return and_(
            CertificationAttempt.passed.is_(True),
            CertificationAttempt.stage == quest.spec.goal.stage,
            CertificationAttempt.decided_at < _after_end(quest),
        )

    statement = (
        select(
            CertificationAttempt.rep_id,
            *(func.max(case((passed_by(q), 1), else_=0)) for q in quests),
        )
        .where(CertificationAttempt.rep_id.in_(rep_ids))
        .group_by(CertificationAttempt.rep_id)
    )
    _by_rep(statement, quests, counted)


def _commitments(rep_ids: Select[Any], quests: Sequence[QuestAt], counted: Counted) -> None:
    """Coaching commitments the coach reviewed as kept in the window; and all kept, for points."""

    def kept_in(quest: QuestAt) -> ColumnElement[bool]:
        return and_(
            Commitment.outcome == Outcome.KEPT,
            Commitment.reviewed_at >= _start(quest),
            Commitment.reviewed_at < _after_end(quest),
        )

    kept = Commitment.outcome == Outcome.KEPT
    statement = (
        select(
            Commitment.rep_id,
            func.count(case((kept, 1))),
            *(func.count(case((kept_in(q), 1))) for q in quests),
        )
        .where(Commitment.rep_id.in_(rep_ids))
        .group_by(Commitment.rep_id)
    )
    for rep_id, (kept_count,) in _by_rep(statement, quests, counted, 1):
        earlier = counted.engagement.get(rep_id, Engagement())
        counted.engagement[rep_id] = replace(earlier, commitments_kept=kept_count)


def _metrics(rep_ids: Select[Any], quests: Sequence[QuestAt], counted: Counted) -> None:
    """The metric summed over the window's days (a CRM's weekly row counts from its Monday):
    the CRM's figures when it reported any in the window, else the rep's own log, as for the
    plan's number milestones. Revenue counts in whole units."""

    def summed(quest: QuestAt) -> Any:
        metric = BY_KEY[quest.spec.goal.metric or ""]
        inside = and_(
            ActivityFigure.period_start >= quest.window.start,
            ActivityFigure.period_start <= quest.window.end,
        )
        return func.sum(case((inside, getattr(ActivityFigure, metric.column))))

    if not quests:
        return

    statement = (
        select(ActivityFigure.rep_id, ActivityFigure.origin, *(summed(q) for q in quests))
        .where(
            ActivityFigure.rep_id.in_(rep_ids),
            ActivityFigure.period_start >= min(q.window.start for q in quests),
            ActivityFigure.period_start <= max(q.window.end for q in quests),
        )
        .group_by(ActivityFigure.rep_id, ActivityFigure.origin)
    )
    own_log: Counts = {}
    for rep_id, origin, *values in db.session.execute(statement):
        for quest, value in zip(quests, values, strict=True):
            if value is None:
                continue
            unit = BY_KEY[quest.spec.goal.metric or ""].unit
            figure = value / 100 if unit is Unit.MONEY else float(value)
            found = counted.quests if Origin(origin) is Origin.CRM else own_log
            found[(rep_id, quest.key)] = figure
    for key, figure in own_log.items():
        counted.quests.setdefault(key, figure)


_COUNTERS: dict[str, Callable[[Select[Any], Sequence[QuestAt], Counted], None]] = {
    "milestones": _milestones,
    "certification": _certifications,
    "commitments": _commitments,
    "metric": _metrics,
}
