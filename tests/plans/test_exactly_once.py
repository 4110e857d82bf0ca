"""Milestone reports and verification happen once, however often the same form is sent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.plans import service
from app.plans.models import MeasureKind, Milestone, MilestoneEvent, MilestoneStatus, Plan
from tests.concurrency import TWENTY, at_once

Login = Callable[[User], FlaskClient]


def pick(rep: User, kind: MeasureKind, verify: bool) -> Milestone:
    plan = service.active_plan(rep)
    assert plan is not None
    return next(
        m for m in plan.milestones if m.measure_kind == kind and m.requires_verification == verify
    )


def events(milestone_id: int, action: str) -> int:
    query = select(func.count()).select_from(MilestoneEvent)
    where = (MilestoneEvent.milestone_id == milestone_id, MilestoneEvent.action == action)
    return db.session.scalar(query.where(*where)) or 0


def status(milestone_id: int) -> MilestoneStatus:
    db.session.expire_all()
    milestone = db.session.get(Milestone, milestone_id)
    assert milestone is not None
    return milestone.status


def twice(client: FlaskClient, url: str, data: dict[str, str]) -> list[tuple[int, str | None]]:
    return [(r.status_code, r.location) for r in (client.post(url, data=data) for _ in range(2))]


def test_the_same_report_and_verification_sent_twice_happen_once(
    make_rep: Callable[..., User], login: Login, client: FlaskClient
) -> None:
    """The repeat is answered like the first (the same redirect), with nothing done twice."""
    rep = make_rep()
    coach = rep.coach
    assert coach is not None
    milestone = pick(rep, MeasureKind.CHECKBOX, verify=True)
    login(rep)
    report = twice(client, f"/milestones/{milestone.id}/progress", {"submission_key": "k-report"})
    assert report[0] == report[1] and report[0][0] == 302, report
    assert events(milestone.id, "submitted") == 1

    client.post("/logout")
    login(coach)
    url = f"/milestones/{milestone.id}/verify"
    verified = twice(client, url, {"verify-submission_key": "k-verify"})
    assert verified[0] == verified[1] and verified[0][0] == 302, verified
    assert events(milestone.id, "verified") == 1
    assert status(milestone.id) == MilestoneStatus.DONE


def test_a_number_reported_twice_by_the_same_form_is_recorded_once(
    make_rep: Callable[..., User], login: Login, client: FlaskClient
) -> None:
    rep = make_rep()
    milestone = pick(rep, MeasureKind.NUMBER, verify=False)
    login(rep)
    data = {"value": "1", "submission_key": "k-number"}
    assert [s for s, _ in twice(client, f"/milestones/{milestone.id}/progress", data)] == [302] * 2
    assert events(milestone.id, "progress") == 1
    # A new form (a new key) is a new report.
    client.post(f"/milestones/{milestone.id}/progress", data={**data, "submission_key": "k-2"})
    assert events(milestone.id, "progress") == 2


@pytest.mark.real_commits  # the threads' commits must reach each other
def test_twenty_identical_reports_and_verifications_at_once_happen_once(
    app: Flask, make_rep: Callable[..., User], login: Login, client: FlaskClient
) -> None:
    rep = make_rep()
    coach_id = rep.coach_id
    milestone_id = pick(rep, MeasureKind.CHECKBOX, verify=True).id
    url = f"/milestones/{milestone_id}"

    answers = at_once(app, login(rep), f"{url}/progress", {"submission_key": "k-report"})
    assert answers == [302] * TWENTY
    assert events(milestone_id, "submitted") == 1

    client.post("/logout")
    coach = db.session.get(User, coach_id)
    assert coach is not None
    answers = at_once(app, login(coach), f"{url}/verify", {"verify-submission_key": "k-verify"})
    assert answers == [302] * TWENTY
    assert events(milestone_id, "verified") == 1
    assert status(milestone_id) == MilestoneStatus.DONE


@pytest.mark.real_commits
def test_twenty_reports_from_different_tabs_at_once_submit_once(
    app: Flask, make_rep: Callable[..., User], login: Login, client: FlaskClient
) -> None:
    """Without a shared key the row's lock decides: one submits, the others are told why."""
    rep = make_rep()
    milestone_id = pick(rep, MeasureKind.CHECKBOX, verify=True).id
    answers = at_once(app, login(rep), f"/milestones/{milestone_id}/progress")
    assert 500 not in answers and answers.count(302) == 1, answers
    assert events(milestone_id, "submitted") == 1


def active_plans(rep_id: int) -> int:
    query = select(func.count()).select_from(Plan)
    return db.session.scalar(query.where(Plan.rep_id == rep_id, Plan.archived_at.is_(None))) or 0


def plans_of(rep_id: int) -> int:
    return db.session.scalar(select(func.count()).where(Plan.rep_id == rep_id)) or 0


@pytest.mark.real_commits
def test_twenty_identical_plan_assignments_at_once_assign_one_plan(
    app: Flask, make_rep: Callable[..., User], login: Login
) -> None:
    rep = make_rep()
    rep_id, coach = rep.id, rep.coach
    assert coach is not None
    before = plans_of(rep_id)
    form = {"template_key": "sdr-ramp", "start_date": "2026-12-07", "submission_key": "k-assign"}
    answers = at_once(app, login(coach), f"/reps/{rep_id}/assign", form)
    assert answers == [302] * TWENTY
    assert plans_of(rep_id) == before + 1
    assert active_plans(rep_id) == 1


@pytest.mark.real_commits
def test_different_plan_assignments_at_once_leave_one_active_plan(
    app: Flask, make_rep: Callable[..., User], login: Login
) -> None:
    """Two people assigning at once (no shared key) take turns: the last one's plan is active."""
    rep = make_rep()
    rep_id, coach = rep.id, rep.coach
    assert coach is not None
    form = {"template_key": "sdr-ramp", "start_date": "2026-12-07"}
    answers = at_once(app, login(coach), f"/reps/{rep_id}/assign", form, times=6)
    assert answers == [302] * 6
    assert active_plans(rep_id) == 1
