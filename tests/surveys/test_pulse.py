"""Pulse surveys: open at day 30, 60 and 90, answered once, stored without the person, and
results shown only for groups of at least five."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select

from app.accounts.models import Role
from app.config import PROJECT_ROOT
from app.errors import Invalid, NotAllowed, NotFound
from app.extensions import db
from app.notifications.models import Notification
from app.surveys import service
from app.surveys.models import PulseAnswer, PulseRequest, PulseResponse
from app.surveys.questions import PULSE_FILE, SurveyFileError, read_pulse_survey
from tests.surveys.conftest import ALL_FOUR, answer

TODAY = date.today()


@pytest.mark.parametrize(
    ("day", "due"),
    [(1, []), (29, []), (30, [30]), (59, [30]), (60, [60]), (90, [90]), (119, [90]), (120, [])],
)
def test_a_checkpoint_is_open_for_thirty_days_from_its_day(make_rep, day, due) -> None:
    rep = make_rep(day_of_ramp=day)
    assert service.due_pulses(rep, TODAY) == due


@given(st.integers(min_value=-50, max_value=400))
def test_at_most_one_checkpoint_is_open_on_any_day(day) -> None:
    open_now = service.open_checkpoints((30, 60, 90), day)
    assert len(open_now) <= 1
    assert all(c <= day < c + service.WINDOW_DAYS for c in open_now)


def test_answers_are_stored_once_and_without_the_person(make_rep) -> None:
    rep = make_rep(day_of_ramp=31)
    answer(rep, 30)
    assert service.due_pulses(rep, TODAY) == []
    with pytest.raises(NotFound):
        answer(rep, 30)
    assert db.session.scalar(select(func.count(PulseResponse.id))) == 1
    assert db.session.scalar(select(func.count(PulseAnswer.id))) == len(ALL_FOUR)
    response = db.session.scalar(select(PulseResponse))
    assert response.role == "SDR" and len(response.cohort) == 7
    # Nothing in a response or its answers points at a person.
    for model in (PulseResponse, PulseAnswer):
        targets = {fk.column.table.name for fk in inspect(model).local_table.foreign_keys}
        assert "users" not in targets


def test_a_repeated_form_answers_once(make_rep) -> None:
    rep = make_rep(day_of_ramp=30)
    service.answer_pulse(rep, 30, ALL_FOUR, TODAY, key="k1")
    service.answer_pulse(rep, 30, ALL_FOUR, TODAY, key="k1")
    assert db.session.scalar(select(func.count(PulseResponse.id))) == 1


def test_every_statement_needs_an_answer_on_the_scale(make_rep) -> None:
    rep = make_rep(day_of_ramp=30)
    with pytest.raises(Invalid) as caught:
        service.answer_pulse(rep, 30, ALL_FOUR | {"workload": 7}, TODAY)
    assert caught.value.field == "workload"
    with pytest.raises(NotFound):  # day 60 is not open on day 30
        service.answer_pulse(rep, 60, ALL_FOUR, TODAY)


def test_only_a_rep_with_a_plan_answers(make_user) -> None:
    with pytest.raises(NotFound):
        service.answer_pulse(make_user(Role.HR), 30, ALL_FOUR, TODAY)


def test_reps_are_asked_once_per_checkpoint(make_rep) -> None:
    due, not_yet = make_rep(day_of_ramp=61), make_rep(day_of_ramp=20)
    assert service.ask_due_pulses(TODAY) == 1
    assert service.ask_due_pulses(TODAY) == 0
    notices = db.session.scalars(select(Notification).where(Notification.kind == "pulse-survey"))
    assert [(n.recipient_id, n.link) for n in notices] == [(due.id, "/surveys/pulse/60")]
    assert db.session.scalar(select(PulseRequest.rep_id)) == due.id
    assert service.due_pulses(not_yet, TODAY) == []


def test_results_need_five_respondents(make_user, respondents) -> None:
    hr = make_user(Role.HR)
    respondents(4, coaching_useful=1)
    few = service.pulse_results(hr, service.ResultFilter())
    assert few.respondents == 4 and not few.shown and few.questions == ()
    respondents(1, coaching_useful=5)
    enough = service.pulse_results(hr, service.ResultFilter())
    assert enough.shown
    coaching_row = next(q for q in enough.questions if q.key == "coaching_useful")
    assert coaching_row.average == pytest.approx(1.8)
    assert coaching_row.counts == (4, 0, 0, 0, 1)


def test_a_small_team_says_fewer_than_five(make_user, make_team, respondents) -> None:
    hr = make_user(Role.HR)
    big, other, small = make_team("Team Big"), make_team("Team Other"), make_team("Team Small")
    respondents(5, team=big)
    respondents(5, team=other)
    assert service.pulse_results(hr, service.ResultFilter(team_id=big.id)).shown
    respondents(3, team=small, day=60)
    few = service.pulse_results(hr, service.ResultFilter(team_id=small.id))
    assert few.respondents == 3 and not few.shown and not few.withheld
    assert not service.pulse_results(hr, service.ResultFilter(checkpoint=60)).shown
    assert service.pulse_results(hr, service.ResultFilter()).shown
    # Now everyone less day 30 (or less one of the teams of five) would be the small team.
    assert service.pulse_results(hr, service.ResultFilter(role="SDR", checkpoint=30)).withheld
    teams_shown = [
        service.pulse_results(hr, service.ResultFilter(team_id=team.id)).shown
        for team in (big, other)
    ]
    assert teams_shown.count(True) <= 1


def test_everyone_less_a_team_never_gives_away_a_few_answers(
    make_user, make_team, respondents, login
) -> None:
    """Six answers in all and five in one team: the sixth person's would be the difference."""
    hr = make_user(Role.HR)
    big, other = make_team("Team Big"), make_team("Team Other")
    respondents(5, team=big, coaching_useful=4)
    respondents(1, team=other, coaching_useful=1)
    everyone = service.pulse_results(hr, service.ResultFilter())
    team = service.pulse_results(hr, service.ResultFilter(team_id=big.id))
    assert everyone.shown
    assert team.withheld and not team.shown and team.questions == ()
    page = login(hr).get(f"/surveys/results?team={big.id}")
    assert page.status_code == 200 and "differs from another group" in page.text
    assert "My coaching sessions make me better" not in page.text


@pytest.mark.parametrize("role", [Role.REP, Role.COACH])
def test_results_are_for_hr_and_admins(make_user, role) -> None:
    with pytest.raises(NotAllowed):
        service.pulse_results(make_user(role), service.ResultFilter())


def test_the_results_page_never_names_a_respondent(
    make_user, make_team, respondents, login
) -> None:
    small = make_team("Team Small")
    people = respondents(5) + respondents(2, team=small)
    client = login(make_user(Role.HR))
    page = client.get("/surveys/results")
    assert page.status_code == 200 and "7 respondents" in page.text
    assert all(person.full_name not in page.text for person in people)
    small_page = client.get(f"/surveys/results?team={small.id}")
    assert "Fewer than 5 answers" in small_page.text
    assert "My coaching sessions make me better" not in small_page.text


def test_a_rep_answers_through_the_form(make_rep, login) -> None:
    rep = make_rep(day_of_ramp=30)
    client = login(rep)
    assert "Answer the day 30 survey" in client.get("/surveys/mine").text
    refused = client.post("/surveys/pulse/30", data={"plan_clear": "4"})
    assert refused.status_code == 400
    assert "Choose one answer for this statement." in refused.text
    sent = client.post("/surveys/pulse/30", data={k: str(v) for k, v in ALL_FOUR.items()})
    assert sent.status_code == 303
    assert client.get("/surveys/pulse/30").status_code == 404  # answered: nothing left to answer
    assert client.get("/surveys/results").status_code == 403


def test_the_shipped_questions_load() -> None:
    survey = read_pulse_survey(PROJECT_ROOT / "curriculum")
    assert survey.checkpoints == (30, 60, 90)
    assert {q.about for q in survey.questions} == {"programme", "coaching"}


HEAD = "id: pulse\ntitle: T\nscale: [{value: 1, label: a}, {value: 2, label: b}]\n"
ONE_QUESTION = "questions: [{key: q, about: programme, text: Q}]\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + "checkpoints: [60, 30]\n" + ONE_QUESTION,
            "checkpoints[1]: checkpoints must be",
        ),
        (
            HEAD + "checkpoints: [30]\n"
            "questions: [{key: q, about: programme, text: Q},"
            " {key: q, about: coaching, text: R}]\n",
            "questions[1].key: duplicate question key 'q'",
        ),
        (
            HEAD + "checkpoints: [30]\nquestions: [{key: q, about: pay, text: Q}]\n",
            "questions[0].about",
        ),
    ],
)
def test_a_broken_survey_file_names_file_path_and_reason(tmp_path: Path, text, expected) -> None:
    (tmp_path / "surveys").mkdir()
    (tmp_path / PULSE_FILE).write_text(text)
    with pytest.raises(SurveyFileError) as caught:
        read_pulse_survey(tmp_path)
    assert PULSE_FILE in str(caught.value) and expected in str(caught.value)
