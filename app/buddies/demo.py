"""Buddies for the demo organisation, acted out through the buddy services.

Ben Okafor (SDR, day 26) has Isla Novak as his buddy since his first day and has kept every
check-in, with commitments kept and not; Hiro Tanaka (AE, day 33) and Jonas Berg checked in
once and then missed the next ones: the lapse is raised to their coach, Sam Rivera.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import delete

from app.accounts.models import User
from app.accounts.service import local_today
from app.buddies import service
from app.buddies.models import BuddyPairing
from app.extensions import db


def clear_buddies() -> None:
    """Remove every pairing (check-ins, commitments and lapses cascade)."""
    db.session.execute(delete(BuddyPairing))


def seed_buddies(coaches: Sequence[User], reps: Sequence[User], now: datetime) -> None:
    by_name = {rep.full_name: rep for rep in reps}
    ben, isla = by_name["Ben Okafor"], by_name["Isla Novak"]
    hiro, jonas = by_name["Hiro Tanaka"], by_name["Jonas Berg"]
    kept = _paired_since_day_one(coaches[0], ben, isla)
    _check_in(
        ben, kept, 7, "Cold-call blocks with the sequence", "", ["Shadow two discovery calls"]
    )
    _check_in(
        isla,
        kept,
        14,
        "Shadowed discovery calls; first booked meeting",
        "Not sure how to handle the pricing objection",
        ["Role-play pricing objection with Isla", "Book three meetings"],
        kept_all=True,
    )
    _check_in(
        ben,
        kept,
        21,
        "Objection role-play; two meetings booked",
        "CRM sequences keep pausing",
        ["Ask RevOps about the paused sequences"],
        kept_first=True,
    )
    lapsed = _paired_since_day_one(coaches[1], hiro, jonas)
    _check_in(jonas, lapsed, 7, "Product demo practice", "", ["Finish the discovery course"])
    service.run_lapse_alerts(today=now.date(), moment=now.replace(tzinfo=None))


def _paired_since_day_one(coach: User, rep: User, buddy: User) -> BuddyPairing:
    pairing = service.pair(coach, rep, buddy)
    assert rep.start_date is not None
    pairing.paired_on = rep.start_date
    pairing.paired_at = datetime.combine(rep.start_date, datetime.min.time())
    db.session.flush()
    return pairing


def _check_in(
    actor: User,
    pairing: BuddyPairing,
    day: int,
    worked_on: str,
    blockers: str,
    will_do: list[str],
    kept_all: bool = False,
    kept_first: bool = False,
) -> None:
    """A check-in held on day ``day`` of the new hire's plan (day 0 its start)."""
    rep = pairing.rep
    assert rep.start_date is not None
    held_on = min(rep.start_date + timedelta(days=day), local_today(rep))
    previous = service.to_review(service.check_ins_of(pairing))
    kept = (
        [c.id for c in previous] if kept_all else [c.id for c in previous[:1]] if kept_first else []
    )
    entry = service.CheckInEntry(held_on, worked_on, blockers, will_do, frozenset(kept))
    service.record_check_in(actor, pairing, entry)


def pair_newest_hire(coach: User, reps: Sequence[User]) -> None:
    """The large demo: each team's newest hire buddied by its longest-serving rep of the same
    job title, paired on the new hire's first day (no check-ins: it shows as lapsing)."""
    started = sorted(
        (r for r in reps if r.start_date is not None), key=lambda r: r.start_date or date.min
    )
    if len(started) < 2:
        return
    newest = started[-1]
    buddy = next((r for r in started[:-1] if r.job_title == newest.job_title), started[0])
    pairing = service.pair(coach, newest, buddy)
    assert newest.start_date is not None
    pairing.paired_on = newest.start_date
