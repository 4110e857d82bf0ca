"""The demo's leave: one rep's plan paused, so the team list and her ramp show a pause."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from app.accounts.models import User
from app.accounts.service import local_today
from app.plans.service import active_plan, pausing


def seed_pauses(hr: User, reps: Sequence[User], now: datetime) -> None:
    """Isla Novak (day 47, on track) went on parental leave four days ago, for three weeks."""
    isla = reps[8]
    plan = active_plan(isla)
    if plan is None:
        return
    today = local_today(hr, now)
    first, last = today - timedelta(days=4), today + timedelta(days=16)
    pausing.pause_plan(hr, plan, first, last, "Parental leave")
