"""The demo shows recognition, pulse survey results (and a group too small to show) and
debrief ratings (one coach's trend shown, the other's under five)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.service import local_today
from app.extensions import db
from app.pagination import PageRequest
from app.recognition import service as recognition
from app.surveys import service


@pytest.fixture
def seeded(demo_snapshot, app):
    """The demo as ``flask demo`` seeds it (seeded once per run, see ``demo_snapshot``)."""


def _person(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def test_the_demo_has_recognition_in_both_teams(seeded) -> None:
    feed = recognition.team_feed(_person("admin@demo.salesramp"), PageRequest())
    assert feed.total == 6
    assert any(r.kind.value == "metric" and "Meetings booked" in r.what for r in feed.items)
    assert len({r.rep.team_id for r in feed.items}) == 2


def test_the_demo_shows_everyone_and_withholds_day_30_and_day_60(seeded) -> None:
    """Day 60 has three answers; day 30 is withheld too, as everyone less day 30 is day 60."""
    hr = _person("hr@demo.salesramp")
    assert service.pulse_results(hr, service.ResultFilter()).shown
    day_30 = service.pulse_results(hr, service.ResultFilter(checkpoint=30))
    assert day_30.withheld and day_30.respondents >= service.MIN_GROUP
    assert not service.pulse_results(hr, service.ResultFilter(checkpoint=60)).shown
    hiro = _person("rep8@demo.salesramp")  # Hiro, day 33: his day-30 survey waits for him
    assert service.due_pulses(hiro, local_today(hiro)) == [30]


def test_the_demo_has_one_coach_trend_shown_and_one_under_five(seeded) -> None:
    """Once the demo's months are over (the current month is shown from the 2nd of the next)."""
    later = date.today() + timedelta(days=62)
    summary = service.ratings_by_coach(_person("admin@demo.salesramp"), later)
    assert sorted(s.average is None for s in summary) == [False, True]
