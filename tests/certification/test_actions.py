"""A certification page offers "Self-assess" and "Assess" only when they are possible; otherwise
it says why and from when, with the reason the service would refuse with (no 409 page)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.accounts.models import Role
from app.certification import service
from app.certification.status import (
    AttemptFacts,
    assessment_availability,
    self_assessment_availability,
)

from .conftest import today

FAILED = AttemptFacts(
    decided=True, passed=False, assessed_on=date(2026, 3, 2), next_attempt_from=date(2026, 3, 16)
)


def test_the_cooldown_refuses_both_until_its_last_day_and_says_from_when():
    for day in (date(2026, 3, 2), date(2026, 3, 15)):
        rep_side = self_assessment_availability([FAILED], day, offered=True)
        coach_side = assessment_availability([FAILED], day)
        assert not rep_side.possible and not coach_side.possible
        assert rep_side.from_day == coach_side.from_day == date(2026, 3, 16)
        assert "possible from 16 Mar 2026" in rep_side.reason
    assert self_assessment_availability([FAILED], date(2026, 3, 16), offered=True).possible
    assert assessment_availability([FAILED], date(2026, 3, 16)).possible


def test_a_self_assessed_open_attempt_is_not_self_assessed_again():
    open_attempt = AttemptFacts(decided=False, passed=False, self_assessed=True)
    refused = self_assessment_availability([open_attempt], date(2026, 3, 2), offered=True)
    assert not refused.possible and "already self-assessed" in refused.reason
    assert not self_assessment_availability([], date(2026, 3, 2), offered=False).possible


def _buttons(html: str) -> str:
    return html.split('<div class="d-flex flex-wrap gap-2 d-print-none">', 1)[1].split("</div>", 1)[
        0
    ]


def test_the_coach_who_assessed_an_open_attempt_sees_who_is_awaited_not_assess(
    make_rep, make_user, login, assess
):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    second = make_user(Role.ADMIN, name="Second Opinion")
    assess(rep.coach, rep, "negotiation", second=second)
    page = login(rep.coach).get(f"/certifications/reps/{rep.id}/negotiation")
    assert page.status_code == 200
    assert "/assess" not in _buttons(page.text)
    assert "You have already assessed this attempt" in page.text
    assert "once Second Opinion has scored it" in page.text


def test_during_the_cooldown_neither_button_shows_and_the_page_says_when(
    make_rep, login, assess, client
):
    rep = make_rep(day_of_ramp=20)
    assess(rep.coach, rep, "prospecting", objection_handling=1)  # not passed: cooldown
    ends = service.certification_of(rep, rep, "prospecting", today()).reading.next_attempt_from
    assert ends is not None and ends > today()
    when = f"{ends.day} {ends:%b %Y}"

    mine = login(rep).get(f"/certifications/reps/{rep.id}/prospecting")
    assert "self-assessment" not in _buttons(mine.text)
    assert f"your next attempt is possible from {when}" in mine.text
    client.post("/logout")

    coach = login(rep.coach).get(f"/certifications/reps/{rep.id}/prospecting")
    assert "/assess" not in _buttons(coach.text)
    assert f"the next attempt is possible from {when}" in coach.text


def test_a_possible_action_shows_its_button(make_rep, login, client):
    rep = make_rep(day_of_ramp=20)
    mine = login(rep).get(f"/certifications/reps/{rep.id}/prospecting")
    assert "/certifications/mine/prospecting/self-assessment" in _buttons(mine.text)
    assert "action-refused" not in mine.text
    client.post("/logout")
    coach = login(rep.coach).get(f"/certifications/reps/{rep.id}/prospecting")
    assert f"/certifications/reps/{rep.id}/prospecting/assess" in _buttons(coach.text)


def test_a_criterion_answered_after_an_error_is_no_longer_shown_in_error(
    make_rep, login, rubric, app
):
    """The server marks the unanswered criterion; choosing a level then clears it in the page:
    the stylesheet's :has() rules without scripts, criterion-choice.js with them."""
    rep = make_rep(day_of_ramp=20)
    spec = rubric("prospecting")
    first, *rest = spec.criteria
    data = {f"score-{c.key}": "3" for c in rest}
    page = login(rep).post("/certifications/mine/prospecting/self-assessment", data=data)
    assert page.status_code == 400
    marked = page.text.split(f'id="criterion-{first.key}"', 1)[1].split("</fieldset>", 1)[0]
    assert "is-invalid" in marked and 'class="invalid-feedback d-block mb-2 field-error"' in marked
    assert "border-danger" in page.text.split(f'id="criterion-{first.key}"', 1)[0].rsplit("<", 1)[1]
    assert "js/criterion-choice.js" in page.text
    css = Path(app.static_folder or "static", "css", "app.css").read_text()
    for rule in (
        ".criterion.border-danger:has(.form-check-input:checked)",
        ".criterion:has(.form-check-input:checked) .field-error { display: none",
        ".criterion:has(.form-check-input:checked) .form-check-input.is-invalid ~ .form-check-",
    ):
        assert rule in css
