"""Raising overdue work: who hears at each level, once per item and level, and when it stops."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.accounts.models import Organisation, Role, User
from app.coaching import service as coaching
from app.coaching.followthrough import Outcome
from app.escalations import service
from app.escalations.models import Escalation
from app.extensions import db
from app.mail import OutboundMail
from app.notifications.models import DigestFrequency, Notification
from app.notifications.service import set_preferences
from app.plans.models import MilestoneStatus, Plan
from app.plans.service import record_progress
from tests.concurrency import together
from tests.conftest import create_rep, create_user
from tests.escalations.helpers import TODAY, not_yet_due, overdue_commitment, overdue_milestone
from tests.querycount import counting_queries


def _escalations() -> list[Escalation]:
    return list(db.session.scalars(select(Escalation).order_by(Escalation.level, Escalation.id)))


def _inbox(user: User) -> list[Notification]:
    query = select(Notification).where(
        Notification.recipient_id == user.id, Notification.kind.like("escalation-%")
    )
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_nothing_is_raised_before_the_coachs_threshold(make_rep: Callable[..., User]) -> None:
    rep = make_rep(day_of_ramp=40)
    overdue_milestone(rep, days_late=2)
    assert service.run_escalations(today=TODAY) == service.RunResult()
    assert _escalations() == [] and _inbox(rep.coach) == []


def test_three_days_late_is_raised_to_the_coach_once(make_rep: Callable[..., User]) -> None:
    rep = make_rep(day_of_ramp=40)
    milestone = overdue_milestone(rep, days_late=3)

    first = service.run_escalations(today=TODAY)
    again = service.run_escalations(today=TODAY)
    later = service.run_escalations(today=TODAY + timedelta(days=2))
    db.session.commit()

    assert (first.coach, first.manager, first.notified) == (1, 0, 1)
    assert again == later == service.RunResult()
    (escalation,) = _escalations()
    assert (escalation.milestone_id, escalation.level, escalation.days_late) == (milestone.id, 1, 3)
    assert escalation.raised_to == rep.coach.full_name and not escalation.is_resolved
    (notification,) = _inbox(rep.coach)
    assert notification.link == f"/milestones/{milestone.id}"
    assert rep.full_name in notification.message and milestone.title in notification.message
    assert "3 days" in notification.message
    assert _inbox(rep) == []  # the rep's own page already says it is overdue


def test_ten_days_late_goes_to_the_coachs_own_coach(
    make_user: Callable[..., User], curriculum
) -> None:
    manager = create_user(Role.COACH, name="Morgan Manager")
    coach = create_user(Role.COACH, name="Casey Coach", coach=manager)
    hr = create_user(Role.HR)
    rep = create_rep(day_of_ramp=40, coach=coach)
    overdue_milestone(rep, days_late=4)
    service.run_escalations(today=TODAY)

    result = service.run_escalations(today=TODAY + timedelta(days=6))  # now 10 days late
    db.session.commit()

    assert (result.coach, result.manager) == (0, 1)
    assert [(e.level, e.raised_to, e.days_late) for e in _escalations()] == [
        (1, "Casey Coach", 4),
        (2, "Morgan Manager", 10),
    ]
    (notification,) = _inbox(manager)
    assert notification.link == f"/escalations?rep={rep.id}"
    assert len(_inbox(coach)) == 1 and _inbox(hr) == []


def test_without_a_coachs_coach_the_manager_level_goes_to_every_hr_person(
    make_rep: Callable[..., User],
) -> None:
    rep = make_rep(day_of_ramp=40)
    first_hr, second_hr = create_user(Role.HR), create_user(Role.HR)
    create_user(Role.HR, active=False)
    overdue_milestone(rep, days_late=12)

    result = service.run_escalations(today=TODAY)
    db.session.commit()

    # Found 12 days late at its first run: raised at both levels at once.
    assert (result.coach, result.manager, result.notified) == (1, 1, 3)
    assert len(_inbox(rep.coach)) == 1
    assert len(_inbox(first_hr)) == len(_inbox(second_hr)) == 1


def test_a_rep_without_a_coach_is_raised_to_hr(make_rep: Callable[..., User]) -> None:
    rep = make_rep(day_of_ramp=40)
    hr = create_user(Role.HR)
    rep.coach = None
    overdue_milestone(rep, days_late=5)
    service.run_escalations(today=TODAY)
    db.session.commit()
    assert len(_inbox(hr)) == 1
    assert _escalations()[0].raised_to == hr.full_name


def test_done_work_stops_the_escalation_and_shows_it_resolved(
    make_rep: Callable[..., User],
) -> None:
    create_user(Role.HR)
    rep = make_rep(day_of_ramp=40)
    milestone = overdue_milestone(rep, days_late=3)
    service.run_escalations(today=TODAY)
    db.session.commit()

    record_progress(rep, milestone, note="Done at last")
    db.session.commit()
    later = service.run_escalations(today=TODAY + timedelta(days=20))
    db.session.commit()

    assert later == service.RunResult()
    (escalation,) = _escalations()
    assert escalation.is_resolved
    assert escalation.resolved_at == (milestone.completed_at or milestone.submitted_at)
    assert escalation.resolved_at is not None


def test_submitted_work_waits_on_the_coach_and_is_not_escalated(
    make_rep: Callable[..., User],
) -> None:
    rep = make_rep(day_of_ramp=40)
    milestone = overdue_milestone(rep, days_late=5)
    milestone.status = MilestoneStatus.SUBMITTED
    db.session.commit()
    assert service.run_escalations(today=TODAY) == service.RunResult()


def test_archived_plans_and_deactivated_reps_are_left_alone(
    make_rep: Callable[..., User],
) -> None:
    archived, gone = make_rep(day_of_ramp=40), make_rep(day_of_ramp=40)
    overdue_milestone(archived, days_late=5)
    overdue_milestone(gone, days_late=5)
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == archived.id))
    plan.archived_at = plan.assigned_at
    gone.active = False
    db.session.commit()
    assert service.run_escalations(today=TODAY) == service.RunResult()


def test_overdue_commitments_are_raised_and_stop_when_reviewed(
    make_rep: Callable[..., User],
) -> None:
    rep = make_rep(day_of_ramp=40)
    not_yet_due(rep)
    commitment = overdue_commitment(rep, days_late=3)

    result = service.run_escalations(today=TODAY)
    db.session.commit()
    assert (result.coach, result.manager) == (1, 0)
    (notification,) = _inbox(rep.coach)
    assert notification.link == f"/coaching/debriefs/{commitment.debrief_id}"

    coaching.review_commitment(rep.coach, commitment, Outcome.KEPT, "")
    db.session.commit()
    assert service.run_escalations(today=TODAY + timedelta(days=30)) == service.RunResult()
    (escalation,) = _escalations()
    assert escalation.commitment_id == commitment.id
    assert escalation.is_resolved and escalation.resolved_at == commitment.closed_at


def test_business_days_follow_the_plan(make_rep: Callable[..., User]) -> None:
    tuesday = TODAY - timedelta(days=1)
    counted_in_business_days, counted_in_calendar_days = make_rep(day_of_ramp=40), make_rep()
    for rep in (counted_in_business_days, counted_in_calendar_days):
        friday = overdue_milestone(rep, days_late=4, today=tuesday).due_date
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == counted_in_business_days.id))
    plan.business_days = True
    db.session.commit()
    assert (tuesday.weekday(), friday.weekday()) == (1, 4)

    assert service.run_escalations(today=tuesday).coach == 1  # Monday and Tuesday: 2 days
    assert [e.rep_id for e in _escalations()] == [counted_in_calendar_days.id]
    assert service.run_escalations(today=TODAY).coach == 1  # Wednesday: 3 business days


def test_commitments_count_business_days_when_the_organisation_does(
    make_rep: Callable[..., User],
) -> None:
    db.session.add(Organisation(id=1, name="Org", business_days=True))
    rep = make_rep(day_of_ramp=40)
    not_yet_due(rep)
    tuesday = TODAY - timedelta(days=1)
    overdue_commitment(rep, days_late=4, today=tuesday)  # due the Friday before
    assert service.run_escalations(today=tuesday) == service.RunResult()
    assert service.run_escalations(today=TODAY).coach == 1


def _overdue_team(count: int, coach: User) -> list[User]:
    reps = [create_rep(day_of_ramp=40, coach=coach) for _ in range(count)]
    for rep in reps:
        overdue_milestone(rep, days_late=12)
        overdue_commitment(rep, days_late=4)
    return reps


def test_a_run_asks_as_many_queries_for_50_reps_as_for_5(curriculum) -> None:
    """Everything but the rows it writes for people: a notification and, where their settings
    say so, an email each (``queue_mail`` flushes its row to queue the send by id, so neither
    is batched then). Those go through ``notify``, which decides how each person is told."""
    create_user(Role.HR)
    manager = create_user(Role.COACH)

    def count_run(reps: int) -> tuple[int, service.RunResult]:
        _overdue_team(reps, create_user(Role.COACH, coach=manager))
        db.session.commit()
        db.session.expunge_all()
        with counting_queries() as statements:
            result = service.run_escalations(today=TODAY)
        db.session.commit()
        per_person = ("INSERT INTO notifications", "INSERT INTO outbound_mails")
        counted = [s for s in statements if not any(kind in s for kind in per_person)]
        return len(counted), result

    five, first = count_run(5)
    fifty, second = count_run(50)
    assert (first.coach, first.manager) == (10, 5)
    assert (second.coach, second.manager) == (100, 50)
    assert five == fifty <= 12


def test_the_cli_runs_it_and_says_what_it_raised(runner, make_rep: Callable[..., User]) -> None:
    rep = make_rep(day_of_ramp=40)
    overdue_milestone(rep, days_late=3)
    result = runner.invoke(args=["escalations", "run", "--date", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "raised to coaches: 1; to managers or HR: 0; notifications: 1" in result.output
    again = runner.invoke(args=["escalations", "run", "--date", TODAY.isoformat()])
    assert "raised to coaches: 0; to managers or HR: 0; notifications: 0" in again.output


@pytest.mark.real_commits
def test_two_runners_at_once_raise_each_item_once(app: Flask, curriculum) -> None:
    """Both find the same overdue items; the unique constraints let one insert each row, and
    only rows a runner inserted notify. On SQLite the later writer may instead be refused
    ("database is locked") and raises nothing: its job is retried, and then finds it all done."""
    create_user(Role.HR)
    coach = create_user(Role.COACH)
    _overdue_team(10, coach)

    def run() -> service.RunResult:
        result = service.run_escalations(today=TODAY)
        db.session.commit()
        return result

    outcomes = together(app, run)
    results = [o for o in outcomes if isinstance(o, service.RunResult)]
    refused = [o for o in outcomes if not isinstance(o, service.RunResult)]
    assert all(isinstance(error, OperationalError) for error in refused), refused
    if db.engine.dialect.name == "postgresql":
        assert refused == []
    assert len(results) + len(refused) == 2 and results
    raised = sum(r.coach + r.manager for r in results)
    notified = sum(r.notified for r in results)
    # 10 milestones at both levels and 10 commitments at the coach's: 30 rows, each once.
    assert raised == len(_escalations()) == 30
    escalated = select(Notification).where(Notification.kind.like("escalation-%"))
    assert notified == len(list(db.session.scalars(escalated))) == 30
    assert service.run_escalations(today=TODAY) == service.RunResult()


def test_an_escalation_is_emailed_at_once_to_whom_it_waits_on_unless_they_opted_out(
    make_rep: Callable[..., User],
) -> None:
    mailed = make_rep(day_of_ramp=40)
    quiet = make_rep(day_of_ramp=40)
    assert quiet.coach is not None and mailed.coach is not None
    set_preferences(quiet.coach, quiet.coach, email_at_once=False, digest=DigestFrequency.DAILY)
    overdue_milestone(mailed, days_late=3)
    overdue_milestone(quiet, days_late=3)

    service.run_escalations(today=TODAY)
    service.run_escalations(today=TODAY)  # raised once: emailed once
    db.session.commit()

    sent = db.session.scalars(select(OutboundMail)).all()
    assert [mail.to_address for mail in sent] == [mailed.coach.email]
    assert mailed.full_name in sent[0].text_body and "Overdue 3 days" in sent[0].subject
    assert _inbox(quiet.coach)  # still told in the app
