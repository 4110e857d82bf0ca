"""The agreements pages through the test client: HR drafts and sends, reps sign, HR exports."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Callable

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient

from app.accounts.models import Role, User
from app.agreements import audit, rendering
from app.agreements.models import Agreement, AgreementStatus, SignerRole
from app.extensions import db
from app.web import PASSWORD_AT

Login = Callable[[User], FlaskClient]


def reload(agreement: Agreement) -> Agreement:
    db.session.expire_all()
    found = db.session.get(Agreement, agreement.id)
    assert found is not None
    return found


def sign_form(user: User, **changes: str) -> dict[str, str]:
    version = "2026-11-hr-v1" if user.has_role(Role.HR) else "2026-11-v1"
    return {"consent": "y", "consent_version": version, "typed_name": user.full_name} | changes


def test_hr_drafts_previews_and_sends_an_agreement(
    client: FlaskClient, login: Login, hr: User, make_rep: Callable[..., User], values: dict
) -> None:
    rep = make_rep(name="Ava Chen")
    login(hr)
    assert "Choose the rep" in client.get("/agreements/new").text
    url = f"/agreements/new?rep_id={rep.id}&template=performance-improvement"
    page = client.get(url)
    assert page.status_code == 200 and "The gap, in numbers" in page.text
    form = {f"v_{k}": v or "" for k, v in values["performance-improvement"].items()}
    refused = client.post(url, data={**form, "v_period_start": ""})
    assert refused.status_code == 200 and "Improvement period starts" in refused.text
    response = client.post(url, data={**form, "v_gap_summary": "<script>alert(1)</script>"})
    assert response.status_code == 302
    agreement = db.session.query(Agreement).one()
    detail = client.get(f"/agreements/{agreement.id}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail.text
    assert "<script>alert(1)" not in detail.text
    assert "This is a draft" in detail.text
    preview = client.get(f"/agreements/{agreement.id}/preview.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    edit = client.post(
        f"/agreements/{agreement.id}/edit", data={**form, "v_review_dates": "Mondays"}
    )
    assert edit.status_code == 302
    assert client.post(f"/agreements/{agreement.id}/send").status_code == 302
    agreement = reload(agreement)
    assert agreement.status == AgreementStatus.SENT and agreement.document is not None
    assert "Mondays" in agreement.document["body_html"]
    frozen = client.get(f"/agreements/{agreement.id}/edit")
    assert frozen.status_code == 409 and "void it with a reason" in frozen.text


def test_the_rep_signs_hr_countersigns_and_both_download_the_stored_bytes(
    client: FlaskClient, login: Login, hr: User, make_agreement: Callable[..., Agreement]
) -> None:
    agreement = make_agreement()
    rep = agreement.rep
    login(rep)
    home = client.get("/agreements/mine")
    assert "To sign" in home.text and agreement.title in home.text
    assert 'rounded-pill text-bg-warning">1<' in home.text  # the count in the menu
    page = client.get(f"/agreements/{agreement.id}/sign")
    assert page.status_code == 200
    assert "agreement-sign.js" in page.text and "<script>" not in page.text  # no inline script
    assert 'type="checkbox"' in page.text and "checked" not in page.text.split("consent")[1][:300]
    assert client.post(f"/agreements/{agreement.id}/read").json == {"recorded": True}

    wrong = client.post(
        f"/agreements/{agreement.id}/sign", data=sign_form(rep, typed_name="A. Chen")
    )
    assert wrong.status_code == 200 and "does not match the name on record" in wrong.text
    no_consent = client.post(f"/agreements/{agreement.id}/sign", data=sign_form(rep, consent=""))
    assert "agree to sign electronically" in no_consent.text
    assert reload(agreement).status == AgreementStatus.SENT

    signed = client.post(f"/agreements/{agreement.id}/sign", data=sign_form(rep))
    assert signed.status_code == 302
    again = client.post(f"/agreements/{agreement.id}/sign", data=sign_form(rep))
    assert again.status_code in (302, 409)
    assert audit.event_count(reload(agreement), "signed by rep") == 1
    client.post("/logout")

    login(hr)
    assert agreement.title in client.get("/agreements/mine").text
    # HR signs for the organisation: its consent text does not tell HR to ask HR.
    hr_page = client.get(f"/agreements/{agreement.id}/sign").text
    assert "on behalf of the organisation" in hr_page and "ask HR" not in hr_page
    assert 'value="2026-11-hr-v1"' in hr_page
    rep_text = client.post(
        f"/agreements/{agreement.id}/sign", data=sign_form(hr, consent_version="2026-11-v1")
    )
    assert "The consent text changed" in rep_text.text
    assert 'value="2026-11-hr-v1"' in rep_text.text
    assert reload(agreement).status == AgreementStatus.SIGNED_BY_REP
    countersigned = client.post(f"/agreements/{agreement.id}/sign", data=sign_form(hr))
    assert countersigned.status_code == 302
    agreement = reload(agreement)
    assert agreement.status == AgreementStatus.COMPLETED
    download = client.get(f"/agreements/{agreement.id}/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data == agreement.pdf
    assert "attachment" in download.headers["Content-Disposition"]
    client.post("/logout")

    login(rep)
    assert client.get(f"/agreements/{agreement.id}/download").data == agreement.pdf
    actions = [e.action for e in audit.events_of(agreement)]
    assert actions[:4] == ["drafted", "sent", "opened", "read to the end"]
    assert "signed by rep" in actions and actions[-1] == "sealed"
    versions = {s.role: s.consent_version for s in agreement.signatures}
    assert versions == {SignerRole.REP: "2026-11-v1", SignerRole.HR: "2026-11-hr-v1"}


def test_a_refused_signature_lists_every_error_at_the_top_and_keeps_the_reading(
    client: FlaskClient, login: Login, make_agreement: Callable[..., Agreement]
) -> None:
    agreement = make_agreement()
    login(agreement.rep)
    page = client.get(f"/agreements/{agreement.id}/sign").text
    # "You can sign now" replaces the hint inside a live region that is there from the start.
    assert re.search(r'<div role="status" id="sign-status">\s*<p[^>]*id="sign-hint"', page)
    assert "data-already-read" not in page
    client.post(f"/agreements/{agreement.id}/read")

    refused = client.post(
        f"/agreements/{agreement.id}/sign", data=sign_form(agreement.rep, consent="", typed_name="")
    ).text
    summary = refused.split('id="error-summary"')[1].split("</section>")[0]
    assert refused.index('id="error-summary"') < refused.index('id="agreement-scroll"')
    assert "autofocus" in refused.split('id="error-summary"')[0].rsplit("<", 1)[1] + summary[:60]
    assert 'href="#consent"' in summary and 'href="#typed_name"' in summary
    assert (
        'aria-invalid="true"'
        in refused.split('id="typed_name"')[0].rsplit("<", 1)[1]
        + (refused.split('id="typed_name"')[1].split(">")[0])
    )
    # The reading the signer already did still counts: the script enables the button at once.
    assert 'data-already-read="true"' in refused
    assert reload(agreement).status == AgreementStatus.SENT


def test_a_rep_cannot_see_or_download_someone_elses_agreement(
    client: FlaskClient, login: Login, completed: Agreement, make_user: Callable[..., User]
) -> None:
    login(make_user(Role.REP))
    for path in ("", "/download", "/sign", "/print", "/preview.pdf"):
        assert client.get(f"/agreements/{completed.id}{path}").status_code == 403
    assert (
        client.post(f"/agreements/{completed.id}/decline", data={"reason": "x"}).status_code == 403
    )
    assert client.get("/agreements/999999").status_code == 404
    assert client.get("/agreements/new").status_code == 403
    assert client.get("/agreements/verify").status_code == 403


def test_signing_after_a_while_asks_for_the_password(
    client: FlaskClient, login: Login, make_agreement: Callable[..., Agreement]
) -> None:
    agreement = make_agreement()
    rep = agreement.rep
    login(rep)
    with client.session_transaction() as session:
        session[PASSWORD_AT] = int(time.time()) - 3600
    page = client.get(f"/agreements/{agreement.id}/sign")
    assert 'name="password"' in page.text
    refused = client.post(f"/agreements/{agreement.id}/sign", data=sign_form(rep))
    assert "enter your password again" in refused.text
    assert reload(agreement).status == AgreementStatus.SENT
    accepted = client.post(
        f"/agreements/{agreement.id}/sign", data=sign_form(rep, password="correct horse battery")
    )
    assert accepted.status_code == 302
    assert reload(agreement).status == AgreementStatus.SIGNED_BY_REP


def test_the_rep_can_decline_with_a_reason(
    client: FlaskClient, login: Login, make_agreement: Callable[..., Agreement]
) -> None:
    agreement = make_agreement()
    login(agreement.rep)
    assert (
        client.post(f"/agreements/{agreement.id}/decline", data={"reason": ""}).status_code == 302
    )
    assert reload(agreement).status == AgreementStatus.SENT
    client.post(f"/agreements/{agreement.id}/decline", data={"reason": "Not discussed with me"})
    agreement = reload(agreement)
    assert agreement.status == AgreementStatus.DECLINED
    assert agreement.close_reason == "Not discussed with me"


def test_hr_voids_with_a_reason(
    client: FlaskClient, login: Login, hr: User, make_agreement: Callable[..., Agreement]
) -> None:
    agreement = make_agreement()
    login(hr)
    client.post(f"/agreements/{agreement.id}/void", data={"reason": ""})
    assert reload(agreement).status == AgreementStatus.SENT
    client.post(f"/agreements/{agreement.id}/void", data={"reason": "Wrong dates"})
    assert reload(agreement).status == AgreementStatus.VOIDED
    assert "Wrong dates" in client.get(f"/agreements/{agreement.id}").text


def test_the_public_verification_page_shows_status_and_hash_but_not_the_content(
    client: FlaskClient, completed: Agreement
) -> None:
    page = client.get(f"/verify/{completed.verification_code}")
    assert page.status_code == 200
    assert "Completed" in page.text and str(completed.pdf_sha256) in page.text
    assert str(completed.content_hash) in page.text
    assert "Meetings booked" not in page.text and completed.rep.full_name not in page.text
    assert client.get(f"/verify/{completed.verification_code.lower()}").status_code == 200
    assert client.get("/verify/NOPE-NOPE-NOPE").status_code == 404


def test_hr_uploads_a_pdf_to_verify_it(
    client: FlaskClient, login: Login, hr: User, completed: Agreement
) -> None:
    assert completed.pdf is not None
    login(hr)
    intact = client.post(
        "/agreements/verify",
        data={"pdf": (io.BytesIO(completed.pdf), "agreement.pdf")},
        content_type="multipart/form-data",
    )
    assert "Intact: a sealed SalesRamp agreement" in intact.text
    assert completed.rep.full_name in intact.text
    tampered = bytearray(completed.pdf)
    tampered[len(tampered) // 3] ^= 0x01
    broken = client.post(
        "/agreements/verify",
        data={"pdf": (io.BytesIO(bytes(tampered)), "agreement.pdf")},
        content_type="multipart/form-data",
    )
    assert "Not an intact sealed agreement" in broken.text


def test_hr_list_filters_and_print_view(
    client: FlaskClient,
    login: Login,
    hr: User,
    completed: Agreement,
    make_agreement: Callable[..., Agreement],
) -> None:
    draft = make_agreement("onboarding-expectations", send=False)
    login(hr)
    everything = client.get("/agreements")
    assert completed.verification_code in everything.text
    assert draft.verification_code in everything.text
    only_completed = client.get("/agreements?status=completed")
    assert completed.verification_code in only_completed.text
    assert draft.verification_code not in only_completed.text
    by_kind = client.get("/agreements?kind=expectation")
    assert draft.verification_code in by_kind.text
    assert completed.verification_code not in by_kind.text
    by_rep = client.get(f"/agreements?rep={draft.rep_id}")
    assert completed.verification_code not in by_rep.text
    printed = client.get(f"/agreements/{completed.id}/print")
    assert (
        printed.status_code == 200
        and "Audit trail" in printed.text
        and "data-print" in printed.text
    )


def manifest_of(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))


def test_export_of_a_selection_is_a_zip_of_stored_pdfs_and_a_manifest(
    client: FlaskClient, login: Login, hr: User, completed: Agreement
) -> None:
    login(hr)
    response = client.post("/agreements/export", data={"status": ""})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    [row] = manifest_of(archive)
    assert row["rep"] == completed.rep.full_name and row["status"] == "completed"
    assert row["kind"] == "consequence" and row["pdf_sha256"] == completed.pdf_sha256
    assert row["sent_at"] and row["completed_at"]
    assert archive.read(row["file"]) == completed.pdf


@pytest.mark.real_commits  # the export's job runs in a session of its own
def test_a_large_export_runs_in_the_background_with_progress(
    app: Flask,
    client: FlaskClient,
    login: Login,
    hr: User,
    completed: Agreement,
    make_agreement: Callable[..., Agreement],
) -> None:
    make_agreement()  # a sent one: listed in the manifest without a PDF
    app.config["EXPORT_INLINE_LIMIT"] = 1
    login(hr)
    response = client.post("/agreements/export", data={})
    assert response.status_code == 303
    progress_url = response.headers["Location"]
    page = client.get(progress_url)
    assert (
        page.status_code == 200 and "<progress" in page.text and "export-progress.js" in page.text
    )
    status: dict = {}
    for _ in range(100):
        status = client.get(progress_url + "/status").json
        if status["status"] != "running":
            break
        time.sleep(0.1)
    assert status["status"] == "done" and status["done"] == status["total"] == 2
    with client.get(status["download"]) as download:
        archive = zipfile.ZipFile(io.BytesIO(download.data))
    rows = manifest_of(archive)
    assert {row["status"] for row in rows} == {"completed", "sent"}
    assert [row["file"] for row in rows if row["status"] == "sent"] == [""]


@pytest.mark.real_commits  # the export's job runs in a session of its own
def test_an_export_belongs_to_whoever_asked_for_it(
    app: Flask,
    client: FlaskClient,
    login: Login,
    hr: User,
    completed: Agreement,
    make_user: Callable[..., User],
) -> None:
    app.config["EXPORT_INLINE_LIMIT"] = 0
    login(hr)
    progress_url = client.post("/agreements/export", data={}).headers["Location"]
    for _ in range(100):
        if client.get(progress_url + "/status").json["status"] != "running":
            break
        time.sleep(0.1)
    client.post("/logout")
    login(make_user(Role.HR))
    assert client.get(progress_url).status_code == 403


def test_bulk_send_previews_each_rep_before_sending(
    client: FlaskClient,
    login: Login,
    hr: User,
    make_rep: Callable[..., User],
    make_team: Callable[..., object],
    values: dict,
) -> None:
    team = make_team("Team North")
    reps = [make_rep(name=name) for name in ("Ava Chen", "Ben Okafor")]
    for rep in reps:
        rep.team = team
    db.session.commit()
    login(hr)
    assert "Send one agreement" in client.get("/agreements/bulk").text
    url = "/agreements/bulk?template=performance-improvement"
    form = {f"v_{k}": v or "" for k, v in values["performance-improvement"].items()}
    form["team"] = str(team.id)  # type: ignore[attr-defined]
    preview = client.post(url, data={**form, "action": "preview"})
    assert preview.status_code == 200
    assert "Ava Chen" in preview.text and "Ben Okafor" in preview.text
    assert "Send 2 agreements" in preview.text
    assert db.session.query(Agreement).count() == 0
    fingerprint = preview.text.split('name="previewed" type="hidden" value="')[1].split('"')[0]
    changed = client.post(
        url, data={**form, "v_review_dates": "daily", "action": "send", "previewed": fingerprint}
    )
    assert changed.status_code == 200 and db.session.query(Agreement).count() == 0
    sent = client.post(url, data={**form, "action": "send", "previewed": fingerprint})
    assert sent.status_code == 303 and sent.location.startswith("/agreements/bulk/")
    agreements = db.session.query(Agreement).all()
    assert sorted(a.rep.full_name for a in agreements) == ["Ava Chen", "Ben Okafor"]
    assert all(a.status == AgreementStatus.SENT for a in agreements)


@pytest.mark.parametrize("path", ["/agreements", "/agreements/mine", "/agreements/bulk"])
def test_pages_need_a_signed_in_user(client: FlaskClient, app: Flask, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signature_headings_show_the_name_on_record_and_the_trail_keeps_what_was_typed(
    client: FlaskClient, login: Login, make_agreement: Callable[..., Agreement]
) -> None:
    agreement = make_agreement()
    rep = agreement.rep
    login(rep)
    typed = rep.full_name.lower()  # "ava chen": accepted, the name matches ignoring case
    signed = client.post(f"/agreements/{agreement.id}/sign", data=sign_form(rep, typed_name=typed))
    assert signed.status_code == 302
    page = client.get(f"/agreements/{agreement.id}").text
    assert f"<h3>Rep: {rep.full_name}</h3>" in page
    assert f"<h3>Rep: {typed}" not in page and f'class="typed-name">{typed}<' in page
    pdf_html = render_template("pdf/agreement.html", **rendering.final_html_context(agreement))
    assert f"<h3>Rep: {rep.full_name}</h3>" in pdf_html
    [signed_event] = [e for e in audit.events_of(agreement) if e.action == "signed by rep"]
    assert f'Typed name "{typed}"' in str(signed_event.detail)
