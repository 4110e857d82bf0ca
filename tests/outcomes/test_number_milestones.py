"""Number milestones with ``actuals`` judge themselves when figures arrive: on import and on
the rep's own log, once, on the record like any other change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.metrics import service as metrics
from app.notifications.models import Notification
from app.plans.models import Milestone, MilestoneEvent, MilestoneStatus
from tests.outcomes.conftest import start_of


def _milestone(rep: User, key: str) -> Milestone:
    found = db.session.scalar(
        select(Milestone).where(Milestone.key == key, Milestone.plan.has(rep_id=rep.id))
    )
    assert found is not None
    return found


def _events(milestone: Milestone) -> list[tuple[str, object]]:
    rows = db.session.execute(
        select(MilestoneEvent.action, MilestoneEvent.actor_id).where(
            MilestoneEvent.milestone_id == milestone.id
        )
    )
    return [tuple(row) for row in rows]


def test_an_import_that_meets_the_weeks_completes_the_milestone_once(
    make_rep: Callable[..., User], figures: Callable[..., None]
) -> None:
    rep = make_rep(day_of_ramp=52)  # "Make 50 dials a week" in ramp weeks 6 and 7
    monday = start_of(rep) - timedelta(days=start_of(rep).weekday())
    week6 = (monday + timedelta(weeks=5) - start_of(rep)).days + 1
    figures(rep, [(week6, {"dials": 60})])
    dials = _milestone(rep, "weekly-dials")
    assert dials.status is MilestoneStatus.OPEN  # week 7 not met yet
    figures(rep, [(week6, {"dials": 60}), (week6 + 7, {"dials": 51})])
    db.session.refresh(dials)
    assert dials.status is MilestoneStatus.DONE and dials.value == 111
    assert _events(dials) == [("met from activity", None)]
    figures(rep, [(week6, {"dials": 60}), (week6 + 7, {"dials": 51})])  # the same file again
    assert _events(dials) == [("met from activity", None)]


def test_a_milestone_that_needs_verifying_waits_for_the_coach(
    make_rep: Callable[..., User],
) -> None:
    rep = make_rep(day_of_ramp=20)  # "Book 5 qualified meetings", verified by the coach
    today = date.today()
    metrics.log_day(rep, today - timedelta(days=1), {"meetings_booked": 3}, today)
    booked = _milestone(rep, "first-meetings-booked")
    assert booked.status is MilestoneStatus.OPEN
    metrics.log_day(rep, today, {"meetings_booked": 2}, today)
    db.session.commit()
    db.session.refresh(booked)
    assert booked.status is MilestoneStatus.SUBMITTED
    assert _events(booked) == [("met from activity", rep.id)]
    waiting = db.session.scalars(
        select(Notification.kind).where(Notification.recipient_id == rep.coach.id)
    )
    assert "milestone-to-verify" in list(waiting)
    metrics.log_day(rep, today, {"meetings_booked": 4}, today)  # a correction: no second event
    assert _events(booked) == [("met from activity", rep.id)]
