"""Bulk sends and reps who already hold the agreement: flagged in the preview, left out unless
HR ticks them, and the fingerprint and the job both honour the choice."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.accounts.models import Team, User
from app.agreements import service
from app.agreements.audit import Evidence, now
from app.agreements.models import Agreement, AgreementStatus, BulkSendStatus
from app.agreements.service import bulk_job
from app.extensions import db

PIP = "performance-improvement"
Login = Callable[[User], FlaskClient]


@pytest.fixture
def north(
    make_rep: Callable[..., User],
    make_team: Callable[..., Team],
    make_agreement: Callable[..., Agreement],
    hr: User,
) -> int:
    """Team North: Ava holds the agreement (sent), Ben too (completed), Chloe's was voided."""
    team = make_team("Team North")
    reps = {name: make_rep(name=name) for name in ("Ava Chen", "Ben Okafor", "Chloe Martin")}
    for rep in reps.values():
        rep.team = team
    make_agreement(PIP, rep=reps["Ava Chen"])
    completed = make_agreement(PIP, rep=reps["Ben Okafor"])
    completed.status, completed.completed_at = AgreementStatus.COMPLETED, now()
    voided = make_agreement(PIP, rep=reps["Chloe Martin"])
    service.void(hr, voided, "Sent by mistake", Evidence("203.0.113.7", "pytest"))
    db.session.commit()
    return team.id


def _names(agreements: list[Agreement]) -> list[str]:
    return [agreement.rep.full_name for agreement in agreements]


def test_the_preview_flags_reps_who_hold_the_agreement_and_leaves_them_out_by_default(
    north: int, hr: User, values: dict, evidence: Evidence
) -> None:
    first = service.preview_or_send(hr, PIP, north, None, values[PIP], evidence)
    assert first.previews is not None
    held = {p.rep.full_name: p.held.status for p in first.previews if p.held}
    assert held == {"Ava Chen": AgreementStatus.SENT, "Ben Okafor": AgreementStatus.COMPLETED}
    assert [p.rep.full_name for p in first.previews if p.sendable] == ["Chloe Martin"]

    done = service.preview_or_send(hr, PIP, north, None, values[PIP], evidence, first.fingerprint)
    assert done.queued is not None and done.queued.total == 1
    db.session.commit()
    assert _names(service.sent_by(hr, done.queued)) == ["Chloe Martin"]


def test_a_rep_ticked_to_get_it_again_is_sent_and_the_tick_changes_the_fingerprint(
    north: int, hr: User, values: dict, evidence: Evidence
) -> None:
    ava = db.session.query(User).filter_by(full_name="Ava Chen").one()
    plain = service.preview_or_send(hr, PIP, north, None, values[PIP], evidence)
    # Ticked after the preview: the batch changed, so it is previewed again, not sent.
    ticked = service.preview_or_send(
        hr, PIP, north, None, values[PIP], evidence, plain.fingerprint, resend=[ava.id]
    )
    assert ticked.queued is None and ticked.fingerprint != plain.fingerprint
    assert ticked.previews is not None
    assert [p.rep.full_name for p in ticked.previews if p.sendable] == ["Ava Chen", "Chloe Martin"]

    done = service.preview_or_send(
        hr, PIP, north, None, values[PIP], evidence, ticked.fingerprint, resend=[ava.id]
    )
    assert done.queued is not None and done.queued.resend_rep_ids == [ava.id]
    db.session.commit()
    assert _names(service.sent_by(hr, done.queued)) == ["Ava Chen", "Chloe Martin"]


def test_the_job_leaves_out_a_rep_sent_the_agreement_since_the_preview(
    make_rep: Callable[..., User],
    make_agreement: Callable[..., Agreement],
    hr: User,
    values: dict,
    evidence: Evidence,
) -> None:
    dan, eve = make_rep(name="Dan Ito"), make_rep(name="Eve Park")
    raw = values[PIP]
    fingerprint = service.bulk.bulk_fingerprint(PIP, [dan, eve], raw)  # type: ignore[attr-defined]
    bulk = service.start_bulk_send(hr, PIP, [dan, eve], raw, fingerprint, evidence)
    make_agreement(PIP, rep=dan)  # sent by hand meanwhile (this commit runs the job)

    row = service.get_bulk_send(hr, bulk.id)
    assert row.status == BulkSendStatus.DONE
    assert _names(service.sent_by(hr, row)) == ["Eve Park"]
    assert f"Dan Ito: {bulk_job.HOLDS_IT}" in row.error


def test_the_bulk_page_offers_a_box_to_send_a_holder_again(
    client: FlaskClient, login: Login, north: int, hr: User, values: dict
) -> None:
    login(hr)
    form = {f"v_{name}": value or "" for name, value in values[PIP].items()}
    page = client.post(
        f"/agreements/bulk?template={PIP}", data=form | {"team": str(north), "action": "preview"}
    ).get_data(as_text=True)
    assert "2 reps already hold this agreement" in page
    assert 'name="resend"' in page and "Send Ava Chen another one (holds one: Sent" in page
    assert "Left out, holds it already: Completed" in page
    assert "Send 1 agreement</button>" in " ".join(page.split())
