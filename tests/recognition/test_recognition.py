"""Recognition: tied to the rep's own records, never oneself, the rep notified, the team feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, Team, User
from app.coaching import service as coaching
from app.coaching.followthrough import Outcome
from app.coaching.models import DebriefKind
from app.errors import Invalid, NotAllowed
from app.extensions import db
from app.mail import OutboundMail
from app.notifications.models import Notification
from app.plans.models import MilestoneStatus, Plan
from app.recognition import service
from app.recognition.models import AchievementKind, Recognition


@pytest.fixture
def team(make_team: Callable[..., Team]) -> Team:
    return make_team("Team Recognition")


@pytest.fixture
def coach(make_user: Callable[..., User], team: Team) -> User:
    return make_user(Role.COACH, name="Casey Coach", team=team)


def _rep_with_milestone_done(
    make_rep: Callable[..., User], coach: User, team: Team, name: str
) -> User:
    rep = make_rep(day_of_ramp=20, coach=coach, name=name)
    rep.team = team
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    assert plan is not None
    plan.milestones[0].status = MilestoneStatus.DONE
    db.session.commit()
    return rep


@pytest.fixture
def rep(make_rep, coach, team) -> User:
    return _rep_with_milestone_done(make_rep, coach, team, "Riley Recognised")


@pytest.fixture
def team_mate(make_rep, coach, team) -> User:
    return _rep_with_milestone_done(make_rep, coach, team, "Tayo Teammate")


def _milestone_choice(actor: User, rep: User) -> str:
    found = service.achievements_of(actor, rep)
    return next(a.choice for a in found if a.kind is AchievementKind.MILESTONE)


def test_a_coach_recognises_a_milestone_and_the_rep_hears_of_it(coach, rep) -> None:
    choice = _milestone_choice(coach, rep)
    recognition = service.give_recognition(coach, rep, choice, "  Great   first week!  ")
    db.session.commit()
    assert recognition.note == "Great first week!"
    assert recognition.team_id == rep.team_id
    notice = db.session.scalar(select(Notification).where(Notification.recipient_id == rep.id))
    assert notice is not None and "Casey Coach recognised you" in notice.message
    assert notice.link == f"/recognition/reps/{rep.id}"
    # Email at once is on by default: the rep gets an email too.
    mails = db.session.scalars(
        select(OutboundMail).where(OutboundMail.to_address == rep.email)
    ).all()
    assert any("recognised you" in m.subject for m in mails)


def test_nobody_recognises_themselves(rep) -> None:
    with pytest.raises(NotAllowed, match="cannot recognise yourself"):
        service.give_recognition(rep, rep, "milestone:1", "Me!")
    assert not service.can_recognise(rep, rep)


def test_the_achievement_must_be_the_reps_own(coach, rep, team_mate) -> None:
    someone_elses = _milestone_choice(coach, team_mate)
    with pytest.raises(Invalid) as caught:
        service.give_recognition(coach, rep, someone_elses, "Well done")
    assert caught.value.field == "achievement"
    with pytest.raises(Invalid):
        service.give_recognition(coach, rep, "milestone:999999", "Well done")
    with pytest.raises(Invalid):  # an open milestone is not an achievement
        plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
        service.give_recognition(coach, rep, f"milestone:{plan.milestones[-1].id}", "Well done")
    assert db.session.scalar(select(func.count(Recognition.id))) == 0


def test_a_note_is_required_and_short(coach, rep) -> None:
    choice = _milestone_choice(coach, rep)
    for note, message in (("   ", "Say in a few words"), ("x" * 281, "280 characters")):
        with pytest.raises(Invalid, match=message) as caught:
            service.give_recognition(coach, rep, choice, note)
        assert caught.value.field == "note"


def test_team_mates_may_recognise_others_may_not(
    make_rep, make_user, coach, rep, team_mate
) -> None:
    choice = _milestone_choice(team_mate, rep)
    service.give_recognition(team_mate, rep, choice, "Thanks for the help")
    stranger = make_rep(day_of_ramp=20, name="Sam Stranger")  # no team, another coach
    other_coach = make_user(Role.COACH)
    for outsider in (stranger, other_coach):
        assert not service.can_recognise(outsider, rep)
        with pytest.raises(NotAllowed):
            service.give_recognition(outsider, rep, choice, "Hi")
        with pytest.raises(NotAllowed):
            service.achievements_of(outsider, rep)


def test_kept_commitments_are_for_the_coach_not_team_mates(coach, rep, team_mate) -> None:
    today = date.today()
    debrief = coaching.create_debrief(
        coach, rep, coaching.DebriefSetup(today, DebriefKind.ROLE_PLAY, "discovery"), today
    )
    entry = coaching.CommitmentEntry("Ask for the meeting", "Three asks", today + timedelta(days=7))
    coaching.record_debrief(coach, debrief, coaching.DebriefRecord(commitments=[entry]), today)
    coaching.review_commitment(coach, debrief.commitments[0], Outcome.KEPT, "", True)
    kinds = {a.kind for a in service.achievements_of(coach, rep)}
    assert AchievementKind.COMMITMENT in kinds
    assert AchievementKind.COMMITMENT not in {
        a.kind for a in service.achievements_of(team_mate, rep)
    }


def test_a_repeated_submission_recognises_once(coach, rep) -> None:
    choice = _milestone_choice(coach, rep)
    first = service.give_recognition(coach, rep, choice, "Once", key="same-key")
    again = service.give_recognition(coach, rep, choice, "Once", key="same-key")
    assert first.id == again.id
    assert db.session.scalar(select(func.count(Recognition.id))) == 1


def test_the_feed_shows_the_team_and_not_other_teams(
    coach, rep, team_mate, make_rep, login, client
) -> None:
    service.give_recognition(coach, rep, _milestone_choice(coach, rep), "Team player")
    db.session.commit()
    stranger = make_rep(day_of_ramp=20, name="Sam Stranger")
    assert "Team player" in login(team_mate).get("/recognition/").text
    client.post("/logout")
    page = login(stranger).get("/recognition/")
    assert page.status_code == 200
    assert "Team player" not in page.text and "Riley Recognised" not in page.text
    assert login(stranger).get(f"/recognition/reps/{rep.id}").status_code == 403


def test_the_form_gives_recognition_and_says_what_is_wrong(coach, rep, login) -> None:
    client = login(coach)
    page = client.get(f"/recognition/reps/{rep.id}")
    assert page.status_code == 200 and "Recognise Riley" in page.text
    choice = _milestone_choice(coach, rep)
    refused = client.post(f"/recognition/reps/{rep.id}", data={"achievement": choice, "note": ""})
    assert refused.status_code == 400
    assert "Say in a few words what you are recognising." in refused.text
    sent = client.post(
        f"/recognition/reps/{rep.id}", data={"achievement": choice, "note": "Brilliant"}
    )
    assert sent.status_code == 303
    assert "Brilliant" in client.get(f"/recognition/reps/{rep.id}").text


def test_a_rep_cannot_post_recognition_for_themselves(rep, login) -> None:
    response = login(rep).post(
        f"/recognition/reps/{rep.id}", data={"achievement": "milestone:1", "note": "Me"}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Recognition.id))) == 0
