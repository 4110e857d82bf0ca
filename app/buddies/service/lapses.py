"""Lapses: two check-ins missed in a row raise the pairing to the new hire's coach, once.

Run daily by the worker (and ``flask buddies lapses``). A run reads every active pairing in
four queries (the pairings with their plan start, their check-ins, their earlier lapses, and
the coaches), works out each one's lapse with :func:`app.buddies.cadence.lapse_start` (not
counting misses an earlier lapse covered), and inserts the lapses with
``ON CONFLICT DO NOTHING`` on (pairing, first missed date): a lapse that goes on raises nobody
again, and two runners at once raise it once. Only the rows this run inserted notify.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from app.accounts.models import Role, User
from app.accounts.service import active_people_with
from app.buddies.cadence import due_dates, lapse_start, told_through
from app.buddies.models import BuddyLapse, BuddyPairing
from app.buddies.service.pairing import (
    buddy_settings,
    earlier_lapses,
    held_check_ins,
    now,
    pairing_link,
)
from app.extensions import db
from app.notifications.service import notify, preferences_for
from app.plans.models import Plan

_Rep = aliased(User, name="lapse_rep")
_Buddy = aliased(User, name="lapse_buddy")


@dataclass(frozen=True)
class _Lapsing:
    pairing_id: int
    rep_name: str
    buddy_name: str
    coach_id: int | None
    first_missed_on: date


def run_lapse_alerts(today: date | None = None, moment: datetime | None = None) -> int:
    """Raise every new lapse to the new hire's coach (HR, or admins, without one); how many
    lapses were raised. Flushes only."""
    moment = moment or now()
    today = today or moment.date()
    settings = buddy_settings()
    query = (
        select(
            BuddyPairing.id,
            BuddyPairing.paired_on,
            Plan.start_date,
            _Rep.full_name.label("rep_name"),
            _Rep.coach_id,
            _Buddy.full_name.label("buddy_name"),
        )
        .join(_Rep, _Rep.id == BuddyPairing.rep_id)
        .join(_Buddy, _Buddy.id == BuddyPairing.buddy_id)
        .outerjoin(Plan, and_(Plan.rep_id == _Rep.id, Plan.archived_at.is_(None)))
        .where(BuddyPairing.ended_at.is_(None), _Rep.active.is_(True))
    )
    pairings = list(db.session.execute(query))
    if not pairings:
        return 0
    held = held_check_ins([row.id for row in pairings])
    earlier = earlier_lapses([row.id for row in pairings])
    lapsing = []
    for row in pairings:
        due = due_dates(settings.cadence, row.start_date or row.paired_on, row.paired_on)
        days = [each.held_on for each in held.get(row.id, [])]
        told = told_through(due, settings.grace_days, earlier.get(row.id, []), today)
        first = lapse_start(due, days, today, settings.grace_days, told)
        if first is not None:
            lapsing.append(_Lapsing(row.id, row.rep_name, row.buddy_name, row.coach_id, first))
    inserted = _insert(lapsing, moment)
    _alert([item for item in lapsing if (item.pairing_id, item.first_missed_on) in inserted])
    db.session.flush()
    return len(inserted)


def _insert(lapsing: list[_Lapsing], moment: datetime) -> set[tuple[int, date]]:
    if not lapsing:
        return set()
    dialect_insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    table = BuddyLapse.__table__
    statement = (
        dialect_insert(table)
        .on_conflict_do_nothing()
        .returning(table.c.pairing_id, table.c.first_missed_on)
    )
    rows = [
        {"pairing_id": i.pairing_id, "first_missed_on": i.first_missed_on, "raised_at": moment}
        for i in lapsing
    ]
    return {(row.pairing_id, row.first_missed_on) for row in db.session.execute(statement, rows)}


def _alert(raised: list[_Lapsing]) -> None:
    if not raised:
        return
    coach_ids = {item.coach_id for item in raised if item.coach_id is not None}
    coaches = {
        user.id: user
        for user in db.session.scalars(select(User).where(User.id.in_(coach_ids)))
        if user.is_active
    }
    fallback = active_people_with(Role.HR) or active_people_with(Role.ADMIN)
    preferences = preferences_for([*coaches.values(), *fallback])
    for item in raised:
        coach = coaches.get(item.coach_id) if item.coach_id is not None else None
        for person in [coach] if coach is not None else fallback:
            notify(
                person,
                "buddy-lapse",
                f"{item.rep_name} and their buddy {item.buddy_name} have missed two check-ins "
                f"in a row (since {item.first_missed_on:%-d %b %Y}).",
                pairing_link(item.pairing_id),
                waits_on_recipient=True,
                preferences=preferences[person.id],
            )


@dataclass(frozen=True)
class OpenLapse:
    """A lapse still waiting on the coach, for their work queue and digest."""

    coach_id: int
    pairing_id: int
    rep_id: int
    rep_name: str
    buddy_name: str
    first_missed_on: date
    raised_at: datetime


def open_lapses_for_coaches(coach_ids: list[int]) -> list[OpenLapse]:
    """Unresolved lapses of the coaches' active new hires: one query."""
    query = (
        select(
            _Rep.coach_id,
            BuddyLapse.pairing_id,
            _Rep.id.label("rep_id"),
            _Rep.full_name.label("rep_name"),
            _Buddy.full_name.label("buddy_name"),
            BuddyLapse.first_missed_on,
            BuddyLapse.raised_at,
        )
        .join(BuddyPairing, BuddyPairing.id == BuddyLapse.pairing_id)
        .join(_Rep, _Rep.id == BuddyPairing.rep_id)
        .join(_Buddy, _Buddy.id == BuddyPairing.buddy_id)
        .where(
            BuddyLapse.resolved_at.is_(None),
            BuddyPairing.ended_at.is_(None),
            _Rep.active.is_(True),
            _Rep.coach_id.in_(coach_ids),
        )
    )
    return [
        OpenLapse(
            row.coach_id,
            row.pairing_id,
            row.rep_id,
            row.rep_name,
            row.buddy_name,
            row.first_missed_on,
            row.raised_at,
        )
        for row in db.session.execute(query)
    ]
