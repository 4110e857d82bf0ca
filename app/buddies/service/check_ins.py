"""Check-ins: the short form both the new hire and the buddy fill in and see, the cadence's
due dates kept or missed, and the "will do" commitments carried to the next check-in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import once
from app.accounts.models import User
from app.accounts.service import local_today
from app.buddies.cadence import due_dates, lapse_start, missed, next_due, told_through, window_of
from app.buddies.models import BuddyCheckIn, BuddyCommitment, BuddyPairing
from app.buddies.service.access import can_check_in, can_pair, require_check_in
from app.buddies.service.pairing import (
    buddy_settings,
    earlier_lapses,
    now,
    pairing_history_of,
    pairing_link,
    resolve_lapses,
)
from app.errors import Conflict, Invalid
from app.extensions import db
from app.notifications.service import notify
from app.plans.service import RampSummary, active_plan, summarise

MAX_COMMITMENTS = 5


@dataclass(frozen=True)
class CheckInEntry:
    """What the form sends: the day it was held, the three answers, and which of the last
    check-in's commitments were kept (their ids)."""

    held_on: date
    worked_on: str
    blockers: str = ""
    will_do: Sequence[str] = ()
    kept: frozenset[int] = frozenset()


def plan_start_of(pairing: BuddyPairing) -> date:
    """The cadence counts from the new hire's plan start (their pairing day without a plan)."""
    plan = active_plan(pairing.rep)
    return plan.start_date if plan is not None else pairing.paired_on


def schedule_of(pairing: BuddyPairing) -> list[date]:
    """The pairing's due dates: the cadence from the plan start, after the pairing began."""
    return due_dates(buddy_settings().cadence, plan_start_of(pairing), pairing.paired_on)


def check_ins_of(pairing: BuddyPairing) -> list[BuddyCheckIn]:
    """The pairing's check-ins, oldest first, with their commitments: two queries."""
    query = (
        select(BuddyCheckIn)
        .where(BuddyCheckIn.pairing_id == pairing.id)
        .options(selectinload(BuddyCheckIn.commitments))
        .order_by(BuddyCheckIn.held_on, BuddyCheckIn.id)
    )
    return list(db.session.scalars(query))


def to_review(check_ins: Sequence[BuddyCheckIn]) -> list[BuddyCommitment]:
    """The latest check-in's commitments that no check-in has marked yet."""
    if not check_ins:
        return []
    return [c for c in check_ins[-1].commitments if c.kept is None]


def record_check_in(
    actor: User, pairing: BuddyPairing, entry: CheckInEntry, key: str | None = None
) -> BuddyCheckIn:
    """Record a check-in for the due date whose window holds ``entry.held_on``; the last
    check-in's open commitments are marked kept or not, and open lapses resolved.

    Sent twice, or by both people at once: one check-in per due date (the unique key, and the
    pairing's row taken in turn), the repeat answering with the first.
    """
    require_check_in(actor, pairing)
    earlier = once.earlier_result(key, BuddyCheckIn)
    if earlier is not None:
        return earlier
    once.lock(pairing, BuddyPairing.ended_at)
    if not pairing.is_active:
        raise Conflict("This pairing has ended: no more check-ins.")
    due_on = _due_on(pairing, entry)
    if db.session.scalar(
        select(BuddyCheckIn.id).where(
            BuddyCheckIn.pairing_id == pairing.id, BuddyCheckIn.due_on == due_on
        )
    ):
        raise Invalid(f"The check-in due {due_on:%-d %b %Y} is already recorded.", field="held_on")
    previous = to_review(check_ins_of(pairing))
    check_in = BuddyCheckIn(
        pairing=pairing,
        due_on=due_on,
        held_on=entry.held_on,
        worked_on=entry.worked_on.strip(),
        blockers=entry.blockers.strip(),
        recorded_by=actor,
        recorded_at=now(),
        commitments=[
            BuddyCommitment(position=n, action=action.strip()[:300])
            for n, action in enumerate(_actions(entry.will_do))
        ],
    )
    db.session.add(check_in)
    db.session.flush()
    for commitment in previous:
        commitment.kept = commitment.id in entry.kept
        commitment.reviewed_in_id = check_in.id
    resolve_lapses(pairing, now())
    once.remember_result(key, check_in.id)
    other = pairing.buddy if actor.id == pairing.rep_id else pairing.rep
    notify(
        other,
        "buddy-check-in",
        f"{actor.full_name} recorded your buddy check-in.",
        pairing_link(pairing.id),
    )
    db.session.flush()
    return check_in


def _actions(will_do: Sequence[str]) -> list[str]:
    actions = [line.strip() for line in will_do if line.strip()]
    if len(actions) > MAX_COMMITMENTS:
        raise Invalid(f"At most {MAX_COMMITMENTS} things to do by next time.", field="will_do")
    return actions


def _due_on(pairing: BuddyPairing, entry: CheckInEntry) -> date:
    today = local_today(pairing.rep)
    if entry.held_on > today:
        raise Invalid("A check-in is recorded once it has happened.", field="held_on")
    if entry.held_on < pairing.paired_on:
        raise Invalid("That day is before the pairing began.", field="held_on")
    if not entry.worked_on.strip():
        raise Invalid("Say what the new hire worked on.", field="worked_on")
    due_on = window_of(schedule_of(pairing), entry.held_on, buddy_settings().grace_days)
    if due_on is None:
        raise Invalid("No check-in is due any more: the buddy programme is over.", field="held_on")
    return due_on


@dataclass(frozen=True)
class DueDate:
    """One due date of the cadence and where it stands."""

    on: date
    state: str  # "kept", "missed", "next", "upcoming"
    check_in: BuddyCheckIn | None = None


@dataclass
class PairingPage:
    """Everything the pairing page shows, computed once."""

    pairing: BuddyPairing
    progress: RampSummary
    check_ins: list[BuddyCheckIn]
    schedule: list[DueDate]
    to_review: list[BuddyCommitment]
    lapsed_since: date | None
    can_check_in: bool
    can_manage: bool
    history: list[BuddyPairing] = field(default_factory=list)


def pairing_page(actor: User, pairing: BuddyPairing) -> PairingPage:
    """The pairing page for someone who may see it (``get_pairing`` checked): the new hire's
    plan progress (milestones and status only), the check-ins and the cadence."""
    today = local_today(pairing.rep)
    grace = buddy_settings().grace_days
    check_ins = check_ins_of(pairing)
    due = schedule_of(pairing)
    held = [c.held_on for c in check_ins]
    by_due = {c.due_on: c for c in check_ins}
    misses = set(missed(due, held, today, grace))
    upcoming = next_due(due, held, today, grace)
    schedule = [
        DueDate(
            d,
            "kept"
            if d in by_due
            else "missed"
            if d in misses
            else "next"
            if d == upcoming
            else "upcoming",
            by_due.get(d),
        )
        for d in due
    ]
    manage = can_pair(actor, pairing.rep)
    return PairingPage(
        pairing=pairing,
        progress=summarise(pairing.rep, active_plan(pairing.rep), today),
        check_ins=check_ins,
        schedule=schedule,
        to_review=to_review(check_ins),
        lapsed_since=_lapsed_since(pairing, due, held, today, grace),
        can_check_in=can_check_in(actor, pairing),
        can_manage=manage,
        history=pairing_history_of(pairing.rep) if manage or actor.sees_everyone else [],
    )


def _lapsed_since(
    pairing: BuddyPairing, due: list[date], held: list[date], today: date, grace: int
) -> date | None:
    """The lapse the coach was told of, by the same rule as the alerts: misses an earlier
    lapse covered do not start another."""
    if not pairing.is_active:
        return None
    told = told_through(due, grace, earlier_lapses([pairing.id]).get(pairing.id, []), today)
    return lapse_start(due, held, today, grace, told)
