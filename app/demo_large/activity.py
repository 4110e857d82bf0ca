"""A year of CRM activity for every rep of the large organisation, imported like a CRM's.

Each rep gets a HubSpot row for every working day from their start (at most a year ago) to
yesterday: dials that grow over the first weeks of the ramp, and conversations, meetings,
opportunities and deals that follow at the rates of a rep of their skill, with the odd day off.
The rows go through ``import_rows`` (checked, written in bulk, the summaries refreshed, number
milestones judged) a few hundred reps at a time, so the figures and summaries are exactly what
a real import would leave.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import Role, User, UserRole
from app.extensions import db
from app.metrics import service
from app.metrics.catalogue import PRESETS
from app.metrics.parsing import RawRow

YEAR_DAYS = 365
REPS_PER_IMPORT = 250
HUBSPOT = next(preset for preset in PRESETS if preset.name == "HubSpot")


def seed_a_year_of_activity(
    hr: User,
    domain: str,
    today: date,
    seed: int,
    end_batch: Callable[[], None],
    progress: Callable[[str], None],
) -> int:
    """Import every rep's days so far (at most a year) as ``hr``; how many rows."""
    source = service.ensure_source(hr, HUBSPOT.name)
    headers = [HUBSPOT.rep_column, HUBSPOT.date_column, *HUBSPOT.columns.values()]
    service.save_mapping(hr, source, service.proposed_mapping(source, headers))
    reps = db.session.execute(
        select(User.id, User.email, User.start_date)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.REP, User.email.like(f"%@{domain}"))
        .order_by(User.id)
    ).all()
    hr_id, source_id, imported = hr.id, source.id, 0
    for first in range(0, len(reps), REPS_PER_IMPORT):
        batch = reps[first : first + REPS_PER_IMPORT]
        rows = [
            row
            for rep_id, email, start in batch
            for row in _days_of(email, start, today, random.Random(f"{seed}-activity-{rep_id}"))
        ]
        rows = [RawRow(number, r.rep, r.day, r.values) for number, r in enumerate(rows, start=2)]
        actor = db.session.get_one(User, hr_id)
        service.import_rows(actor, db.session.get_one(type(source), source_id), rows, today)
        imported += len(rows)
        db.session.flush()
        end_batch()
        db.session.expunge_all()
        progress(f"activity: {first + len(batch)}/{len(reps)} reps, {imported:,} rows")
    return imported


def _days_of(email: str, start: date | None, today: date, rng: random.Random) -> Iterator[RawRow]:
    """A rep's working days from their start to yesterday, ramping up over about two months."""
    first = max(start or today, today - timedelta(days=YEAR_DAYS))
    skill = rng.uniform(0.6, 1.4)
    day = first
    while day < today:
        if day.weekday() < 5 and rng.random() > 0.06:  # a day off now and then
            ramp = min(1.0, 0.25 + (day - (start or first)).days / 80)
            yield _one_day(email, day, skill * ramp, rng)
        day += timedelta(days=1)


def _one_day(email: str, day: date, level: float, rng: random.Random) -> RawRow:
    dials = max(0, round(rng.gauss(45 * level, 8)))
    conversations = sum(rng.random() < 0.18 for _ in range(dials))
    booked = sum(rng.random() < 0.25 * min(level, 1.2) for _ in range(conversations))
    held = sum(rng.random() < 0.8 for _ in range(booked))
    opportunities = sum(rng.random() < 0.35 for _ in range(held))
    won = 1 if opportunities and rng.random() < 0.12 * level else 0
    values: dict[str, str | int | float | None] = {
        "dials": dials,
        "conversations": conversations,
        "meetings_booked": booked,
        "meetings_held": held,
        "opportunities": opportunities,
        "deals_won": won,
        "revenue": round(rng.uniform(4_000, 30_000)) if won else 0,
        "call_minutes": conversations * rng.randint(4, 9) + dials,
        "meeting_minutes": held * rng.randint(25, 45),
    }
    return RawRow(0, email, day, values)
