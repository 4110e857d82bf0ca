"""Recognition of an activity figure: one of the rep's weeks for a metric, for those who may
see the rep's activity (their coach, admins), never a team-mate and never another rep's week."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role, Team, User
from app.errors import Invalid
from app.extensions import db
from app.metrics import service as metrics
from app.notifications.models import Notification
from app.recognition import service
from app.recognition.models import AchievementKind, Recognition

TODAY = date.today()


@pytest.fixture
def team(make_team) -> Team:
    return make_team("Team Figures")


@pytest.fixture
def coach(make_user, team) -> User:
    return make_user(Role.COACH, name="Casey Coach", team=team)


def _rep_who_booked(make_rep, coach: User, team: Team, name: str, booked: int) -> User:
    rep = make_rep(day_of_ramp=40, coach=coach, name=name)
    rep.team = team
    db.session.commit()
    metrics.log_day(rep, TODAY - timedelta(days=1), {"meetings_booked": booked}, TODAY)
    db.session.commit()
    return rep


@pytest.fixture
def rep(make_rep, coach, team) -> User:
    return _rep_who_booked(make_rep, coach, team, "Riley Booker", 12)


@pytest.fixture
def team_mate(make_rep, coach, team) -> User:
    return _rep_who_booked(make_rep, coach, team, "Tayo Teammate", 3)


def _figures(actor: User, rep: User) -> list[service.Achievement]:
    found = service.achievements_of(actor, rep, TODAY)
    return [a for a in found if a.kind is AchievementKind.METRIC]


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def test_the_coach_recognises_a_week_of_meetings_booked(coach, rep) -> None:
    (figure,) = _figures(coach, rep)
    week = _week_of(TODAY - timedelta(days=1))
    assert figure.choice == f"metric:meetings_booked:{week.isoformat()}"
    assert figure.what == f"Meetings booked: 12 in the week of {week.day} {week:%b %Y}"
    given = service.give_recognition(coach, rep, figure.choice, "Twelve! Great week.", today=TODAY)
    db.session.commit()
    assert (given.kind, given.metric, given.week_start, given.record_id) == (
        AchievementKind.METRIC, "meetings_booked", week, 0,
    )  # fmt: skip
    notice = db.session.scalar(select(Notification).where(Notification.recipient_id == rep.id))
    assert notice is not None and "Meetings booked: 12 in the week of" in notice.message


def test_a_team_mate_cannot_pick_a_figure_they_may_not_see(coach, rep, team_mate) -> None:
    """A rep does not see a team-mate's activity, so they cannot recognise it either."""
    assert _figures(team_mate, rep) == []
    choice = _figures(coach, rep)[0].choice
    with pytest.raises(Invalid):
        service.give_recognition(team_mate, rep, choice, "Nice week", today=TODAY)


def test_another_reps_figure_is_refused(coach, rep, team_mate) -> None:
    theirs = _figures(coach, team_mate)[0].choice
    week = _week_of(TODAY - timedelta(days=1)).isoformat()
    for choice in (theirs.replace("meetings_booked", "deals_won"), "metric:meetings_booked:x",
                   f"metric:dials:{week}", "metric:"):  # fmt: skip
        with pytest.raises(Invalid):
            service.give_recognition(coach, rep, choice, "Nice week", today=TODAY)
    # The same metric and week, of another rep, is this rep's own figure, with this rep's number.
    service.give_recognition(coach, rep, theirs, "Nice week", today=TODAY)
    assert db.session.scalar(select(Recognition.what)).startswith("Meetings booked: 12")


def test_the_feed_and_the_reps_page_say_which_figure(coach, rep, team_mate, login) -> None:
    figure = _figures(coach, rep)[0]
    service.give_recognition(coach, rep, figure.choice, "A record week", today=TODAY)
    db.session.commit()
    for client, path in (
        (login(team_mate), "/recognition/"),
        (login(rep), f"/recognition/reps/{rep.id}"),
    ):
        page = client.get(path)
        assert page.status_code == 200
        assert "Activity" in page.text and "Meetings booked: 12 in the week of" in page.text


def test_the_coach_picks_a_figure_in_the_form(coach, rep, login) -> None:
    client = login(coach)
    page = client.get(f"/recognition/reps/{rep.id}")
    figure = _figures(coach, rep)[0]
    assert f'value="{figure.choice}"' in page.text
    sent = client.post(
        f"/recognition/reps/{rep.id}", data={"achievement": figure.choice, "note": "Twelve!"}
    )
    assert sent.status_code == 303
    assert db.session.scalar(select(Recognition.metric)) == "meetings_booked"
