"""``flask demo --reps N``: a large organisation with a year of history, through the services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, Team, User, UserRole
from app.accounts.service import authenticate
from app.agreements.models import Agreement, AgreementStatus
from app.certification.models import CertificationAttempt
from app.coaching.models import Commitment, Debrief
from app.demo_large.agreements import sealed_count
from app.demo_large.people import DOMAIN, staff_counts, team_count
from app.extensions import db
from app.notifications.models import Notification
from app.plans.models import Milestone, MilestoneStatus
from app.recognition.models import Recognition
from app.surveys.models import PulseResponse

REPS = 40


@pytest.fixture(scope="module")
def large_snapshot(test_database):
    """``flask demo --reps 40`` run once for the module; its value is what it printed."""

    def seed() -> str:
        result = test_database.app.test_cli_runner().invoke(args=["demo", "--reps", str(REPS)])
        assert result.exit_code == 0, result.output
        return result.output

    return test_database.snapshot("demo-large-40", seed)


@pytest.fixture
def output(large_snapshot, app) -> str:
    return large_snapshot.value


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def people_with(role: Role) -> list[User]:
    query = select(User).join(UserRole).where(UserRole.role == role).order_by(User.id)
    return list(db.session.scalars(query))


def test_the_shape_scales_with_the_number_of_reps():
    assert team_count(1000) == 50
    assert team_count(REPS) == 2
    assert team_count(3) == 1
    assert staff_counts(1000) == (4, 2)
    assert staff_counts(20) == (1, 1)
    assert sealed_count(1000) == 10
    assert sealed_count(REPS) == 1


def test_the_command_says_what_it_built_and_who_can_sign_in(output):
    assert f"Large organisation ready: {REPS} reps in 2 teams" in output
    for email in ("admin1", "hr1", "coach1", "rep1"):
        assert f"{email}@{DOMAIN}" in output
        assert authenticate(f"{email}@{DOMAIN}", "demo") is not None


def test_teams_of_about_twenty_reps_each_with_a_coach(output):
    reps = people_with(Role.REP)
    coaches = people_with(Role.COACH)
    assert len(reps) == REPS
    assert count(Team) == 2
    assert len(coaches) == 2
    assert {rep.coach_id for rep in reps} == {coach.id for coach in coaches}
    assert len(people_with(Role.HR)) == 1
    assert len(people_with(Role.ADMIN)) == 1


def test_reps_started_over_the_last_year(output):
    today = date.today()
    days = [(today - rep.start_date).days + 1 for rep in people_with(Role.REP)]
    assert all(1 <= day <= 366 for day in days)
    assert min(days) < 60, "some reps are early in their ramp"
    assert max(days) > 180, "some finished their 90 days long ago"
    assert len(set(days)) > REPS // 2


def test_milestones_in_every_state(output):
    assert count(Milestone) >= REPS * 19
    for status in (MilestoneStatus.DONE, MilestoneStatus.OPEN, MilestoneStatus.SUBMITTED):
        assert count(Milestone, Milestone.status == status), status


def test_pulse_answers_and_recognition(output):
    """Reps past a checkpoint answered it; the first team has the demo's recognition."""
    assert count(PulseResponse) >= 5
    assert count(Recognition) >= 1


def test_certifications_passed_and_not_passed(output):
    attempts = count(CertificationAttempt)
    assert REPS <= attempts <= REPS * 3
    assert count(CertificationAttempt, CertificationAttempt.passed.is_(True))
    assert count(CertificationAttempt, CertificationAttempt.passed.is_(False))


def test_debriefs_with_commitments_reviewed_and_open(output):
    assert REPS * 2 <= count(Debrief) <= REPS * 5
    assert count(Commitment) >= REPS * 3
    assert count(Commitment, Commitment.outcome.is_not(None))
    assert count(Commitment, Commitment.outcome.is_(None))


def test_notifications_as_the_services_sent_them_read_and_unread(output):
    assert count(Notification) >= REPS * 8
    assert count(Notification, Notification.read_at.is_(None))
    assert count(Notification, Notification.read_at.is_not(None))


def test_agreements_in_several_states_one_sealed(output):
    statuses = set(db.session.scalars(select(Agreement.status)))
    assert AgreementStatus.COMPLETED in statuses
    assert len(statuses) >= 3
    completed = db.session.scalars(
        select(Agreement).where(Agreement.status == AgreementStatus.COMPLETED)
    ).all()
    assert len(completed) == 1
    assert completed[0].pdf and completed[0].pdf.startswith(b"%PDF")


def test_refuses_a_database_with_people_without_force(output, runner):
    result = runner.invoke(args=["demo", "--reps", "5"])
    assert result.exit_code == 1
    assert "--force" in result.output


def test_every_rep_has_a_year_of_activity_at_most_with_summaries_in_step(output):
    """Each rep's working days from their start (at most a year) were imported from the CRM,
    and the weekly summary holds every figure."""
    from app.metrics.models import ActivityFigure, ActivityWeek

    reps = [rep for rep in people_with(Role.REP) if rep.email.endswith(DOMAIN)]
    with_figures = set(db.session.scalars(select(ActivityFigure.rep_id).distinct()))
    assert {rep.id for rep in reps if rep.start_date and rep.start_date < date.today()} <= (
        with_figures
    )
    oldest = db.session.scalar(select(func.min(ActivityFigure.period_start)))
    assert oldest is not None and (date.today() - oldest).days <= 366
    summed = db.session.scalar(select(func.sum(ActivityWeek.figure_count)))
    assert summed == count(ActivityFigure)
    assert "days of activity imported" in output
