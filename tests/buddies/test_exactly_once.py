"""Concurrent lapse runs raise a lapse once; twenty clicks of "Record check-in" record one."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.accounts.models import Role
from app.buddies import service
from app.buddies.models import BuddyCheckIn, BuddyLapse
from app.extensions import db
from app.notifications.models import Notification
from app.plans.models import Plan
from tests.concurrency import at_once, together
from tests.conftest import create_rep, create_user


def _lapsed_pairings(count: int) -> None:
    coach = create_user(Role.COACH)
    for _ in range(count):
        rep = create_rep(day_of_ramp=30, coach=coach)
        pairing = service.pair(coach, rep, create_rep(day_of_ramp=200))
        pairing.paired_on = db.session.scalar(select(Plan.start_date).where(Plan.rep_id == rep.id))
    db.session.commit()


@pytest.mark.real_commits
def test_two_lapse_runners_at_once_raise_each_lapse_once(app: Flask, curriculum) -> None:
    _lapsed_pairings(5)

    def run() -> int:
        raised = service.run_lapse_alerts()
        db.session.commit()
        return raised

    outcomes = together(app, run)
    raised = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if not isinstance(o, int)]
    assert all(isinstance(error, OperationalError) for error in refused), refused
    if db.engine.dialect.name == "postgresql":
        assert refused == []
    assert sum(raised) == 5
    assert db.session.scalar(select(func.count(BuddyLapse.id))) == 5
    alerts = select(func.count(Notification.id)).where(Notification.kind == "buddy-lapse")
    assert db.session.scalar(alerts) == 5


@pytest.mark.real_commits
def test_twenty_identical_check_ins_at_once_record_one(app: Flask, curriculum, login) -> None:
    coach = create_user(Role.COACH)
    rep = create_rep(day_of_ramp=10, coach=coach)
    pairing = service.pair(coach, rep, create_rep(day_of_ramp=200))
    db.session.commit()
    data = {
        "held_on": date.today().isoformat(),
        "worked_on": "Calls",
        "will_do": "Book one",
        "submission_key": "twenty-clicks-0000000",
    }
    answers = at_once(app, login(rep), f"/buddies/{pairing.id}/check-ins", data)
    assert set(answers) <= {302, 409}, answers
    assert db.session.scalar(select(func.count(BuddyCheckIn.id))) == 1
