"""Certification pages over HTTP: the generated form, its validation, results, PDF, access."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import timedelta

import pytest
from markupsafe import escape

from app.accounts.models import Role
from app.certification.models import Assessment, CertificationAttempt
from app.extensions import db
from app.plans.models import MeasureKind, MilestoneStatus
from app.plans.service import active_plan

from .conftest import today


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<div id="{field_id}-error"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


def fieldset_of(html: str, key: str) -> str:
    match = re.search(rf'<fieldset[^>]*id="criterion-{key}".*?</fieldset>', html, re.S)
    assert match, f"no fieldset for {key}"
    return match.group(0)


def attempts() -> list[CertificationAttempt]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(CertificationAttempt)))


# --- the generated form --------------------------------------------------------------------


def test_the_form_has_a_fieldset_per_criterion_with_every_descriptor(make_rep, login, rubric):
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    page = login(rep.coach).get(f"/certifications/reps/{rep.id}/discovery/assess")
    assert page.status_code == 200
    spec = rubric("discovery")
    for criterion in spec.criteria:
        fieldset = fieldset_of(page.text, criterion.key)
        assert f">{criterion.name} <" in re.search(r"<legend.*?</legend>", fieldset, re.S).group(0)
        for level in spec.scale:
            radio = f'id="score-{criterion.key}-{level.level}"'
            assert radio in fieldset
            label_for = f'for="score-{criterion.key}-{level.level}"'
            label = re.search(rf"<label [^>]*{label_for}>(.*?)</label>", fieldset, re.S).group(1)
            assert f"{level.level} {level.name}" in label
            assert str(escape(criterion.levels[level.level])) in label
        assert f'name="comment-{criterion.key}"' in fieldset
    for name in ("feedback", "evidence_kind", "evidence_url", "assessed_on"):
        assert f'name="{name}"' in page.text


def test_a_complete_assessment_is_recorded_and_shown(make_rep, login, form_data, rubric):
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    client = login(rep.coach)
    response = client.post(
        f"/certifications/reps/{rep.id}/discovery/assess", data=form_data(rubric("discovery"))
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert 'data-status="passed"' in page.text
    (attempt,) = attempts()
    assert attempt.passed and attempt.assessments[0].feedback.startswith("Strong call")
    assert attempt.assessments[0].scores[0].comment == "Comment on Questioning"


@pytest.mark.parametrize(
    ("change", "field_id", "message"),
    [
        ({"score-questioning": None}, "score-questioning", "Score Questioning: choose a level."),
        ({"score-next-steps": "7"}, "score-next-steps", "Choose one of the levels 1-4."),
        ({"score-next-steps": "three"}, "score-next-steps", "Choose one of the levels 1-4."),
        ({"evidence_kind": ""}, "evidence_kind", "this rubric needs evidence"),
        ({"evidence_kind": "recorded-call"}, "evidence_url", "Link the recorded call"),
        ({"evidence_url": "not a link"}, "evidence_url", "Enter a full link"),
        ({"assessed_on": ""}, "assessed_on", "Enter the date of the assessment."),
        ({"assessed_on": "2999-01-01"}, "assessed_on", "cannot be in the future"),
    ],
)
def test_each_bad_input_is_refused_with_the_message_next_to_its_field(
    make_rep, login, form_data, rubric, change, field_id, message
):
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    data = form_data(rubric("discovery"), **change)
    response = login(rep.coach).post(f"/certifications/reps/{rep.id}/discovery/assess", data=data)
    assert response.status_code == 400
    assert message in field_error(response.text, field_id)
    if field_id.startswith("score-"):  # inside the criterion's own fieldset
        key = field_id.removeprefix("score-")
        assert message in fieldset_of(response.text, key)
        assert 'aria-invalid="true"' in fieldset_of(response.text, key)
    assert attempts() == []


def test_an_assessment_during_the_cooldown_is_refused_next_to_the_date(
    make_rep, login, form_data, rubric, assess
):
    rep = make_rep(day_of_ramp=40, plan="ae-ramp")
    assess(rep.coach, rep, "discovery", on=today() - timedelta(days=1), next_steps=1)
    response = login(rep.coach).post(
        f"/certifications/reps/{rep.id}/discovery/assess", data=form_data(rubric("discovery"))
    )
    assert response.status_code == 400
    assert "the next attempt is possible from" in field_error(response.text, "assessed_on")
    assert len(attempts()) == 1


def test_a_two_assessor_rubric_asks_for_the_second_assessor_next_to_the_field(
    make_rep, make_user, login, form_data, rubric
):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    second = make_user(Role.COACH, name="Second Opinion")
    client = login(rep.coach)
    url = f"/certifications/reps/{rep.id}/negotiation/assess"
    response = client.post(url, data=form_data(rubric("negotiation")))
    assert response.status_code == 400
    assert "needs two assessors" in field_error(response.text, "second_assessor")

    response = client.post(url, data=form_data(rubric("negotiation"), second_assessor=second.id))
    assert response.status_code == 302
    (attempt,) = attempts()
    assert not attempt.is_decided
    assert [a.assessor.full_name for a in attempt.pending_assessor_assessments] == [
        "Second Opinion"
    ]


def test_the_rep_cannot_assess_themselves_over_http(make_rep, login, form_data, rubric):
    rep = make_rep()
    client = login(rep)
    url = f"/certifications/reps/{rep.id}/prospecting/assess"
    assert client.get(url).status_code == 403
    assert client.post(url, data=form_data(rubric("prospecting"))).status_code == 403
    assert attempts() == []


def test_another_coach_cannot_assess_or_see(make_rep, make_user, login, form_data, rubric):
    rep = make_rep()
    client = login(make_user(Role.COACH))
    url = f"/certifications/reps/{rep.id}/prospecting"
    assert client.get(url).status_code == 403
    assert client.post(url + "/assess", data=form_data(rubric("prospecting"))).status_code == 403
    assert attempts() == []


def test_hr_sees_but_does_not_assess(make_rep, make_user, login, form_data, rubric, assess):
    rep = make_rep()
    attempt = assess(rep.coach, rep).attempt
    client = login(make_user(Role.HR))
    assert client.get(f"/certifications/reps/{rep.id}/prospecting").status_code == 200
    assert client.get(f"/certifications/attempts/{attempt.id}").status_code == 200
    url = f"/certifications/reps/{rep.id}/prospecting/assess"
    assert client.post(url, data=form_data(rubric("prospecting"))).status_code == 403


# --- self-assessment and the side-by-side view ---------------------------------------------


def test_self_assessment_and_the_calibration_gap(make_rep, login, form_data, rubric, assess):
    rep = make_rep(day_of_ramp=20)
    client = login(rep)
    data = form_data(rubric("prospecting"), level=4)
    for name in ("evidence_kind", "evidence_url", "assessed_on", "second_assessor"):
        data.pop(name)
    response = client.post("/certifications/mine/prospecting/self-assessment", data=data)
    assert response.status_code == 302
    page = client.get("/certifications/mine")
    assert 'data-status="self-assessed"' in page.text

    attempt = assess(rep.coach, rep, "prospecting", level=3).attempt
    page = client.get(f"/certifications/attempts/{attempt.id}")
    assert "Self" in page.text and rep.coach.full_name in page.text
    row = re.search(r'<tr data-criterion="research">.*?</tr>', page.text, re.S).group(0)
    assert re.search(r'<td class="gap text-danger">-1</td>', row)


def test_a_self_assessment_with_a_missing_score_is_refused_next_to_it(
    make_rep, login, form_data, rubric
):
    rep = make_rep(day_of_ramp=20)
    data = form_data(rubric("prospecting"), **{"score-opener": None})
    response = login(rep).post("/certifications/mine/prospecting/self-assessment", data=data)
    assert response.status_code == 400
    assert "Score Opening and permission: choose a level." in field_error(
        response.text, "score-opener"
    )


# --- results, corrections, certificate -----------------------------------------------------


def test_the_rep_sees_the_result_with_its_explanation_and_feedback(make_rep, login, assess):
    rep = make_rep(day_of_ramp=20)
    assess(rep.coach, rep, "prospecting", objection_handling=1)
    page = login(rep).get(f"/certifications/reps/{rep.id}/prospecting")
    assert 'data-status="not passed"' in page.text
    assert "Objection handling scored 1, at least 2 needed on every criterion." in page.text
    assert "next attempt from" in page.text
    assert "Feedback" in page.text
    # the full rubric is readable on the same page
    assert "Account and persona research" in page.text and "Mastery" in page.text


def test_a_correction_over_http_is_visible_to_the_rep(make_rep, login, assess):
    rep = make_rep(day_of_ramp=20)
    attempt = assess(rep.coach, rep, "prospecting", objection_handling=1).attempt
    score = next(
        s for s in attempt.assessments[0].scores if s.criterion_key == "objection-handling"
    )
    client = login(rep.coach)
    url = f"/certifications/scores/{score.id}/correct"
    response = client.post(url, data={"level": "2", "reason": ""})
    assert response.status_code == 400
    assert "Say why the score is corrected" in field_error(response.text, "reason")
    response = client.post(url, data={"level": "2", "reason": "I misread my notes."})
    assert response.status_code == 302
    client.post("/logout")
    page = login(rep).get(f"/certifications/attempts/{attempt.id}")
    assert "Corrected" in page.text and "from 1 to 2" in page.text
    assert "I misread my notes." in page.text
    assert login(rep).get(url).status_code == 403


def test_the_certificate_pdf_names_the_rep_stage_and_scores(make_rep, login, assess, tmp_path):
    rep = make_rep(day_of_ramp=20, name="Renée Okoro")
    attempt = assess(rep.coach, rep, "prospecting", level=3, research=4).attempt
    response = login(rep).get(f"/certifications/attempts/{attempt.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Renée Okoro",
        "Prospecting certification",
        "Account and persona research",
        "version 1",
        rep.coach.full_name,
        "Weighted average",
        "3.2",
    ):
        assert expected in text, expected


def test_the_certificate_is_rendered_once_and_again_after_a_correction(
    make_rep, login, assess, monkeypatch, tmp_path
):
    from app.certification.service import certificate as module

    rendered = []
    real_render = module.render_pdf

    def counting_render(template, context):
        rendered.append(context)
        return real_render(template, context)

    monkeypatch.setattr(module, "render_pdf", counting_render)
    rep = make_rep(day_of_ramp=20)
    attempt = assess(rep.coach, rep, "prospecting", level=3).attempt
    client = login(rep.coach)
    url = f"/certifications/attempts/{attempt.id}/certificate.pdf"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert len(rendered) == 1 and first.data == second.data
    db.session.expire_all()
    stored = db.session.get(CertificationAttempt, attempt.id)
    assert stored.certificate_sha256 == hashlib.sha256(first.data).hexdigest()
    assert second.headers["ETag"] == f'"{stored.certificate_sha256}"'
    again = client.get(url, headers={"If-None-Match": second.headers["ETag"]})
    assert again.status_code == 304 and again.data == b"" and len(rendered) == 1

    score = next(s for s in stored.assessments[0].scores if s.criterion_key == "research")
    corrected = client.post(
        f"/certifications/scores/{score.id}/correct", data={"level": "4", "reason": "Misread"}
    )
    assert corrected.status_code == 302
    third = client.get(url)
    assert len(rendered) == 2 and third.data != first.data
    assert rendered[0]["weighted_average"] == "3" and rendered[1]["weighted_average"] == "3.2"
    path = tmp_path / "corrected.pdf"
    path.write_bytes(third.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "3.2" in text


def test_no_certificate_for_a_failed_attempt(make_rep, login, assess):
    rep = make_rep(day_of_ramp=20)
    attempt = assess(rep.coach, rep, "prospecting", objection_handling=1).attempt
    assert (
        login(rep).get(f"/certifications/attempts/{attempt.id}/certificate.pdf").status_code == 409
    )


# --- plans: the certification milestone ----------------------------------------------------


def test_the_plan_links_to_the_certification_instead_of_a_manual_pass(make_rep, login, assess):
    rep = make_rep(day_of_ramp=20)
    milestone = next(
        m for m in active_plan(rep).milestones if m.measure_kind == MeasureKind.CERTIFICATION
    )
    client = login(rep.coach)
    ramp = client.get(f"/reps/{rep.id}")
    assert "Record pass" not in ramp.text
    assert f"/certifications/reps/{rep.id}/prospecting" in ramp.text
    page = client.get(f"/milestones/{milestone.id}")
    assert "Record pass" not in page.text and "Record a pass" not in page.text
    assert f"/certifications/reps/{rep.id}/prospecting" in page.text
    assert client.post(f"/milestones/{milestone.id}/verify", data={}).status_code in (303, 409)
    db.session.refresh(milestone)
    assert milestone.status == MilestoneStatus.OPEN

    assess(rep.coach, rep, "prospecting")
    db.session.refresh(milestone)
    assert milestone.status == MilestoneStatus.DONE


# --- the overview pages --------------------------------------------------------------------


def test_team_matrix_rubrics_and_print(make_rep, make_user, login, assess):
    rep = make_rep(day_of_ramp=20, name="Matrix Rep")
    assess(rep.coach, rep)
    client = login(rep.coach)
    team = client.get("/certifications/team")
    assert team.status_code == 200
    assert "Matrix Rep" in team.text and "Pass rates per stage" in team.text
    row = re.search(rf'<tr data-rep="{rep.id}">.*?</tr>', team.text, re.S).group(0)
    assert "Passed" in row and "best 3" in row
    # Each cell links to that rep's certification on that stage, and the page answers.
    cells = dict(re.findall(r'<td data-stage="([\w-]+)">\s*<a href="([^"]+)"', row))
    assert cells["prospecting"] == f"/certifications/reps/{rep.id}/prospecting"
    for link in cells.values():
        assert client.get(link).status_code == 200, link
    assert client.get("/certifications/rubrics").status_code == 200
    printable = client.get("/certifications/rubrics/print")
    assert printable.text.count('class="rubric-page"') == 7
    assert "print-rubrics.css" in printable.text
    assert client.get("/certifications/rubrics/discovery").status_code == 200
    assert client.get("/certifications/rubrics/nope").status_code == 404
    assert client.get("/certifications/calibration/discovery").status_code == 200


def test_the_nav_leads_reps_and_coaches_to_their_certifications(make_rep, login):
    rep = make_rep()
    client = login(rep)
    assert client.get("/certifications/").headers["Location"].endswith("/certifications/mine")
    assert ">Certifications</a>" in client.get("/ramp").text
    client.post("/logout")
    client = login(rep.coach)
    assert client.get("/certifications/").headers["Location"].endswith("/certifications/team")


def test_an_invited_assessor_sees_the_waiting_list(make_rep, make_user, login, assess):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp", name="Invited Rep")
    second = make_user(Role.COACH)
    assess(rep.coach, rep, "negotiation", second=second)
    client = login(second)
    team = client.get("/certifications/team")
    assert "Waiting for your scores" in team.text and "Invited Rep" in team.text
    page = client.get(f"/certifications/reps/{rep.id}/negotiation/assess")
    assert page.status_code == 200
    assert rep.coach.full_name not in page.text.split("<form")[1]  # blind: no other scores
    pending = db.session.scalars(db.select(Assessment).where(Assessment.assessor_id == second.id))
    assert pending.one().submitted_at is None


def test_an_unknown_second_assessor_is_refused_next_to_the_field(
    make_rep, login, form_data, rubric
):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    data = form_data(rubric("negotiation"), second_assessor="99999")
    response = login(rep.coach).post(f"/certifications/reps/{rep.id}/negotiation/assess", data=data)
    assert response.status_code == 400
    assert "from the list" in field_error(response.text, "second_assessor")
    assert attempts() == []


def test_an_assessor_cannot_score_the_same_attempt_twice(make_rep, make_user, login, assess):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    assess(rep.coach, rep, "negotiation", second=make_user(Role.ADMIN))
    response = login(rep.coach).get(f"/certifications/reps/{rep.id}/negotiation/assess")
    assert response.status_code == 409
    assert "already assessed this attempt" in response.text
