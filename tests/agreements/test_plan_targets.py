"""An onboarding agreement's targets come from the rep's own plan (SDR and AE plans differ);
a number HR sets apart from the plan shows both numbers and needs a reason, kept on the trail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.accounts.models import Team, User
from app.agreements import service
from app.agreements.audit import Evidence
from app.agreements.models import Agreement
from app.curriculum.checks.agreements import check_template
from app.curriculum.schema import AgreementTemplate as TemplateSpec
from app.errors import Invalid
from app.extensions import db

ONBOARDING = "onboarding-expectations"
Login = Callable[[User], FlaskClient]


@pytest.fixture
def cohort(make_rep: Callable[..., User], make_team: Callable[..., Team]) -> int:
    """A mixed team: an SDR (50 dials a week, 10 meetings a month) and an AE (neither)."""
    team = make_team("Team Mixed")
    make_rep(name="Sam Sdr", plan="sdr-ramp").team = team
    make_rep(name="Alex Ae", plan="ae-ramp").team = team
    db.session.commit()
    return team.id


def _body(previews: list[service.BulkPreview], name: str) -> str:
    return next(p.document["body_html"] for p in previews if p.rep.full_name == name)


def test_each_reps_targets_are_their_own_plans_in_a_mixed_cohort(
    cohort: int, hr: User, values: dict, evidence: Evidence
) -> None:
    raw = values[ONBOARDING]
    preview = service.preview_or_send(hr, ONBOARDING, cohort, None, raw, evidence)
    assert preview.previews is not None
    sdr, ae = _body(preview.previews, "Sam Sdr"), _body(preview.previews, "Alex Ae")
    assert "Dials: <strong>50 dials</strong> per week" in sdr
    assert "Meetings: <strong>10 meetings</strong> booked per month" in sdr
    # An AE's plan sets neither: no number is made up for them.
    assert "Dials: <strong>—</strong>" in ae and "Meetings: <strong>—</strong>" in ae
    assert not any(p.overrides for p in preview.previews)

    done = service.preview_or_send(hr, ONBOARDING, cohort, None, raw, evidence, preview.fingerprint)
    assert done.queued is not None
    db.session.commit()
    sent = {a.rep.full_name: a for a in service.sent_by(hr, done.queued)}
    assert sent["Sam Sdr"].values["weekly_dials"] == "50"
    assert "50 dials" in sent["Sam Sdr"].document["body_html"]  # type: ignore[index]


def test_a_target_set_apart_from_the_plan_shows_both_numbers_and_needs_a_reason(
    cohort: int, hr: User, values: dict, evidence: Evidence
) -> None:
    raw = values[ONBOARDING] | {"weekly_dials": "250"}
    preview = service.preview_or_send(hr, ONBOARDING, cohort, None, raw, evidence)
    assert preview.previews is not None
    overrides = {p.rep.full_name: p.overrides for p in preview.previews}
    assert [(o.plan, o.agreed) for o in overrides["Sam Sdr"]] == [("50 dials", "250 dials")]
    assert overrides["Alex Ae"] == ()  # nothing in the AE's plan to contradict
    with pytest.raises(Invalid, match="Say why") as refused:
        service.preview_or_send(hr, ONBOARDING, cohort, None, raw, evidence, preview.fingerprint)
    assert refused.value.field == service.OVERRIDE_REASON

    reason = "Team pilot of a higher call volume"
    again = service.preview_or_send(
        hr, ONBOARDING, cohort, None, raw, evidence, override_reason=reason
    )
    done = service.preview_or_send(
        hr, ONBOARDING, cohort, None, raw, evidence, again.fingerprint, override_reason=reason
    )
    assert done.queued is not None
    db.session.commit()
    sent = {a.rep.full_name: a for a in service.sent_by(hr, done.queued)}
    drafted = sent["Sam Sdr"].events[0]
    assert drafted.action == "drafted"
    assert "250 dials in the agreement, 50 dials in the plan" in drafted.detail
    assert reason in drafted.detail
    assert sent["Alex Ae"].events[0].detail == ""


def test_drafting_for_one_rep_starts_from_their_plan_and_refuses_an_unexplained_change(
    make_rep: Callable[..., User], hr: User, values: dict, evidence: Evidence
) -> None:
    rep = make_rep(name="Sam Sdr")
    initial = service.initial_values(ONBOARDING, rep)
    assert (initial["weekly_dials"], initial["monthly_meetings"]) == ("50", "10")
    raw = values[ONBOARDING] | {"monthly_meetings": "6"}
    with pytest.raises(Invalid, match="6 meetings in the agreement, 10 meetings in the plan"):
        service.create_draft(hr, rep, ONBOARDING, raw, evidence)
    agreement = service.create_draft(
        hr, rep, ONBOARDING, raw, evidence, override_reason="Part time"
    )
    assert [d.text for d in service.plan_differences(agreement)] == [
        "Meetings booked per month: 6 meetings in the agreement, 10 meetings in the plan"
    ]
    assert "Reason: Part time" in agreement.events[0].detail


def test_the_draft_form_asks_why_and_the_draft_page_shows_both_numbers(
    client: FlaskClient,
    login: Login,
    make_rep: Callable[..., User],
    hr: User,
    values: dict,
) -> None:
    rep = make_rep(name="Sam Sdr")
    login(hr)
    url = f"/agreements/new?rep_id={rep.id}&template={ONBOARDING}"
    form = {f"v_{name}": value or "" for name, value in values[ONBOARDING].items()}
    shown = client.get(url).get_data(as_text=True)
    assert 'id="v_weekly_dials"' in shown and 'value="50"' in shown
    refused = client.post(url, data=form | {"v_weekly_dials": "250"}).get_data(as_text=True)
    assert "Say why the agreement differs from the plan" in refused
    assert db.session.query(Agreement).count() == 0
    saved = client.post(url, data=form | {"v_weekly_dials": "250", "override_reason": "Pilot"})
    assert saved.status_code == 302
    page = client.get(saved.location).get_data(as_text=True)
    assert "<strong>250 dials</strong> in the agreement, 50 dials in the plan" in page


def test_a_target_from_the_plan_is_an_optional_number() -> None:
    spec = TemplateSpec.model_validate(
        {
            "id": "t",
            "kind": "expectation",
            "title": "T",
            "description": "D",
            "countersign": ["hr"],
            "variables": [
                {
                    "name": "dials",
                    "label": "Dials",
                    "type": "text",
                    "plan_milestone": "weekly-dials",
                }
            ],
            "body": "{{ dials }}",
        }
    )
    assert [loc for loc, _ in check_template(spec)] == [("variables", 0, "plan_milestone")]
