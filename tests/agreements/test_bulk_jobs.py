"""Bulk sends run as jobs: the request records the batch, the job sends each rep once.

The queue runs in Huey's immediate mode here (each job runs as soon as the commit enqueues it),
so a retried job is retried at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import Role, Team, User
from app.agreements import audit, service
from app.agreements.audit import Evidence, now
from app.agreements.models import Agreement, AgreementStatus, BulkSend, BulkSendStatus
from app.agreements.service import bulk_job
from app.extensions import db
from app.jobs import recover
from tests.agreements.conftest import store_stale

PIP = "performance-improvement"
Login = Callable[[User], FlaskClient]


@pytest.fixture
def team_reps(make_rep: Callable[..., User], make_team: Callable[..., Team]) -> list[User]:
    """Three reps of Team North, by name."""
    team = make_team("Team North")
    reps = [make_rep(name=name) for name in ("Ava Chen", "Ben Okafor", "Chloe Martin")]
    for rep in reps:
        rep.team = team
    db.session.commit()
    return reps


def _queue(hr: User, reps: list[User], values: dict, evidence: Evidence) -> BulkSend:
    """Record a batch as the page does, without committing (so its job has not run yet)."""
    raw = values[PIP]
    fingerprint = service.bulk.bulk_fingerprint(PIP, reps, raw)  # type: ignore[attr-defined]
    return service.start_bulk_send(hr, PIP, reps, raw, fingerprint, evidence)


def _row(bulk_id: int) -> BulkSend:
    row = db.session.get(BulkSend, bulk_id, populate_existing=True)
    assert row is not None
    return row


def _agreements_per_rep() -> dict[str, int]:
    counts: dict[str, int] = {}
    for agreement in db.session.query(Agreement).all():
        counts[agreement.rep.full_name] = counts.get(agreement.rep.full_name, 0) + 1
    return counts


def test_a_bulk_send_is_queued_and_sent_by_its_job_once_committed(
    hr: User, team_reps: list[User], values: dict, evidence: Evidence, executed: list[str]
) -> None:
    bulk = _queue(hr, team_reps, values, evidence)
    assert db.session.query(Agreement).count() == 0 and executed == []  # nothing in the request
    db.session.commit()

    assert executed == [service.SEND_JOB]
    row = _row(bulk.id)
    assert (row.status, row.sent, row.total, row.attempts) == (BulkSendStatus.DONE, 3, 3, 1)
    sent = service.sent_by(hr, row)
    assert [a.rep.full_name for a in sent] == ["Ava Chen", "Ben Okafor", "Chloe Martin"]
    assert all(a.status == AgreementStatus.SENT and a.bulk_send_id == bulk.id for a in sent)
    # Each agreement's trail names the sender and the address the batch was sent from.
    trail = sent[0].events
    assert [e.action for e in trail] == ["drafted", "sent"]
    assert trail[-1].actor_id == hr.id and trail[-1].ip_address == evidence.ip_address
    assert audit.verify_chain(sent[0]).intact


def test_a_rolled_back_request_queues_nothing(
    hr: User, team_reps: list[User], values: dict, evidence: Evidence, executed: list[str]
) -> None:
    _queue(hr, team_reps, values, evidence)
    db.session.rollback()
    assert db.session.query(BulkSend).count() == 0 and executed == []


def test_a_job_that_fails_midway_is_retried_and_sends_each_rep_once(
    hr: User,
    team_reps: list[User],
    values: dict,
    evidence: Evidence,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real_send = bulk_job.send

    def flaky(*args: Any, **kwargs: Any) -> Agreement:
        calls.append(1)
        if len(calls) == 2:  # the worker dies on the second rep, once
            raise ConnectionError("database went away")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(bulk_job, "send", flaky)
    bulk = _queue(hr, team_reps, values, evidence)
    db.session.commit()

    row = _row(bulk.id)
    assert (row.status, row.sent, row.attempts, row.error) == (BulkSendStatus.DONE, 3, 2, "")
    assert _agreements_per_rep() == {"Ava Chen": 1, "Ben Okafor": 1, "Chloe Martin": 1}
    assert len(calls) == 4  # 2 in the first attempt, the 2 left in the second


def test_a_job_that_keeps_failing_is_marked_failed_with_its_message(
    app: Flask,
    hr: User,
    team_reps: list[User],
    values: dict,
    evidence: Evidence,
    executed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Agreement:
        raise ConnectionError("database went away")

    monkeypatch.setattr(bulk_job, "send", broken)
    bulk = _queue(hr, team_reps, values, evidence)
    db.session.commit()

    retries = app.config["JOB_RETRIES"]
    assert executed == [service.SEND_JOB] * (retries + 1)
    row = _row(bulk.id)
    assert row.status == BulkSendStatus.FAILED and row.finished_at is not None
    assert "database went away" in row.error and row.sent == 0
    assert db.session.query(Agreement).count() == 0  # no half-made draft was left behind


def test_running_the_job_again_sends_nobody_twice(
    hr: User, team_reps: list[User], values: dict, evidence: Evidence
) -> None:
    """A duplicate delivery of the job (or a second worker) finds every rep already sent."""
    bulk = _queue(hr, team_reps, values, evidence)
    db.session.commit()
    db.session.execute(BulkSend.__table__.update().values(status=BulkSendStatus.RUNNING, error=""))
    db.session.commit()
    service.send_bulk(bulk.id, attempt=bulk_job.Attempt(2, last=False))
    assert _row(bulk.id).status == BulkSendStatus.DONE
    assert _agreements_per_rep() == {"Ava Chen": 1, "Ben Okafor": 1, "Chloe Martin": 1}


def test_a_rep_who_can_no_longer_be_sent_is_left_out_with_the_reason(
    hr: User, team_reps: list[User], values: dict, evidence: Evidence
) -> None:
    bulk = _queue(hr, team_reps, values, evidence)
    team_reps[1].active = False  # deactivated between the preview and the job
    db.session.commit()
    row = _row(bulk.id)
    assert (row.status, row.sent, row.total) == (BulkSendStatus.DONE, 2, 3)
    assert row.error == "Ben Okafor: This person is deactivated."


def test_a_template_changed_since_the_preview_sends_nothing(
    hr: User,
    team_reps: list[User],
    values: dict,
    evidence: Evidence,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bulk = _queue(hr, team_reps, values, evidence)
    # As if a newer version of the template was loaded between the preview and the job.
    monkeypatch.setattr(bulk_job, "current_template", lambda key: SimpleNamespace(id=-1))
    db.session.commit()
    row = _row(bulk.id)
    assert row.status == BulkSendStatus.FAILED and "template changed" in row.error
    assert db.session.query(Agreement).count() == 0


def _stale_bulk(hr: User, reps: list[User], attempts: int, quiet_for: timedelta) -> int:
    """A batch left unfinished by a worker that went quiet ``quiet_for`` ago."""
    template = service.current_template(PIP)
    row = BulkSend(
        requested_by_id=hr.id,
        template_id=template.id,
        rep_ids=[rep.id for rep in reps],
        values={},
        fingerprint=uuid.uuid4().hex,
        status=BulkSendStatus.RUNNING if attempts else BulkSendStatus.QUEUED,
        total=len(reps),
        sent=0,
        error="",
    )
    return store_stale(row, attempts, quiet_for)


def test_a_starting_worker_retries_or_fails_bulk_sends_a_crash_left_running(
    app: Flask, hr: User, team_reps: list[User], values: dict
) -> None:
    stale = timedelta(seconds=app.config["JOB_STALE_SECONDS"] + 60)
    crashed_once = _stale_bulk(hr, team_reps[:1], attempts=1, quiet_for=stale)
    never_queued = _stale_bulk(hr, team_reps[1:2], attempts=0, quiet_for=stale)
    out_of_attempts = _stale_bulk(hr, team_reps, app.config["JOB_RETRIES"] + 1, stale)
    still_working = _stale_bulk(hr, team_reps[2:], attempts=1, quiet_for=timedelta(seconds=5))
    for bulk_id in (crashed_once, never_queued):
        _row(bulk_id).values = values[PIP]
    db.session.commit()

    recover(app)  # what `flask worker` does before taking jobs

    assert (_row(crashed_once).status, _row(crashed_once).sent) == (BulkSendStatus.DONE, 1)
    assert _row(never_queued).status == BulkSendStatus.DONE
    failed = _row(out_of_attempts)
    assert failed.status == BulkSendStatus.FAILED and failed.error == bulk_job.INTERRUPTED
    assert _row(still_working).status == BulkSendStatus.RUNNING


# --- the pages --------------------------------------------------------------------------------


def _send_from_the_page(client: FlaskClient, reps: list[User], values: dict) -> str:
    """Preview Team North's batch and press send: the progress page's URL."""
    url = f"/agreements/bulk?template={PIP}"
    form = {f"v_{k}": v or "" for k, v in values[PIP].items()}
    form |= {"team": str(reps[0].team_id), "submission_key": "k-bulk-page"}
    page = client.post(url, data={**form, "action": "preview"}).text
    fingerprint = page.split('name="previewed" type="hidden" value="')[1].split('"')[0]
    answer = client.post(url, data={**form, "action": "send", "previewed": fingerprint})
    assert answer.status_code == 303
    return answer.location


def test_the_progress_page_says_how_many_were_sent_and_lists_them(
    client: FlaskClient, login: Login, hr: User, team_reps: list[User], values: dict
) -> None:
    login(hr)
    page = client.get(_send_from_the_page(client, team_reps, values))
    assert page.status_code == 200
    assert "Done: 3 of 3 sent." in page.text
    assert 'role="status"' in page.text and 'http-equiv="refresh"' not in page.text
    for agreement in db.session.query(Agreement).all():
        assert f'href="/agreements/{agreement.id}"' in page.text


def test_a_queued_batch_refreshes_its_page_until_sent(
    client: FlaskClient, login: Login, hr: User, team_reps: list[User], values: dict
) -> None:
    bulk_id = _stale_bulk(hr, team_reps, attempts=0, quiet_for=timedelta(0))
    login(hr)
    page = client.get(f"/agreements/bulk/{bulk_id}").text
    assert "0 of 3 sent" in page and '<meta http-equiv="refresh" content="3">' in page


def test_only_hr_and_admins_see_a_bulk_send(
    client: FlaskClient,
    login: Login,
    make_user: Callable[..., User],
    hr: User,
    team_reps: list[User],
) -> None:
    bulk_id = _stale_bulk(hr, team_reps, attempts=0, quiet_for=timedelta(0))
    url = f"/agreements/bulk/{bulk_id}"
    for role, status in ((Role.REP, 403), (Role.COACH, 403), (Role.ADMIN, 200), (Role.HR, 200)):
        login(make_user(role))
        assert client.get(url).status_code == status, role
        client.post("/logout")
    login(hr)
    assert client.get("/agreements/bulk/999999").status_code == 404
    assert client.get("/agreements/bulk/99999999999999999999999").status_code == 404


def test_pruning_a_finished_bulk_send_keeps_its_agreements(
    hr: User, team_reps: list[User], values: dict, evidence: Evidence
) -> None:
    bulk_id = _queue(hr, team_reps, values, evidence).id
    db.session.commit()
    assert service.prune_finished_jobs(now() - timedelta(days=1)) == 0  # finished just now
    assert service.prune_finished_jobs(now() + timedelta(days=1)) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(BulkSend, bulk_id) is None
    agreements = db.session.query(Agreement).all()
    assert len(agreements) == 3 and all(a.bulk_send_id is None for a in agreements)
