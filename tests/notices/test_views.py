"""HR's notices list, and a notice reviewed, sent, signed and sealed through the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import Role, User
from app.agreements import service as agreements
from app.agreements.audit import events_of
from app.agreements.models import Agreement, AgreementStatus
from app.extensions import db
from app.notices import service
from app.notices.models import NoticeEpisode
from tests.notices.world import at_risk_for_13_days

Login = Callable[[User], FlaskClient]


def _sign_form(user: User) -> dict[str, str]:
    version = "2026-11-hr-v1" if user.has_role(Role.HR) else "2026-11-v1"
    return {"consent": "y", "consent_version": version, "typed_name": user.full_name}


@pytest.fixture
def notice(make_rep: Callable[..., User], hr: User) -> Agreement:
    """The notice today's sweep drafts for Ava, at risk for 14 days under her agreement."""
    rep = make_rep(day_of_ramp=90, name="Ava Chen")
    at_risk_for_13_days(hr, rep)
    service.run_sweep(date.today())
    db.session.commit()
    [episode] = db.session.scalars(
        select(NoticeEpisode).where(NoticeEpisode.condition_key == "status-at_risk-14")
    ).all()
    assert episode.notice is not None
    return episode.notice


def test_hr_sees_drafted_notices_with_clause_and_evidence(
    client: FlaskClient, login: Login, hr: User, notice: Agreement
) -> None:
    login(hr)
    page = client.get("/notices")
    assert page.status_code == 200
    assert "Ava Chen" in page.text and "At risk for 14 days" in page.text
    assert "Clause: If the targets are missed" in page.text
    assert "Recorded as at risk on 14 days" in page.text
    assert f'href="/agreements/{notice.id}"' in page.text and "Review and send" in page.text
    assert "Ava Chen" in client.get("/notices?status=draft&q=ava").text
    assert "No notices match." in client.get("/notices?status=completed").text
    assert client.get("/notices?status=nonsense&sort=bogus&page=x").status_code == 200
    detail = client.get(f"/agreements/{notice.id}")
    assert "Drafted by SalesRamp" in detail.text and "At risk for 14 days" in detail.text


def test_coaches_and_reps_do_not_see_the_notices_list(
    client: FlaskClient, login: Login, notice: Agreement
) -> None:
    login(notice.rep)
    assert client.get("/notices").status_code == 403
    # A draft is HR's: the rep cannot open it until it is sent.
    assert client.get(f"/agreements/{notice.id}").status_code in (403, 404)
    client.post("/logout")
    assert notice.rep.coach is not None
    login(notice.rep.coach)
    assert client.get("/notices").status_code == 403


def test_hr_edits_and_sends_the_rep_signs_and_the_sealed_pdf_verifies(
    client: FlaskClient, login: Login, hr: User, notice: Agreement
) -> None:
    rep = notice.rep
    login(hr)
    form = {f"v_{k}": v or "" for k, v in (notice.values or {}).items()}
    form["v_next_steps"] = "We meet on Monday at 10:00 with your coach."
    assert client.post(f"/agreements/{notice.id}/edit", data=form).status_code == 302
    assert client.post(f"/agreements/{notice.id}/send").status_code == 302
    client.post("/logout")

    login(rep)
    assert "Written notice" in client.get("/agreements/mine").text
    sign_page = client.get(f"/agreements/{notice.id}/sign")
    assert "We meet on Monday at 10:00" in sign_page.text
    assert "If the targets are missed" in sign_page.text
    client.post(f"/agreements/{notice.id}/read")
    assert client.post(f"/agreements/{notice.id}/sign", data=_sign_form(rep)).status_code == 302
    client.post("/logout")

    login(hr)
    assert client.post(f"/agreements/{notice.id}/sign", data=_sign_form(hr)).status_code == 302
    db.session.expire_all()
    signed = db.session.get(Agreement, notice.id)
    assert signed is not None and signed.status == AgreementStatus.COMPLETED
    assert [e.action for e in events_of(signed)][:3] == ["drafted", "edited", "sent"]
    download = client.get(f"/agreements/{notice.id}/download")
    assert download.status_code == 200
    verdict = agreements.verify_pdf(download.data)
    assert verdict.intact and verdict.agreement is not None and verdict.agreement.id == notice.id
    public = client.get(f"/verify/{signed.verification_code}")
    assert public.status_code == 200 and signed.pdf_sha256 in public.text
    listed = client.get("/notices?status=completed")
    assert "Ava Chen" in listed.text
