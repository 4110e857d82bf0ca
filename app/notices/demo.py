"""Demo notices: Diego's revised improvement agreement, signed five weeks ago, and the two
notices the sweep drafts under it: one HR sent and Diego signed (sealed), one still a draft.

Diego is at risk in the demo (three overdue milestones) and failed two certifications; the
status record of the last 13 days is seeded as the daily sweep would have kept it, so today's
sweep finds him at risk for 14 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.agreements import service as agreements
from app.agreements.audit import Evidence, now
from app.agreements.models import Agreement
from app.extensions import db
from app.notices import service
from app.notices.models import NoticeEpisode, RepStatusDay

DEMO = Evidence(ip_address="192.0.2.10", user_agent="SalesRamp demo seed")
WINDOW = timedelta(minutes=5)
SIGNED_DAYS_AGO = 35


def clear_notices() -> None:
    """Remove every episode and status record (before the agreements they point to)."""
    for model in (NoticeEpisode, RepStatusDay):
        db.session.execute(model.__table__.delete())
    db.session.flush()


def _sign(user: User, agreement: Agreement) -> None:
    given = agreements.SignatureInput(user.full_name, consent=True, signed_in_at=now())
    agreements.record_opened(user, agreement, DEMO)
    agreements.record_reached_end(user, agreement, DEMO)
    agreements.sign(user, agreement, given, DEMO, WINDOW)


def seed_notices(hr: User, diego: User, today: date) -> None:
    """Diego's signed agreement, his status record, today's sweep, and one notice signed."""
    values = agreements.initial_values("performance-improvement", diego) | {
        "gap_summary": "Demos booked: 1 a week against 4, for the last 6 weeks; three "
        "milestones of the plan are overdue.",
        "support_offered": "Two call reviews a week with your coach.\n"
        "Shadowing two demos a week with a senior AE.",
        "improvement_targets": "4 demos booked a week.\nThe Demo certification passed.",
        "period_start": (today - timedelta(days=SIGNED_DAYS_AGO)).isoformat(),
        "period_end": (today + timedelta(days=25)).isoformat(),
        "review_dates": "every Friday, and a final review on the last day",
    }
    pip = agreements.create_draft(hr, diego, "performance-improvement", values, DEMO)
    agreements.send(hr, pip, DEMO)
    _sign(diego, pip)
    _sign(hr, pip)
    # Signed five weeks ago (the demo is seeded today): only what came after counts.
    pip.completed_at = datetime.combine(today - timedelta(days=SIGNED_DAYS_AGO), time(16))
    for days_ago in range(1, 14):
        day = today - timedelta(days=days_ago)
        db.session.add(RepStatusDay(rep_id=diego.id, day=day, status="at risk"))
    db.session.flush()
    service.run_sweep(today)
    at_risk = db.session.scalar(
        select(Agreement)
        .join(NoticeEpisode, NoticeEpisode.notice_id == Agreement.id)
        .where(NoticeEpisode.condition_key == "status-at_risk-14")
    )
    if at_risk is None:  # the demo's Diego is no longer at risk: nothing to show signed
        return
    agreements.send(hr, at_risk, DEMO)
    _sign(diego, at_risk)
    _sign(hr, at_risk)


def demo_rep(reps: Sequence[User], name: str) -> User:
    return next(rep for rep in reps if rep.full_name == name)
