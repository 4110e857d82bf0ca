"""Pausing a plan for leave: due dates move, status is not counted, and it is on the record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import Role, User
from app.errors import Conflict, Invalid, NotAllowed
from app.escalations import service as escalations
from app.extensions import db
from app.notifications.models import Notification
from app.plans import service
from app.plans.models import MilestoneEvent, MilestoneStatus, Plan
from app.plans.service import pausing
from app.plans.status import RepStatus
from app.reminders.digest import digests_for


def today() -> date:
    return datetime.now(UTC).date()


def plan_of(rep: User) -> Plan:
    plan = service.active_plan(rep)
    assert plan is not None
    return plan


def late_rep(make_rep: Callable[..., User]) -> User:
    """A rep at risk: day 40 with nothing done."""
    rep = make_rep(day_of_ramp=40)
    assert service.ramp_of(rep, rep).status == RepStatus.AT_RISK
    return rep


@pytest.fixture
def hr(make_user: Callable[..., User]) -> User:
    return make_user(Role.HR)


def test_a_pause_moves_every_open_milestone_by_its_length_and_the_rep_is_paused(
    make_rep: Callable[..., User], hr: User
) -> None:
    rep = late_rep(make_rep)
    plan = plan_of(rep)
    done, *others = plan.milestones
    done.status = MilestoneStatus.DONE
    before = {m.id: m.due_date for m in plan.milestones}
    first, last = today() - timedelta(days=2), today() + timedelta(days=11)

    record = pausing.pause_plan(hr, plan, first, last, "Parental leave")
    db.session.commit()

    assert record.shifted_days == 14
    assert done.due_date == before[done.id]
    assert all(m.due_date == before[m.id] + timedelta(days=14) for m in others)
    assert (plan.paused_from, plan.paused_until) == (first, last + timedelta(days=1))
    summary = service.ramp_of(rep, rep)
    assert summary.status == RepStatus.PAUSED
    assert summary.overdue == [] and summary.due_this_week == []
    [row] = service.team_rows(hr, service.TeamFilters(search=rep.full_name))
    assert (row.status, row.overdue) == (RepStatus.PAUSED, 0)
    # On the record: each moved milestone's history, and the rep is told.
    events = db.session.scalars(
        select(MilestoneEvent).where(MilestoneEvent.milestone_id == others[0].id)
    ).all()
    assert events[-1].action == "paused" and "Parental leave" in events[-1].note
    assert events[-1].actor_id == hr.id
    notice = db.session.scalars(
        select(Notification).where(Notification.recipient_id == rep.id)
    ).all()[-1]
    assert notice.kind == "plan-paused" and notice.link == f"/reps/{rep.id}"


def test_after_the_pause_the_days_away_do_not_count(
    make_rep: Callable[..., User], hr: User
) -> None:
    """A leave in the past: the rep's lateness is what it was before they left."""
    rep = make_rep(day_of_ramp=40)
    plan = plan_of(rep)
    first, *others = plan.milestones
    for milestone in others:
        milestone.due_date = today() + timedelta(days=60)
    first.due_date = today() - timedelta(days=30)  # 30 days late today: at risk
    db.session.commit()
    pausing.pause_plan(hr, plan, today() - timedelta(days=25), today() - timedelta(days=6), "Sick")
    db.session.commit()
    # 30 days late, 20 of them away: 10 days late, behind but not at risk.
    assert first.due_date == today() - timedelta(days=10)
    assert service.ramp_of(rep, rep).status == RepStatus.BEHIND


def test_resuming_early_moves_open_milestones_back_by_the_unused_days(
    make_rep: Callable[..., User], hr: User
) -> None:
    rep = late_rep(make_rep)
    plan = plan_of(rep)
    before = {m.id: m.due_date for m in plan.milestones}
    record = pausing.pause_plan(
        hr, plan, today() - timedelta(days=3), today() + timedelta(days=6), "Leave"
    )
    db.session.commit()

    pausing.resume_plan(hr, record)
    db.session.commit()

    assert (record.resumed_on, record.shifted_days) == (today(), 3)
    assert all(m.due_date == before[m.id] + timedelta(days=3) for m in plan.milestones)
    assert plan.paused_until == today() and not plan.is_paused_on(today())
    assert service.ramp_of(rep, rep).status != RepStatus.PAUSED
    with pytest.raises(Conflict):
        pausing.resume_plan(hr, record)


def test_cancelling_a_pause_that_has_not_started_moves_nothing(
    make_rep: Callable[..., User], hr: User
) -> None:
    rep = make_rep(day_of_ramp=5)
    plan = plan_of(rep)
    before = {m.id: m.due_date for m in plan.milestones}
    record = pausing.pause_plan(
        hr, plan, today() + timedelta(days=5), today() + timedelta(days=9), "Holiday"
    )
    db.session.commit()
    pausing.resume_plan(hr, record)
    db.session.commit()
    assert {m.id: m.due_date for m in plan.milestones} == before
    assert record.shifted_days == 0 and plan.paused_from is None


def test_only_hr_and_admins_pause_and_a_plan_has_one_pause_at_a_time(
    make_rep: Callable[..., User], hr: User
) -> None:
    rep = make_rep(day_of_ramp=5)
    plan = plan_of(rep)
    for someone in (rep, rep.coach):
        with pytest.raises(NotAllowed):
            pausing.pause_plan(someone, plan, today(), today(), "Leave")
    pausing.pause_plan(hr, plan, today(), today() + timedelta(days=3), "Leave")
    with pytest.raises(Conflict):
        pausing.pause_plan(
            hr, plan, today() + timedelta(days=10), today() + timedelta(days=12), "More"
        )


@pytest.mark.parametrize(
    ("first", "last", "reason", "field"),
    [
        (None, 1, "Leave", "first_day"),
        (0, None, "Leave", "last_day"),
        (3, 1, "Leave", "last_day"),
        (0, 400, "Leave", "last_day"),
        (0, 1, "   ", "reason"),
    ],
)
def test_a_bad_pause_is_refused_with_the_field_named(
    make_rep: Callable[..., User],
    hr: User,
    first: int | None,
    last: int | None,
    reason: str,
    field: str,
) -> None:
    plan = plan_of(make_rep(day_of_ramp=5))

    def day(offset: int | None) -> date | None:
        return None if offset is None else today() + timedelta(days=offset)

    with pytest.raises(Invalid) as refused:
        pausing.pause_plan(hr, plan, day(first), day(last), reason)
    assert refused.value.field == field


def test_a_repeated_form_pauses_once(make_rep: Callable[..., User], hr: User) -> None:
    plan = plan_of(make_rep(day_of_ramp=5))
    before = {m.id: m.due_date for m in plan.milestones}
    first = pausing.pause_plan(hr, plan, today(), today() + timedelta(days=4), "Leave", key="k1")
    again = pausing.pause_plan(hr, plan, today(), today() + timedelta(days=4), "Leave", key="k1")
    db.session.commit()
    assert again.id == first.id and len(plan.pauses) == 1
    assert all(m.due_date == before[m.id] + timedelta(days=5) for m in plan.milestones)


def test_escalations_and_digests_skip_a_paused_rep(make_rep: Callable[..., User]) -> None:
    rep = make_rep(day_of_ramp=40)
    plan = plan_of(rep)
    plan.paused_from, plan.paused_until = today() - timedelta(days=1), today() + timedelta(days=5)
    db.session.commit()
    assert escalations.run_escalations(today=today()) == escalations.RunResult()
    [digest] = digests_for([(rep, "day x")], datetime.now(UTC))
    assert "Overdue" not in [section.title for section in digest.sections]


def test_hr_pauses_from_the_reps_page_and_everyone_sees_the_leave(
    make_rep: Callable[..., User],
    hr: User,
    login: Callable[[User], FlaskClient],
    client: FlaskClient,
) -> None:
    rep = late_rep(make_rep)
    login(hr)
    assert "Pause for leave" in client.get(f"/reps/{rep.id}").text
    page = client.get(f"/reps/{rep.id}/pause")
    assert page.status_code == 200
    refused = client.post(
        f"/reps/{rep.id}/pause",
        data={"first_day": "2026-03-05", "last_day": "2026-03-01", "reason": "Leave"},
    )
    assert refused.status_code == 400
    assert "on or after the first" in refused.text
    first, last = today(), today() + timedelta(days=9)
    sent = client.post(
        f"/reps/{rep.id}/pause",
        data={
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "reason": "Jury service",
        },
    )
    assert sent.status_code == 302
    ramp = client.get(f"/reps/{rep.id}").text
    assert "Paused until" in ramp and "Jury service" in ramp and "Resume today" in ramp

    client.post("/logout")
    login(rep)
    mine = client.get("/ramp").text
    assert "Paused until" in mine and "Jury service" in mine and "Resume today" not in mine


def test_a_coach_cannot_open_the_pause_form(
    make_rep: Callable[..., User], login: Callable[[User], FlaskClient], client: FlaskClient
) -> None:
    rep = make_rep(day_of_ramp=5)
    login(rep.coach)
    assert client.get(f"/reps/{rep.id}/pause").status_code == 403
    assert "Pause for leave" not in client.get(f"/reps/{rep.id}").text
