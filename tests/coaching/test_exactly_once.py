"""Debrief recording, commitment reviews and the reflection: once each, and no lost edits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.coaching import service
from app.coaching.models import Commitment, Debrief, DebriefKind
from app.extensions import db
from app.notifications.models import Notification
from tests.concurrency import TWENTY, at_once

Login = Callable[[User], FlaskClient]


def open_debrief(coach: User, rep: User) -> int:
    today = date.today()
    setup = service.DebriefSetup(today, DebriefKind.ROLE_PLAY, "discovery")
    debrief = service.create_debrief(coach, rep, setup, today)
    db.session.commit()
    return debrief.id


def record_form(key: str) -> dict[str, Any]:
    due = (date.today() + timedelta(days=7)).isoformat()
    return {
        "submission_key": key,
        "went_well": "Good opening",
        "commitments-0-action": "Ask about impact",
        "commitments-0-measure": "Five calls",
        "commitments-0-due_on": due,
        "commitments-1-action": "Summarise next steps",
        "commitments-1-measure": "Every call ends with a summary",
        "commitments-1-due_on": due,
    }


def count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def notifications(kind: str) -> int:
    return count(Notification, Notification.kind == kind)


def review_form(commitment_id: int, key: str) -> dict[str, str]:
    prefix = f"commitment-{commitment_id}-"
    return {f"{prefix}outcome": "kept", f"{prefix}submission_key": key}


def test_recording_a_debrief_and_reviewing_a_commitment_twice_happen_once(
    coach: User, rep: User, login: Login, client: FlaskClient
) -> None:
    debrief_id = open_debrief(coach, rep)
    login(coach)
    url = f"/coaching/debriefs/{debrief_id}/record"
    answers = [client.post(url, data=record_form("k-record")) for _ in range(2)]
    assert [(a.status_code, a.location) for a in answers] == [(303, answers[0].location)] * 2
    assert count(Commitment, Commitment.debrief_id == debrief_id) == 2
    assert notifications("debrief-recorded") == 1

    commitment_id = db.session.scalars(select(Commitment.id)).first()
    review = f"/coaching/commitments/{commitment_id}/review"
    answers = [client.post(review, data=review_form(commitment_id, "k-review")) for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303], answers[1].text
    assert notifications("commitment-reviewed") == 1


@pytest.mark.real_commits  # the threads' commits must reach each other
def test_twenty_identical_recordings_and_reviews_at_once_happen_once(
    app: Flask, coach: User, rep: User, login: Login, client: FlaskClient
) -> None:
    debrief_id = open_debrief(coach, rep)
    signed_in = login(coach)
    url = f"/coaching/debriefs/{debrief_id}/record"
    assert at_once(app, signed_in, url, record_form("k-record")) == [303] * TWENTY
    assert count(Commitment, Commitment.debrief_id == debrief_id) == 2
    assert notifications("debrief-recorded") == 1

    commitment_id = db.session.scalars(select(Commitment.id)).first()
    assert commitment_id is not None
    review = f"/coaching/commitments/{commitment_id}/review"
    form = review_form(commitment_id, "k-review")
    assert at_once(app, signed_in, review, form) == [303] * TWENTY
    assert notifications("commitment-reviewed") == 1


@pytest.mark.real_commits
def test_twenty_recordings_from_different_tabs_at_once_record_once(
    app: Flask, coach: User, rep: User, login: Login, client: FlaskClient
) -> None:
    """Different forms (no shared key): the debrief's lock lets one through, never a 500."""
    debrief_id = open_debrief(coach, rep)
    form = record_form("")
    answers = at_once(app, login(coach), f"/coaching/debriefs/{debrief_id}/record", form)
    assert 500 not in answers and answers.count(303) == 1, answers
    assert count(Commitment, Commitment.debrief_id == debrief_id) == 2


def test_a_reflection_saved_from_a_stale_page_shows_the_current_version(
    coach: User, rep: User, login: Login, client: FlaskClient
) -> None:
    """Two tabs: the second save would silently overwrite the first; it is shown it instead."""
    debrief_id = open_debrief(coach, rep)
    login(rep)
    page = client.get(f"/coaching/debriefs/{debrief_id}").text
    assert 'name="row_version" type="hidden" value="1"' in page
    url = f"/coaching/debriefs/{debrief_id}/reflection"
    first = client.post(url, data={"went_well": "Opening from tab one", "row_version": "1"})
    assert first.status_code == 303

    stale = client.post(url, data={"went_well": "Opening from tab two", "row_version": "1"})

    assert stale.status_code == 409
    assert "Someone else changed this debrief after you opened it" in stale.text
    assert "Opening from tab one" in stale.text and "Opening from tab two" not in stale.text
    assert 'name="row_version" type="hidden" value="2"' in stale.text
    db.session.expire_all()
    debrief = db.session.get(Debrief, debrief_id)
    assert debrief is not None and debrief.rep_went_well == "Opening from tab one"
    again = client.post(url, data={"went_well": "Opening from tab two", "row_version": "2"})
    assert again.status_code == 303
