"""The Buddies list, the new hires still without a buddy, and check-ins due for the calendar.

Each is a fixed number of queries whatever the number of reps: a page of pairings and its
count, then one query for that page's check-in counts and open lapses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from app.accounts.access import viewable_people
from app.accounts.models import Role, User, UserRole
from app.buddies.cadence import due_dates, window_of
from app.buddies.models import BuddyCheckIn, BuddyLapse, BuddyPairing
from app.buddies.service.pairing import buddy_settings, held_check_ins
from app.extensions import db
from app.pagination import Page, PageRequest, paginate_query
from app.plans.models import Plan

SORTS = ("rep", "buddy", "paired")
UNPAIRED_SHOWN = 20
NEW_HIRE_DAYS = 90

_Rep = aliased(User, name="rep")
_Buddy = aliased(User, name="buddy")


@dataclass(frozen=True)
class PairingStats:
    check_ins: int = 0
    last_held_on: date | None = None
    lapsed: bool = False


def _visible(actor: User, query: Select[Any]) -> Select[Any]:
    """Members see their own pairings; coaches their reps'; HR and admins everyone's."""
    if actor.sees_everyone:
        return query
    mine = or_(BuddyPairing.rep_id == actor.id, BuddyPairing.buddy_id == actor.id)
    if actor.has_role(Role.COACH):
        return query.where(or_(mine, _Rep.coach_id == actor.id))
    return query.where(mine)


def pairings_page(
    actor: User, status: str | None, search: str, request: PageRequest
) -> Page[BuddyPairing]:
    """One page of the pairings ``actor`` may see; ``status`` "active" or "ended"."""
    query = (
        select(BuddyPairing)
        .join(_Rep, _Rep.id == BuddyPairing.rep_id)
        .join(_Buddy, _Buddy.id == BuddyPairing.buddy_id)
        .options(
            contains_eager(BuddyPairing.rep.of_type(_Rep)),
            contains_eager(BuddyPairing.buddy.of_type(_Buddy)),
        )
    )
    query = _visible(actor, query)
    if status == "active":
        query = query.where(BuddyPairing.ended_at.is_(None))
    elif status == "ended":
        query = query.where(BuddyPairing.ended_at.is_not(None))
    if search:
        words = f"%{search.lower()}%"
        query = query.where(
            or_(func.lower(_Rep.full_name).like(words), func.lower(_Buddy.full_name).like(words))
        )
    column = {"rep": _Rep.full_name, "buddy": _Buddy.full_name}.get(
        request.sort, BuddyPairing.paired_at
    )
    first = column.desc() if request.descending else column.asc()
    return paginate_query(query.order_by(first, BuddyPairing.id.desc()), request)


def stats_of(pairings: list[BuddyPairing]) -> dict[int, PairingStats]:
    """Check-ins held, the last one, and whether a lapse is open, per pairing: one query."""
    ids = [p.id for p in pairings]
    if not ids:
        return {}
    lapsed = (
        select(BuddyLapse.id)
        .where(BuddyLapse.pairing_id == BuddyPairing.id, BuddyLapse.resolved_at.is_(None))
        .exists()
    )
    query = (
        select(
            BuddyPairing.id,
            func.count(BuddyCheckIn.id),
            func.max(BuddyCheckIn.held_on),
            lapsed,
        )
        .outerjoin(BuddyCheckIn, BuddyCheckIn.pairing_id == BuddyPairing.id)
        .where(BuddyPairing.id.in_(ids))
        .group_by(BuddyPairing.id)
    )
    return {row[0]: PairingStats(row[1], row[2], bool(row[3])) for row in db.session.execute(query)}


def unpaired_new_hires(actor: User, today: date) -> list[tuple[int, str, date]]:
    """New hires (a plan started in the last 90 days) without an active buddy whom ``actor``
    may pair: the coach's own reps, every rep for an admin. At most 20, newest first."""
    if not actor.has_role(Role.COACH, Role.ADMIN):
        return []
    paired = (
        select(BuddyPairing.id)
        .where(BuddyPairing.rep_id == User.id, BuddyPairing.ended_at.is_(None))
        .exists()
    )
    query = (
        select(User.id, User.full_name, Plan.start_date)
        .join(Plan, and_(Plan.rep_id == User.id, Plan.archived_at.is_(None)))
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.REP))
        .where(
            User.active.is_(True),
            User.id != actor.id,
            Plan.start_date >= date.fromordinal(today.toordinal() - NEW_HIRE_DAYS),
            ~paired,
        )
        .order_by(Plan.start_date.desc(), User.full_name)
        .limit(UNPAIRED_SHOWN)
    )
    if not actor.has_role(Role.ADMIN):
        query = query.where(User.coach_id == actor.id, viewable_people(actor))
    return [(row.id, row.full_name, row.start_date) for row in db.session.execute(query)]


@dataclass(frozen=True)
class DueCheckIn:
    """A check-in due for a pairing ``person`` belongs to, for their calendar."""

    pairing_id: int
    on: date
    with_name: str  # the other person of the pairing
    kept: bool
    changed: datetime  # naive UTC: the pairing made or its latest check-in recorded


def check_ins_due_for(person: User, first: date, last: date) -> list[DueCheckIn]:
    """The due dates between ``first`` and ``last`` of the person's active pairings (as the
    new hire or as the buddy), kept or not: two queries."""
    settings = buddy_settings()
    query = (
        select(
            BuddyPairing.id,
            BuddyPairing.paired_on,
            BuddyPairing.paired_at,
            BuddyPairing.rep_id,
            Plan.start_date,
            _Rep.full_name.label("rep_name"),
            _Buddy.full_name.label("buddy_name"),
        )
        .join(_Rep, _Rep.id == BuddyPairing.rep_id)
        .join(_Buddy, _Buddy.id == BuddyPairing.buddy_id)
        .outerjoin(Plan, and_(Plan.rep_id == BuddyPairing.rep_id, Plan.archived_at.is_(None)))
        .where(
            BuddyPairing.ended_at.is_(None),
            or_(BuddyPairing.rep_id == person.id, BuddyPairing.buddy_id == person.id),
        )
    )
    pairings = list(db.session.execute(query))
    if not pairings:
        return []
    held = held_check_ins([row.id for row in pairings])
    found: list[DueCheckIn] = []
    for row in pairings:
        due = due_dates(settings.cadence, row.start_date or row.paired_on, row.paired_on)
        check_ins = held.get(row.id, [])
        kept = {window_of(due, each.held_on, settings.grace_days) for each in check_ins}
        changed = max([row.paired_at, *(each.recorded_at for each in check_ins)])
        other = row.buddy_name if row.rep_id == person.id else row.rep_name
        found.extend(
            DueCheckIn(row.id, d, other, d in kept, changed) for d in due if first <= d <= last
        )
    return found
