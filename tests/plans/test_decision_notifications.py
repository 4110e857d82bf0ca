"""A rep is told of their coach's decisions on milestones: verified, or sent back with the
comment; once, however often the coach's form is sent."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.plans import service
from app.plans.models import MeasureKind, Milestone

Login = Callable[[User], FlaskClient]


def submitted_milestone(rep: User) -> Milestone:
    plan = service.active_plan(rep)
    assert plan is not None
    milestone = next(
        m
        for m in plan.milestones
        if m.measure_kind == MeasureKind.CHECKBOX and m.requires_verification
    )
    service.record_progress(rep, milestone)
    db.session.commit()
    return milestone


def notifications_of(rep: User, kind: str) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).where(
        Notification.recipient_id == rep.id, Notification.kind == kind
    )
    return list(db.session.scalars(query))


def test_verifying_twice_with_the_same_form_tells_the_rep_once(
    make_rep: Callable[..., User], login: Login, client: FlaskClient
) -> None:
    rep = make_rep()
    milestone = submitted_milestone(rep)
    login(rep.coach)
    data = {"verify-submission_key": "k-verify", "verify-comment": "Well done."}
    for _ in range(2):
        assert client.post(f"/milestones/{milestone.id}/verify", data=data).status_code == 302
    [told] = notifications_of(rep, "milestone-verified")
    assert milestone.title in told.message and "Well done." in told.message
    assert rep.coach is not None and rep.coach.full_name in told.message
    with client.application.test_request_context():
        assert told.link == url_for("plans.milestone", milestone_id=milestone.id)


def test_sending_back_tells_the_rep_what_is_missing_once(
    make_rep: Callable[..., User], login: Login, client: FlaskClient
) -> None:
    rep = make_rep()
    milestone = submitted_milestone(rep)
    login(rep.coach)
    data = {"send-back-submission_key": "k-back", "send-back-comment": "Attach the call notes."}
    for _ in range(2):
        assert client.post(f"/milestones/{milestone.id}/send-back", data=data).status_code == 302
    [told] = notifications_of(rep, "milestone-sent-back")
    assert "Attach the call notes." in told.message and told.read_at is None
    assert notifications_of(rep, "milestone-verified") == []


def test_opening_the_milestone_reads_its_notification(
    make_rep: Callable[..., User], login: Login, client: FlaskClient
) -> None:
    rep = make_rep()
    milestone = submitted_milestone(rep)
    assert rep.coach is not None
    service.verify(rep.coach, milestone)
    db.session.commit()
    login(rep).get(f"/milestones/{milestone.id}")
    [told] = notifications_of(rep, "milestone-verified")
    assert told.read_at is not None
