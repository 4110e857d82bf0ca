"""One transaction per request: a writing request commits everything or nothing.

Views never commit; ``app.web`` commits once when a request ends well and rolls back
otherwise. These tests break a real request halfway, after the service has already written the
debrief's scores, notes and commitments, and check that none of it is stored. (They live with
the coaching tests for the debrief fixtures; the boundary itself is ``app.web``'s.)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.coaching.models import Commitment, Debrief, DebriefScore
from app.coaching.service import debriefs
from app.errors import Invalid
from app.extensions import db
from app.transaction import after_commit

RECORD_FORM = {
    "went_well": "Clear opening",
    "commitments-0-action": "Ask two impact questions on every discovery call",
    "commitments-0-measure": "Call notes show two impact questions on 5 calls",
    "commitments-0-due_on": (date.today() + timedelta(days=7)).isoformat(),
    "score-questioning": "2",
}


@pytest.fixture
def open_debrief(coach, rep, make_debrief) -> Debrief:
    return make_debrief(coach, rep, record=False)


def _stored(debrief_id: int) -> dict[str, Any]:
    """What the database holds, read past anything the session still remembers."""
    db.session.rollback()
    db.session.expire_all()
    debrief = db.session.get(Debrief, debrief_id)
    return {
        "recorded": debrief.recorded_at is not None,
        "notes": debrief.coach_went_well,
        "commitments": db.session.scalar(select(func.count(Commitment.id))),
        "scores": db.session.scalar(select(func.count(DebriefScore.id))),
    }


def _fail_when_notifying(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    """Notifying the rep is the last step of recording: everything else is written by then."""

    def notify(*args: Any, **kwargs: Any) -> None:
        db.session.flush()  # the debrief's rows really reach the database before the failure
        raise error

    monkeypatch.setattr(debriefs, "notify", notify)


def test_a_crash_halfway_through_a_request_leaves_nothing_written(
    app: Flask, login, coach, open_debrief, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer with the error page, as in production
    client = login(coach)
    _fail_when_notifying(monkeypatch, RuntimeError("mail server on fire"))

    response = client.post(f"/coaching/debriefs/{open_debrief.id}/record", data=RECORD_FORM)

    assert response.status_code == 500
    assert _stored(open_debrief.id) == {
        "recorded": False,
        "notes": "",
        "commitments": 0,
        "scores": 0,
    }


def test_a_refusal_halfway_through_a_request_leaves_nothing_written(
    login, coach, open_debrief, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = login(coach)
    _fail_when_notifying(monkeypatch, Invalid("The rep cannot be notified."))

    response = client.post(f"/coaching/debriefs/{open_debrief.id}/record", data=RECORD_FORM)

    assert "The rep cannot be notified." in response.text  # the form again, with the reason
    assert _stored(open_debrief.id) == {
        "recorded": False,
        "notes": "",
        "commitments": 0,
        "scores": 0,
    }


def test_a_request_that_ends_well_commits_everything(login, coach, open_debrief) -> None:
    client = login(coach)

    response = client.post(f"/coaching/debriefs/{open_debrief.id}/record", data=RECORD_FORM)

    assert response.status_code == 303
    stored = _stored(open_debrief.id)
    assert stored["recorded"] and stored["notes"] == "Clear opening"
    assert (stored["commitments"], stored["scores"]) == (1, 1)


def test_work_after_commit_runs_only_once_committed(app: Flask) -> None:
    ran: list[str] = []
    after_commit(lambda: ran.append("rolled back"))
    db.session.rollback()
    after_commit(lambda: ran.append("committed"))
    assert ran == []

    db.session.commit()
    db.session.commit()

    assert ran == ["committed"]
