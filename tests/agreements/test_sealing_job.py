"""The last signature completes the agreement; a job seals its PDF once that is committed.

The queue runs in immediate mode here: a commit that queues the seal runs it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.agreements import audit, rendering, service
from app.agreements.models import Agreement, AgreementStatus
from app.errors import Conflict
from app.extensions import db
from app.jobs import recover
from tests.agreements.conftest import EVIDENCE, WINDOW, _fresh

Login = Callable[[User], FlaskClient]


def _sign_all(agreement: Agreement, hr: User) -> None:
    service.sign(agreement.rep, agreement, _fresh(agreement.rep), EVIDENCE, WINDOW)
    service.sign(hr, agreement, _fresh(hr), EVIDENCE, WINDOW)


def _actions(agreement: Agreement) -> list[str]:
    return [event.action for event in audit.events_of(agreement)]


def test_the_last_signature_queues_the_seal_which_runs_once_committed(
    hr: User, make_agreement: Callable[..., Agreement]
) -> None:
    agreement = make_agreement()
    _sign_all(agreement, hr)
    # Completed in the signer's request, but not rendered nor sealed there.
    assert agreement.status == AgreementStatus.COMPLETED and agreement.pdf_sha256 is None
    assert _actions(agreement)[-1] == "completed"

    db.session.commit()  # the job runs now

    db.session.refresh(agreement)
    assert agreement.pdf is not None and agreement.pdf_sha256 and agreement.seal_attempts == 1
    assert _actions(agreement)[-2:] == ["completed", "sealed"]
    assert service.verify_pdf(agreement.pdf).intact


def test_sealing_that_keeps_failing_is_recorded_on_the_trail(
    app: Flask,
    client: FlaskClient,
    login: Login,
    hr: User,
    make_agreement: Callable[..., Agreement],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_certificate(agreement: Agreement) -> bytes:
        raise ValueError("the PKCS#12 passphrase is wrong")

    monkeypatch.setattr(rendering, "sealed_pdf", broken_certificate)
    agreement = make_agreement()
    _sign_all(agreement, hr)
    db.session.commit()

    db.session.refresh(agreement)
    assert agreement.status == AgreementStatus.COMPLETED and agreement.pdf_sha256 is None
    assert agreement.seal_attempts == app.config["JOB_RETRIES"] + 1
    failed = audit.events_of(agreement)[-1]
    assert failed.action == "sealing failed" and "passphrase is wrong" in failed.detail
    with pytest.raises(Conflict, match="being sealed"):
        service.sealed_pdf_of(agreement)
    login(hr)
    page = client.get(f"/agreements/{agreement.id}")
    assert "Sealing the signed PDF" in page.text and "Download signed PDF" not in page.text


def test_a_starting_worker_seals_what_a_crash_left_unsealed(
    app: Flask,
    hr: User,
    make_agreement: Callable[..., Agreement],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agreement = make_agreement()
    original = rendering.sealed_pdf

    def worker_killed(agreement: Agreement) -> Any:
        raise KeyboardInterrupt  # Huey drops a job interrupted like this: no retry

    monkeypatch.setattr(rendering, "sealed_pdf", worker_killed)
    _sign_all(agreement, hr)
    db.session.commit()
    db.session.refresh(agreement)
    assert agreement.pdf_sha256 is None and agreement.seal_attempts == 1

    monkeypatch.setattr(rendering, "sealed_pdf", original)
    stale = timedelta(seconds=app.config["JOB_STALE_SECONDS"] + 60)
    assert agreement.completed_at is not None
    agreement.completed_at -= stale
    db.session.commit()
    recover(app)  # what `flask worker` does before taking jobs

    db.session.refresh(agreement)
    assert agreement.pdf_sha256 and _actions(agreement)[-1] == "sealed"
