"""Assessments, invitations of second assessors and score corrections: once per submission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.certification.models import Assessment, CertificationAttempt, ScoreCorrection
from app.curriculum.schema import Rubric
from app.extensions import db
from tests.concurrency import TWENTY, at_once

Login = Callable[[User], FlaskClient]


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_same_assessment_and_correction_sent_twice_are_recorded_once(
    make_rep: Callable[..., User],
    login: Login,
    form_data: Callable[..., dict[str, object]],
    rubric: Callable[[str], Rubric],
) -> None:
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    client = login(rep.coach)
    url = f"/certifications/reps/{rep.id}/discovery/assess"
    data = form_data(rubric("discovery"), submission_key="k-assess")
    answers = [client.post(url, data=data) for _ in range(2)]
    assert [(a.status_code, a.location) for a in answers] == [(302, answers[0].location)] * 2
    assert (count(CertificationAttempt), count(Assessment)) == (1, 1)

    score_id = db.session.scalar(select(Assessment)).scores[0].id  # type: ignore[union-attr]
    correct = f"/certifications/scores/{score_id}/correct"
    data = {"level": "1", "reason": "Misread my notes", "submission_key": "k-correct"}
    answers = [client.post(correct, data=data) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302], answers[1].text
    assert count(ScoreCorrection) == 1


def test_inviting_a_second_assessor_twice_with_the_same_form_invites_once(
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
    login: Login,
    form_data: Callable[..., dict[str, object]],
    rubric: Callable[[str], Rubric],
) -> None:
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    second = make_user(Role.COACH, name="Second Opinion")
    client = login(rep.coach)
    url = f"/certifications/reps/{rep.id}/negotiation/assess"
    data = form_data(rubric("negotiation"), second_assessor=second.id, submission_key="k-2nd")
    first = client.post(url, data=data)
    assert first.status_code == 302
    again = client.post(url, data=data, headers={"Referer": "http://localhost" + url})
    assert again.status_code in (302, 303), again.text  # back to the page, never a 500
    assert (count(CertificationAttempt), count(Assessment)) == (1, 2)


@pytest.mark.real_commits  # the threads' commits must reach each other
def test_twenty_identical_assessments_and_corrections_at_once_are_recorded_once(
    app: Flask,
    make_rep: Callable[..., User],
    login: Login,
    form_data: Callable[..., dict[str, object]],
    rubric: Callable[[str], Rubric],
) -> None:
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    coach = rep.coach
    assert coach is not None
    signed_in = login(coach)
    url = f"/certifications/reps/{rep.id}/discovery/assess"
    data = form_data(rubric("discovery"), submission_key="k-assess")
    assert at_once(app, signed_in, url, data) == [302] * TWENTY
    assert (count(CertificationAttempt), count(Assessment)) == (1, 1)

    score_id = db.session.scalar(select(Assessment)).scores[0].id  # type: ignore[union-attr]
    correct = f"/certifications/scores/{score_id}/correct"
    data = {"level": "1", "reason": "Misread my notes", "submission_key": "k-correct"}
    assert at_once(app, signed_in, correct, data) == [302] * TWENTY
    assert count(ScoreCorrection) == 1


@pytest.mark.real_commits
def test_twenty_invitations_at_once_invite_the_second_assessor_once(
    app: Flask,
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
    login: Login,
    form_data: Callable[..., dict[str, object]],
    rubric: Callable[[str], Rubric],
) -> None:
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    second = make_user(Role.COACH, name="Second Opinion")
    url = f"/certifications/reps/{rep.id}/negotiation/assess"
    data = form_data(rubric("negotiation"), second_assessor=second.id, submission_key="k-2nd")
    answers = at_once(app, login(rep.coach), url, data)
    assert 500 not in answers and answers.count(302) >= 1, answers
    assert (count(CertificationAttempt), count(Assessment)) == (1, 2)
