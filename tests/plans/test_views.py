"""The ramp, team and milestone pages, and the milestone actions, over HTTP."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.plans import service
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan

HOST = "http://localhost"


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<div id="{field_id}-error"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


def phase_percent(html: str, phase: int) -> str:
    match = re.search(rf'<span class="phase-percent" data-phase="{phase}">(\d+)%</span>', html)
    assert match, f"no progress shown for phase {phase}"
    return match.group(1)


def pick(rep, kind: MeasureKind, verify: bool = False) -> Milestone:
    plan = service.active_plan(rep)
    return next(
        m for m in plan.milestones if m.measure_kind == kind and m.requires_verification == verify
    )


def reload(milestone: Milestone) -> Milestone:
    db.session.expire_all()
    return db.session.get(Milestone, milestone.id)


def submit(rep, milestone: Milestone) -> None:
    service.record_progress(rep, milestone)
    db.session.commit()


# --- the rep --------------------------------------------------------------------------------


def test_rep_marks_a_milestone_done_and_the_ramp_shows_the_progress(make_rep, login):
    rep = make_rep(day_of_ramp=8)
    milestone = pick(rep, MeasureKind.CHECKBOX)
    phase_total = len([m for m in service.active_plan(rep).milestones if m.phase == 1])
    client = login(rep)

    before = client.get("/ramp").text
    assert phase_percent(before, 1) == "0"

    response = client.post(f"/milestones/{milestone.id}/progress", data={"note": "Set up."})
    assert response.status_code == 302
    assert response.location == f"/ramp#milestone-{milestone.id}"

    after = client.get("/ramp")
    assert f"Done: {milestone.title}. Well done." in after.text
    assert phase_percent(after.text, 1) == str(round(100 / phase_total))
    assert f"1 of {phase_total} done" in after.text
    state = re.search(rf'id="milestone-{milestone.id}"[^>]*data-state="([^"]+)"', after.text)
    assert state and state.group(1) == "done"
    assert reload(milestone).status == MilestoneStatus.DONE


def test_rep_records_a_number_below_target(make_rep, login):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.NUMBER)
    client = login(rep)
    below = int(milestone.target) - 1
    response = client.post(f"/milestones/{milestone.id}/progress", data={"value": str(below)})
    assert response.status_code == 302
    assert "Progress recorded. Keep going." in client.get("/ramp").text
    saved = reload(milestone)
    assert (saved.status, saved.value) == (MilestoneStatus.OPEN, below)


def test_submitting_for_verification_says_so(make_rep, login):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX, verify=True)
    client = login(rep)
    client.post(f"/milestones/{milestone.id}/progress", data={})
    page = client.get("/ramp").text
    assert f"Sent to your coach to verify: {milestone.title}." in page
    assert reload(milestone).status == MilestoneStatus.SUBMITTED


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "Not a valid decimal value."),
        ("-5", "The number cannot be negative."),
        ("", "Enter the number you reached."),
        ("Infinity", "Enter a number you actually reached."),
    ],
)
def test_a_bad_number_re_renders_the_form_with_the_error_next_to_it(
    make_rep, login, value, message
):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.NUMBER)
    client = login(rep)
    response = client.post(
        f"/milestones/{milestone.id}/progress", data={"value": value, "note": "my note"}
    )
    assert response.status_code == 400
    assert message in field_error(response.text, "value")
    assert "my note" in response.text  # what was typed is kept
    saved = reload(milestone)
    assert (saved.status, saved.value, saved.events) == (MilestoneStatus.OPEN, None, [])


@pytest.mark.parametrize("link", ["ftp://files.example.com/report", "not a link"])
def test_a_bad_evidence_link_is_shown_next_to_its_field(make_rep, login, link):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX)
    client = login(rep)
    response = client.post(f"/milestones/{milestone.id}/progress", data={"evidence_url": link})
    assert response.status_code == 400
    assert "https://" in field_error(response.text, "evidence_url")
    assert reload(milestone).status == MilestoneStatus.OPEN


def test_the_milestone_page_shows_its_history(make_rep, login):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX)
    client = login(rep)
    client.post(f"/milestones/{milestone.id}/progress", data={"note": "Sequence sent."})
    page = client.get(f"/milestones/{milestone.id}")
    assert page.status_code == 200
    assert "<strong>Completed</strong> by " + rep.full_name in page.text
    assert "Sequence sent." in page.text


def test_a_rep_cannot_touch_another_reps_milestone(make_rep, login):
    rep, other = make_rep(), make_rep()
    milestone = pick(other, MeasureKind.CHECKBOX)
    client = login(rep)
    assert client.get(f"/milestones/{milestone.id}").status_code == 403
    assert client.post(f"/milestones/{milestone.id}/progress", data={}).status_code == 403
    assert client.get(f"/reps/{other.id}").status_code == 403
    assert reload(milestone).status == MilestoneStatus.OPEN


def test_a_rep_cannot_verify_their_own_milestone_over_http(make_rep, login):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX, verify=True)
    submit(rep, milestone)
    client = login(rep)
    assert client.post(f"/milestones/{milestone.id}/verify", data={}).status_code == 403
    assert reload(milestone).status == MilestoneStatus.SUBMITTED


def test_a_certification_cannot_be_ticked_off_by_the_rep(make_rep, login):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CERTIFICATION, verify=True)
    client = login(rep)
    response = client.post(f"/milestones/{milestone.id}/progress", data={})
    assert response.status_code == 409
    assert "completed when you pass the certification" in response.text
    assert reload(milestone).status == MilestoneStatus.OPEN


# --- the coach ------------------------------------------------------------------------------


def test_coach_verifies_over_http(make_rep, login):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX, verify=True)
    submit(rep, milestone)
    client = login(rep.coach)

    page = client.get(f"/reps/{rep.id}")
    assert page.status_code == 200
    assert f'action="/milestones/{milestone.id}/verify"' in page.text

    response = client.post(
        f"/milestones/{milestone.id}/verify", data={"verify-comment": "Good work."}
    )
    assert response.status_code == 302
    assert response.location == f"/reps/{rep.id}#milestone-{milestone.id}"
    assert f"Verified: {milestone.title}." in client.get(response.location).text
    saved = reload(milestone)
    assert saved.status == MilestoneStatus.DONE
    assert saved.verified_by_id == rep.coach.id


def test_coach_sends_back_over_http_and_the_rep_sees_why(make_rep, login, client):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX, verify=True)
    submit(rep, milestone)
    login(rep.coach)

    response = client.post(
        f"/milestones/{milestone.id}/send-back", data={"send-back-comment": "Add the buyer titles."}
    )
    assert response.status_code == 302
    assert reload(milestone).status == MilestoneStatus.OPEN
    client.post("/logout")

    login(rep)
    page = client.get("/ramp").text
    assert "Add the buyer titles." in page


@pytest.mark.parametrize("comment", ["", "   "])
def test_sending_back_without_a_comment_shows_the_error_next_to_the_field(make_rep, login, comment):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX, verify=True)
    submit(rep, milestone)
    client = login(rep.coach)
    response = client.post(
        f"/milestones/{milestone.id}/send-back", data={"send-back-comment": comment}
    )
    assert response.status_code == 400
    assert field_error(response.text, "send-back-comment") == "Tell the rep what is still missing."
    assert reload(milestone).status == MilestoneStatus.SUBMITTED


def test_verifying_twice_shows_a_message_instead_of_failing(make_rep, login):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX, verify=True)
    submit(rep, milestone)
    client = login(rep.coach)
    assert client.post(f"/milestones/{milestone.id}/verify", data={}).status_code == 302

    # Pressed again from a page that is out of date: back to that page with the reason.
    referrer = f"{HOST}/reps/{rep.id}"
    response = client.post(
        f"/milestones/{milestone.id}/verify", data={}, headers={"Referer": referrer}
    )
    assert response.status_code == 303
    assert response.location == referrer
    assert "This milestone is already done." in client.get(response.location).text

    # Without a page to go back to: a 409 page saying why.
    response = client.post(f"/milestones/{milestone.id}/verify", data={})
    assert response.status_code == 409
    assert "This milestone is already done." in response.text
    assert len(reload(milestone).events) == 2


def test_someone_elses_coach_is_refused_over_http(make_rep, login):
    rep = make_rep()
    milestone = pick(rep, MeasureKind.CHECKBOX, verify=True)
    submit(rep, milestone)
    client = login(make_rep().coach)
    assert client.post(f"/milestones/{milestone.id}/verify", data={}).status_code == 403
    assert (
        client.post(
            f"/milestones/{milestone.id}/send-back", data={"send-back-comment": "x"}
        ).status_code
        == 403
    )
    assert client.get(f"/reps/{rep.id}").status_code == 403
    assert reload(milestone).status == MilestoneStatus.SUBMITTED


def test_the_team_page_lists_the_coachs_reps_with_their_status(make_rep, make_user, login):
    coach = make_user(Role.COACH)
    fresh = make_rep(day_of_ramp=2, coach=coach, name="Ava Fresh")
    late = make_rep(day_of_ramp=40, coach=coach, name="Ben Late")
    stranger = make_rep(day_of_ramp=5, name="Zoe Stranger")
    client = login(coach)

    page = client.get("/team").text
    assert f'data-rep="{fresh.email}"' in page
    assert f'data-rep="{late.email}"' in page
    assert stranger.email not in page
    assert f'href="/reps/{late.id}"' in page

    filtered = client.get("/team", query_string={"status": "at risk"}).text
    assert f'data-rep="{late.email}"' in filtered
    assert f'data-rep="{fresh.email}"' not in filtered

    searched = client.get("/team", query_string={"q": "ava"}).text
    assert f'data-rep="{fresh.email}"' in searched
    assert f'data-rep="{late.email}"' not in searched


# --- unknown records ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/milestones/99999"),
        ("post", "/milestones/99999/progress"),
        ("post", "/milestones/99999/verify"),
        ("post", "/milestones/99999/send-back"),
        ("get", "/reps/99999"),
        ("get", "/reps/99999/assign"),
        ("post", "/reps/99999/assign"),
    ],
)
def test_unknown_ids_are_not_found(make_user, login, method, path):
    client = login(make_user(Role.ADMIN))
    response = getattr(client, method)(path, data={})
    assert response.status_code == 404
    assert "Page not found" in response.text


# --- assigning a plan -----------------------------------------------------------------------


def test_coach_assigns_a_plan_over_http(make_user, login, curriculum):
    coach = make_user(Role.COACH)
    rep = make_user(Role.REP, coach=coach, start_date=date(2025, 3, 3))
    client = login(coach)

    form = client.get(f"/reps/{rep.id}/assign")
    assert form.status_code == 200
    assert 'value="2025-03-03"' in form.text  # the rep's start date is the default
    assert 'value="sdr-ramp"' in form.text

    response = client.post(
        f"/reps/{rep.id}/assign", data={"template_key": "sdr-ramp", "start_date": "2025-03-10"}
    )
    assert response.status_code == 302
    assert response.location == f"/reps/{rep.id}"
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    assert plan is not None
    assert plan.start_date == date(2025, 3, 10)
    assert plan.template.template_key == "sdr-ramp"
    assert "now has the plan" in client.get(response.location).text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"template_key": "sdr-ramp", "start_date": ""}, "start_date"),
        ({"template_key": "sdr-ramp", "start_date": "10/03/2025"}, "start_date"),
        ({"template_key": "no-such-plan", "start_date": "2025-03-10"}, "template_key"),
        ({"start_date": "2025-03-10"}, "template_key"),
    ],
)
def test_assign_form_errors_are_shown_next_to_the_field(make_user, login, curriculum, data, field):
    coach = make_user(Role.COACH)
    rep = make_user(Role.REP, coach=coach)
    client = login(coach)
    response = client.post(f"/reps/{rep.id}/assign", data=data)
    assert response.status_code == 200
    assert field_error(response.text, field)
    assert db.session.scalar(select(Plan).where(Plan.rep_id == rep.id)) is None


def test_assigning_a_plan_to_someone_who_is_not_a_rep_says_why(make_user, login, curriculum):
    coach = make_user(Role.COACH)
    client = login(make_user(Role.ADMIN))
    response = client.post(
        f"/reps/{coach.id}/assign", data={"template_key": "sdr-ramp", "start_date": "2025-03-10"}
    )
    assert response.status_code == 200
    assert "Plans are for people with the Rep role." in response.text
    assert db.session.scalar(select(Plan).where(Plan.rep_id == coach.id)) is None


def test_only_the_reps_coach_may_assign(make_user, login, curriculum):
    rep = make_user(Role.REP, coach=make_user(Role.COACH))
    client = login(make_user(Role.COACH))
    assert client.get(f"/reps/{rep.id}/assign").status_code == 403
    response = client.post(
        f"/reps/{rep.id}/assign", data={"template_key": "sdr-ramp", "start_date": "2025-03-10"}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(Plan).where(Plan.rep_id == rep.id)) is None
