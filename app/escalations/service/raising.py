"""Raising overdue milestones and commitments, in a fixed number of queries however many reps.

One query finds the open milestones past the coach threshold that still lack a level, one the
open commitments; one loads the coaches (with their own coaches) and one the HR people; one
batch insert records the escalations. Only the rows this run actually inserted notify anyone,
so a second runner at the same moment (or the same run again) raises nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Integer, Select, and_, exists, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from app.accounts.models import Organisation, Role, User
from app.accounts.service import active_people_with
from app.coaching.models import Commitment
from app.coaching.service import debrief_link
from app.escalations.models import Escalation, Level
from app.escalations.rules import Thresholds, days_late, levels_reached
from app.extensions import db
from app.notifications.service import notify, preferences_for
from app.plans.models import Milestone, MilestoneStatus, Plan, not_paused_on
from app.plans.service import milestone_link
from app.webhooks.models import EventType
from app.webhooks.service import record_event


def thresholds() -> Thresholds:
    """The deployment's thresholds (``SALESRAMP_ESCALATE_COACH_DAYS`` / ``_MANAGER_DAYS``)."""
    config = current_app.config
    return Thresholds(int(config["ESCALATE_COACH_DAYS"]), int(config["ESCALATE_MANAGER_DAYS"]))


@dataclass(frozen=True)
class Overdue:
    """An open item late enough to raise, and the levels it still lacks."""

    rep_id: int
    rep_name: str
    coach_id: int | None
    milestone_id: int | None
    commitment_id: int | None
    debrief_id: int | None
    title: str
    due_date: date
    days_late: int
    levels: tuple[Level, ...]

    @property
    def link(self) -> str:
        if self.milestone_id is not None:
            return milestone_link(self.milestone_id)
        assert self.debrief_id is not None
        return debrief_link(self.debrief_id)

    @property
    def what(self) -> str:
        return "milestone" if self.milestone_id is not None else "commitment"


@dataclass(frozen=True)
class RunResult:
    """What one run raised: escalations inserted per level, and notifications written."""

    coach: int = 0
    manager: int = 0
    notified: int = 0


def run_escalations(today: date | None = None, now: datetime | None = None) -> RunResult:
    """Raise every overdue item that reached a level it has not been raised at. Flushes only.

    ``today`` is the UTC date (the job runs for everyone at once, as documents say UTC).
    """
    now = now or datetime.now(UTC).replace(tzinfo=None)
    today = today or now.date()
    limits = thresholds()
    overdue = [*_overdue_milestones(today, limits), *_overdue_commitments(today, limits)]
    if not overdue:
        return RunResult()
    recipients = _Recipients.load({item.coach_id for item in overdue if item.coach_id})
    planned = [
        (item, level, recipients.of(item.coach_id, level))
        for item in overdue
        for level in item.levels
    ]
    inserted = _insert(planned, now)
    # An escalation waits on whom it is raised to: email at once per their settings, read
    # for all of them in one query.
    preferences = preferences_for({p.id: p for _, _, people in planned for p in people}.values())
    notified = 0
    raised = {Level.COACH: 0, Level.MANAGER: 0}
    for item, level, people in planned:
        if (item.milestone_id, item.commitment_id, level) not in inserted:
            continue  # another runner raised it first
        raised[level] += 1
        if level == Level.COACH and item.milestone_id is not None:
            _record_overdue_milestone(item)  # once: the coach's level is raised once per item
        for person in people:
            notify(
                person,
                f"escalation-{level.value}",
                _message(item, level, person),
                _link(item, level),
                waits_on_recipient=True,
                preferences=preferences[person.id],
            )
            notified += 1
    db.session.flush()
    return RunResult(raised[Level.COACH], raised[Level.MANAGER], notified)


def _record_overdue_milestone(item: Overdue) -> None:
    record_event(
        EventType.MILESTONE_OVERDUE,
        {
            "milestone_id": item.milestone_id,
            "rep_id": item.rep_id,
            "title": item.title,
            "due_date": item.due_date.isoformat(),
            "days_late": item.days_late,
        },
    )


def _message(item: Overdue, level: Level, person: User) -> str:
    days = f"{item.days_late} day{'s' if item.days_late != 1 else ''}"
    why = (
        "as their coach"
        if level == Level.COACH and person.id == item.coach_id
        else "to follow up with their coach"
    )
    return (
        f"Overdue {days}: {item.rep_name}'s {item.what} \u201c{item.title}\u201d "
        f"(due {item.due_date:%-d %b %Y}). Raised to you {why}."
    )


def _link(item: Overdue, level: Level) -> str:
    """The coach opens the item itself; a manager or HR the rep's escalations, which they
    may see even when the rep is not theirs to coach."""
    if level == Level.COACH:
        return item.link
    return escalations_link(item.rep_id)


def escalations_link(rep_id: int) -> str:
    """The Escalations list narrowed to one rep (tests check it matches the route)."""
    return f"/escalations?rep={rep_id}"


def _overdue_milestones(today: date, limits: Thresholds) -> list[Overdue]:
    """Open milestones of active plans of active reps, late enough (in calendar days, which are
    never fewer than business days) for the coach's level, still missing a level."""
    raised = _raised(Escalation.milestone_id, Milestone.id)
    query = (
        select(
            Milestone.id.label("item_id"),
            Milestone.title,
            Milestone.due_date.label("due"),
            Plan.business_days,
            literal(None, Integer).label("debrief_id"),
            *_rep_and_levels(raised),
        )
        .join(Plan, Plan.id == Milestone.plan_id)
        .join(User, User.id == Plan.rep_id)
        .where(
            Plan.archived_at.is_(None),
            User.active.is_(True),
            Milestone.status == MilestoneStatus.OPEN,
            Milestone.due_date <= today - timedelta(days=limits.coach_days),
            not_paused_on(today),  # on leave: nothing is raised (due dates moved too)
            ~and_(*raised.values()),
        )
        .order_by(Milestone.due_date, Milestone.id)
    )
    return _still_to_raise(query, today, limits, milestones=True)


def _overdue_commitments(today: date, limits: Thresholds) -> list[Overdue]:
    """Open commitments of active reps, late enough for the coach's level, missing a level;
    in business days when the organisation counts them."""
    raised = _raised(Escalation.commitment_id, Commitment.id)
    business_days = select(Organisation.business_days).limit(1).scalar_subquery()
    query = (
        select(
            Commitment.id.label("item_id"),
            Commitment.action.label("title"),
            Commitment.due_on.label("due"),
            business_days.label("business_days"),
            Commitment.debrief_id,
            *_rep_and_levels(raised),
        )
        .join(User, User.id == Commitment.rep_id)
        .where(
            User.active.is_(True),
            Commitment.closed_at.is_(None),
            Commitment.due_on <= today - timedelta(days=limits.coach_days),
            ~and_(*raised.values()),
        )
        .order_by(Commitment.due_on, Commitment.id)
    )
    return _still_to_raise(query, today, limits, milestones=False)


def _raised(escalated: Any, item_id: Any) -> dict[Level, Any]:
    """Per level, whether the item already has its escalation (an EXISTS on the unique key)."""
    return {
        level: exists().where(escalated == item_id, Escalation.level == level.value)
        for level in Level
    }


def _rep_and_levels(raised: dict[Level, Any]) -> tuple[Any, ...]:
    return (
        User.id.label("rep_id"),
        User.full_name,
        User.coach_id,
        raised[Level.COACH].label("has_coach"),
        raised[Level.MANAGER].label("has_manager"),
    )


def _still_to_raise(
    query: Select[Any], today: date, limits: Thresholds, milestones: bool
) -> list[Overdue]:
    """The rows' items with the levels they reached and still lack."""
    found = []
    for row in db.session.execute(query):
        late = days_late(row.due, today, bool(row.business_days))
        done = {Level.COACH: row.has_coach, Level.MANAGER: row.has_manager}
        levels = tuple(level for level in levels_reached(late, limits) if not done[level])
        if levels:
            found.append(
                Overdue(
                    rep_id=row.rep_id,
                    rep_name=row.full_name,
                    coach_id=row.coach_id,
                    milestone_id=row.item_id if milestones else None,
                    commitment_id=None if milestones else row.item_id,
                    debrief_id=row.debrief_id,
                    title=row.title[:200],
                    due_date=row.due,
                    days_late=late,
                    levels=levels,
                )
            )
    return found


class _Recipients:
    """Who hears of each level: the rep's coach, then the coach's own coach, else HR."""

    def __init__(self, coaches: dict[int, User], hr: list[User]) -> None:
        self.coaches = coaches
        self.hr = hr

    @classmethod
    def load(cls, coach_ids: Iterable[int]) -> _Recipients:
        ids = sorted(coach_ids)
        coaches: dict[int, User] = {}
        if ids:
            query = select(User).options(joinedload(User.coach)).where(User.id.in_(ids))
            coaches = {user.id: user for user in db.session.scalars(query).unique()}
        hr = active_people_with(Role.HR)
        if not hr:  # an organisation without HR: its admins oversee everyone instead
            hr = active_people_with(Role.ADMIN)
        return cls(coaches, hr)

    def of(self, coach_id: int | None, level: Level) -> list[User]:
        coach = self.coaches.get(coach_id) if coach_id else None
        if level == Level.COACH:
            return [coach] if coach is not None and coach.is_active else self.hr
        manager = coach.coach if coach is not None else None
        return [manager] if manager is not None and manager.is_active else self.hr


def _names(people: Sequence[User]) -> str:
    names = ", ".join(person.full_name for person in people)
    return (names or "nobody (no coach and no HR)")[:300]


def _insert(
    planned: Sequence[tuple[Overdue, Level, list[User]]], now: datetime
) -> set[tuple[int | None, int | None, Level]]:
    """One batch insert that skips what already exists; the (item, level) pairs it inserted."""
    rows = [
        {
            "rep_id": item.rep_id,
            "milestone_id": item.milestone_id,
            "commitment_id": item.commitment_id,
            "level": level.value,
            "title": item.title[:200],
            "due_date": item.due_date,
            "days_late": item.days_late,
            "raised_to": _names(people),
            "raised_at": now,
        }
        for item, level, people in planned
    ]
    dialect_insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    table = Escalation.__table__
    statement = (
        dialect_insert(table)
        .on_conflict_do_nothing()
        .returning(table.c.milestone_id, table.c.commitment_id, table.c.level)
    )
    result = db.session.execute(statement, rows)
    return {(row.milestone_id, row.commitment_id, Level(row.level)) for row in result}
