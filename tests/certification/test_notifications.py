"""A rep is told of an assessment's result once the attempt is decided, and of a correction to
a decided attempt's score with its reason: once, however often the form is sent."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from app.accounts.models import Role, User
from app.certification.models import Assessment
from app.extensions import db
from app.notifications.models import Notification


def told(rep: User, kind: str) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).where(
        Notification.recipient_id == rep.id, Notification.kind == kind
    )
    return list(db.session.scalars(query))


def test_the_result_reaches_the_rep_once_when_the_attempt_is_decided(
    make_rep, login, form_data, rubric, client
):
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    login(rep.coach)
    data = form_data(rubric("discovery"), level=1, submission_key="k-assess")
    for _ in range(2):
        assert (
            client.post(f"/certifications/reps/{rep.id}/discovery/assess", data=data).status_code
            == 302
        )
    [result] = told(rep, "certification-decided")
    assert "Discovery certification is decided: not passed; next attempt from" in result.message
    attempt_id = db.session.scalar(select(Assessment)).attempt_id  # type: ignore[union-attr]
    with client.application.test_request_context():
        assert result.link == url_for("certification.attempt", attempt_id=attempt_id)


def test_an_attempt_with_an_assessor_still_to_score_tells_the_rep_nothing_yet(
    make_rep, make_user, assess
):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    second = make_user(Role.ADMIN)
    assess(rep.coach, rep, "negotiation", second=second)
    assert told(rep, "certification-decided") == []
    assess(second, rep, "negotiation", level=4)
    [result] = told(rep, "certification-decided")
    assert "Negotiation certification is decided: passed, valid until" in result.message


def test_a_correction_reaches_the_rep_once_with_its_reason(make_rep, login, assess, client):
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    assessment = assess(rep.coach, rep, "discovery", level=3)
    score = assessment.scores[0]
    login(rep.coach)
    data = {"level": "1", "reason": "Misread my notes", "submission_key": "k-correct"}
    for _ in range(2):
        assert (
            client.post(f"/certifications/scores/{score.id}/correct", data=data).status_code == 302
        )
    [correction] = told(rep, "score-corrected")
    assert "from 3 to 1" in correction.message and "Misread my notes" in correction.message
    assert "Discovery certification" in correction.message


def test_opening_the_attempt_reads_its_notification(make_rep, login, assess):
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    assessment = assess(rep.coach, rep, "discovery", level=3)
    login(rep).get(f"/certifications/attempts/{assessment.attempt_id}")
    [result] = told(rep, "certification-decided")
    assert result.read_at is not None
