"""A rep who has kept up with their plan: for the ramp page's layout tests (HTTP and browser)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.accounts.models import User
from app.extensions import db
from app.plans import service
from app.plans.models import MeasureKind, MilestoneStatus


def rep_caught_up(make_rep, day_of_ramp: int, done_before_day: int) -> User:
    """A rep on ``day_of_ramp`` with every milestone due before ``done_before_day`` done.

    Done through the services (reported, then verified by the coach), except certification
    milestones: passing a certification is a long story of its own, so those are set done.
    """
    rep = make_rep(day_of_ramp=day_of_ramp, plan="sdr-ramp")
    plan = service.active_plan(rep)
    assert plan is not None
    for milestone in plan.milestones:
        if milestone.due_day >= done_before_day:
            continue
        if milestone.measure_kind == MeasureKind.CERTIFICATION:
            milestone.status = MilestoneStatus.DONE
            milestone.completed_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1)
            continue
        service.record_progress(rep, milestone, value=milestone.target, note="Done.")
        if milestone.status == MilestoneStatus.SUBMITTED:
            service.verify(rep.coach, milestone, "Checked.")
    db.session.commit()
    return rep
