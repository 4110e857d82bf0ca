"""``flask demo``: the documented logins, reps all along their ramp, and care with real data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.accounts.service import authenticate
from app.api.models import ApiToken
from app.buddies.models import BuddyCheckIn, BuddyLapse, BuddyPairing
from app.extensions import db
from app.mail import MailStatus, OutboundMail
from app.notifications.models import Notification
from app.plans import service
from app.plans.models import MilestoneStatus
from app.plans.status import RepStatus

DOCUMENTED_LOGINS = {
    "admin@demo.salesramp": Role.ADMIN,
    "hr@demo.salesramp": Role.HR,
    "coach1@demo.salesramp": Role.COACH,
    "coach2@demo.salesramp": Role.COACH,
    "rep1@demo.salesramp": Role.REP,
}


def users() -> list[tuple[int, str]]:
    db.session.rollback()
    rows = db.session.execute(select(User.id, User.email).order_by(User.id))
    return [(user_id, email) for user_id, email in rows]


@pytest.fixture
def seeded(demo_snapshot, app):
    """The demo as ``flask demo`` seeds it (seeded once per run, see ``demo_snapshot``)."""
    return demo_snapshot.value


@pytest.mark.parametrize(("email", "role"), DOCUMENTED_LOGINS.items())
def test_the_documented_logins_work_with_password_demo(seeded, email, role):
    user = authenticate(email, "demo")
    assert user is not None, email
    assert user.has_role(role)
    assert email in seeded


def test_there_are_at_least_eight_reps_spread_over_the_ramp(seeded):
    admin = authenticate("admin@demo.salesramp", "demo")
    summaries = service.team_overview(admin)
    assert len(summaries) >= 8
    days = [s.day for s in summaries]
    assert all(3 <= day <= 85 for day in days)
    assert min(days) <= 5
    assert max(days) >= 80
    assert len(set(days)) == len(days)  # everyone on a different day
    assert all(s.plan is not None for s in summaries)
    assert {s.rep.coach.email for s in summaries} == {
        "coach1@demo.salesramp",
        "coach2@demo.salesramp",
    }


def test_reps_have_done_pending_and_overdue_milestones(seeded):
    admin = authenticate("admin@demo.salesramp", "demo")
    summaries = service.team_overview(admin)
    milestones = [m for s in summaries for m in s.plan.milestones]
    assert any(m.status == MilestoneStatus.DONE for m in milestones)
    assert any(m.status == MilestoneStatus.SUBMITTED for m in milestones)
    assert any(s.overdue for s in summaries)
    assert any(s.due_this_week for s in summaries)
    # Done milestones carry their history: who did it, and a verifier where one was needed.
    for milestone in milestones:
        if milestone.status == MilestoneStatus.DONE:
            assert milestone.events
            if milestone.requires_verification:
                assert milestone.verified_by is not None


def test_the_demo_shows_every_status_a_coach_acts_on(seeded):
    admin = authenticate("admin@demo.salesramp", "demo")
    statuses = {s.status for s in service.team_overview(admin)}
    assert {RepStatus.ON_TRACK, RepStatus.BEHIND, RepStatus.AT_RISK} <= statuses


def test_each_coach_sees_only_their_own_demo_reps(seeded):
    coach = authenticate("coach1@demo.salesramp", "demo")
    mine = service.team_overview(coach)
    assert mine
    assert all(s.rep.coach_id == coach.id for s in mine)


def test_demo_refuses_a_database_with_people(runner, curriculum, make_user):
    existing = make_user(Role.ADMIN)
    before = users()

    result = runner.invoke(args=["demo"])

    assert result.exit_code != 0
    assert "--force" in result.output
    assert users() == before
    assert db.session.get(User, existing.id) is not None


def test_running_demo_twice_is_refused_the_second_time(runner, seeded):
    before = users()
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert users() == before


def test_force_replaces_everyone(runner, curriculum, make_user):
    existing = make_user(Role.ADMIN)
    existing_email = existing.email

    result = runner.invoke(args=["demo", "--force"])

    assert result.exit_code == 0, result.output
    emails = [email for _, email in users()]
    assert existing_email not in emails
    assert "admin@demo.salesramp" in emails
    assert len(emails) == len(set(emails))


def test_force_twice_gives_the_same_organisation(runner, seeded):
    first = sorted(email for _, email in users())
    assert runner.invoke(args=["demo", "--force"]).exit_code == 0
    assert sorted(email for _, email in users()) == first


def test_if_empty_skips_quietly_when_there_are_people(runner, curriculum, make_user):
    make_user(Role.ADMIN)
    before = users()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert users() == before
    assert "not seeded" in result.output


def test_if_empty_seeds_an_empty_database(runner, curriculum):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert authenticate("rep1@demo.salesramp", "demo") is not None


def test_demo_needs_the_curriculum_first(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "curriculum load" in result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_the_admins_outbox_shows_the_demo_password_reset_email(seeded, client):
    [mail] = db.session.scalars(
        select(OutboundMail).where(OutboundMail.template == "password_reset")
    ).all()
    assert mail.to_address == "rep7@demo.salesramp"
    assert mail.from_name == "Northwind Software"
    assert mail.status is MailStatus.SENT  # the tests run the job at once, as make run's worker
    response = client.post("/login", data={"email": "admin@demo.salesramp", "password": "demo"})
    assert response.status_code == 302
    page = client.get("/admin/outbox")
    assert "Grace Kim" in page.text
    assert "Reset your SalesRamp password" in page.text


def test_the_demo_has_agreements_with_deadlines_one_overdue_and_a_booked_assessment(seeded):
    from datetime import UTC, datetime

    from app.agreements.models import Agreement
    from app.certification.models import ScheduledAssessment, ScheduleStatus

    today = datetime.now(UTC).date()
    waiting = db.session.scalars(select(Agreement).where(Agreement.sign_by.is_not(None))).all()
    assert waiting and any(a.is_overdue(today) for a in waiting)
    assert any(not a.is_overdue(today) for a in waiting)
    [booking] = db.session.scalars(select(ScheduledAssessment)).all()
    assert booking.status is ScheduleStatus.SCHEDULED and booking.rep.full_name == "Ben Okafor"
    assert booking.starts_at.date() > today


def test_the_demo_says_how_to_use_the_api_and_makes_no_token(seeded):
    assert "API tokens" in seeded and "/api/v1/docs" in seeded
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_the_demo_has_a_kept_buddy_pairing_and_one_lapse_raised_to_the_coach(seeded):
    pairings = {p.rep.full_name: p for p in db.session.scalars(select(BuddyPairing))}
    assert set(pairings) == {"Ben Okafor", "Hiro Tanaka"}
    ben = pairings["Ben Okafor"]
    assert ben.buddy.full_name == "Isla Novak"
    held = db.session.scalar(
        select(func.count(BuddyCheckIn.id)).where(BuddyCheckIn.pairing_id == ben.id)
    )
    assert held == 3
    (lapse,) = db.session.scalars(select(BuddyLapse))
    assert lapse.pairing_id == pairings["Hiro Tanaka"].id and lapse.resolved_at is None
    alert = db.session.scalar(select(Notification).where(Notification.kind == "buddy-lapse"))
    assert alert is not None and alert.recipient.full_name == "Sam Rivera"
