"""Disputes through the pages: the rep disputes, the coach decides, the rep reads the outcome."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.disputes import service
from app.disputes.models import Dispute, DisputeStatus, ItemKind
from app.extensions import db
from tests.concurrency import TWENTY, at_once
from tests.disputes.conftest import Disputable, corrected

Login = Callable[[User], FlaskClient]


def disputes_of(rep_id: int) -> list[Dispute]:
    db.session.expire_all()
    return list(db.session.scalars(select(Dispute).where(Dispute.rep_id == rep_id)))


def test_the_rep_disputes_from_the_result_and_the_coach_resolves_it(
    disputable: Disputable, login: Login, client: FlaskClient
) -> None:
    rep, attempt = disputable.rep, disputable.attempt
    login(rep)
    page = client.get(f"/certifications/attempts/{attempt.id}").text
    url = f"/disputes/new/certification/{attempt.id}"
    assert url in page
    assert client.get(url).status_code == 200
    empty = client.post(url, data={"reason": ""})
    assert empty.status_code == 400 and "Say what you dispute and why." in empty.text
    sent = client.post(url, data={"reason": "I answered the price objection at minute 12."})
    assert sent.status_code == 302
    [dispute] = disputes_of(rep.id)
    assert sent.location.endswith(f"/disputes/{dispute.id}")
    assert "waiting for a decision" in client.get(url).text
    # The rep cannot decide their own dispute.
    assert client.post(f"/disputes/{dispute.id}", data={"outcome": "upheld"}).status_code == 403

    client.post("/logout")
    login(disputable.coach)
    listed = client.get("/disputes").text
    assert "Prospecting certification" in listed and "0 days of 5" in listed
    show = f"/disputes/{dispute.id}"
    missing = client.post(show, data={"outcome": "rejected", "resolution": ""})
    assert missing.status_code == 400 and "the rep will read it" in missing.text
    no_correction = client.post(show, data={"outcome": "changed", "resolution": "Fixed"})
    assert no_correction.status_code == 400 and "Correct the score first" in no_correction.text
    correction_id = corrected(disputable)
    decided = client.post(
        show,
        data={"outcome": "changed", "correction": str(correction_id), "resolution": "You did."},
    )
    assert decided.status_code == 302
    assert client.get("/disputes").text.count("Prospecting certification") == 0
    assert "Prospecting certification" in client.get("/disputes?show=resolved").text

    client.post("/logout")
    login(rep)
    outcome = client.get(show).text
    assert "Changed" in outcome and "You did." in outcome and "from 1 to 2" in outcome


def test_acknowledging_a_result(disputable: Disputable, login: Login, client: FlaskClient) -> None:
    login(disputable.rep)
    attempt_id = disputable.attempt.id
    answer = client.post(f"/disputes/acknowledge/certification/{attempt_id}")
    assert answer.status_code == 302
    assert answer.location.endswith(f"/certifications/attempts/{attempt_id}")
    assert "Acknowledged" in client.get(f"/disputes/new/certification/{attempt_id}").text


def test_others_cannot_dispute_or_read_someone_elses(
    disputable: Disputable,
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
    login: Login,
    client: FlaskClient,
) -> None:
    attempt_id = disputable.attempt.id
    login(disputable.rep)
    client.post(f"/disputes/new/certification/{attempt_id}", data={"reason": "Wrong"})
    [dispute] = disputes_of(disputable.rep.id)
    client.post("/logout")

    login(make_rep())
    assert client.get(f"/disputes/new/certification/{attempt_id}").status_code == 403
    assert client.get(f"/disputes/{dispute.id}").status_code == 403
    assert "Prospecting" not in client.get("/disputes").text
    assert client.get("/disputes/new/nonsense/1").status_code == 404
    assert client.get("/disputes/new/certification/999999").status_code == 404
    assert client.get("/disputes/999999").status_code == 404
    client.post("/logout")

    login(make_user(Role.COACH))
    assert client.get(f"/disputes/{dispute.id}").status_code == 403
    assert "Prospecting" not in client.get("/disputes").text


@pytest.mark.real_commits
def test_twenty_disputes_sent_at_once_open_one(
    app: Flask, disputable: Disputable, login: Login
) -> None:
    rep_id, attempt_id = disputable.rep.id, disputable.attempt.id
    url = f"/disputes/new/certification/{attempt_id}"
    same_form = at_once(app, login(disputable.rep), url, {"reason": "No", "submission_key": "k"})
    assert same_form == [302] * TWENTY
    assert len(disputes_of(rep_id)) == 1
    db.session.query(Dispute).delete()
    db.session.commit()
    rep = db.session.get(User, rep_id)
    assert rep is not None
    tabs = at_once(app, login(rep), url, {"reason": "No"})
    assert 500 not in tabs and tabs.count(302) == 1, tabs
    count = select(func.count()).select_from(Dispute).where(Dispute.status == DisputeStatus.OPEN)
    assert db.session.scalar(count) == 1


@pytest.mark.real_commits
def test_twenty_decisions_sent_at_once_decide_once(
    app: Flask, disputable: Disputable, login: Login
) -> None:
    """The same form twenty times: one decision; two people's forms at once: the first wins."""
    rep_id, coach_id, attempt_id = disputable.rep.id, disputable.coach.id, disputable.attempt.id
    dispute = service.open_dispute(
        disputable.rep, ItemKind.CERTIFICATION, disputable.attempt.id, "Wrong"
    )
    db.session.commit()
    url = f"/disputes/{dispute.id}"
    form = {"outcome": "rejected", "resolution": "It stands.", "submission_key": "k"}
    assert at_once(app, login(disputable.coach), url, form) == [302] * TWENTY
    [decided] = disputes_of(rep_id)
    assert decided.status == DisputeStatus.REJECTED

    again = service.open_dispute(
        db.session.get(User, rep_id), ItemKind.CERTIFICATION, attempt_id, "Look again"
    )
    db.session.commit()
    coach = db.session.get(User, coach_id)
    assert coach is not None
    tabs = at_once(
        app, login(coach), f"/disputes/{again.id}", {"outcome": "upheld", "resolution": "Yes"}
    )
    assert 500 not in tabs and tabs.count(302) == 1, tabs
    assert set(tabs) <= {302, 409}
