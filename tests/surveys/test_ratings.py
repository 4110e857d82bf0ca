"""Debrief ratings: by the rep, once, after recording; a coach's trend and the admins' view
show averages only from five ratings on, and never who gave which."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from app.accounts.models import Role
from app.coaching import service as coaching
from app.coaching.models import DebriefKind
from app.errors import Conflict, Invalid, NotAllowed
from app.extensions import db
from app.surveys import service
from app.surveys.models import DebriefRating
from app.surveys.service.ratings import by_month, overall_average

TODAY = date.today()
# The 2nd of next month: this month is over everywhere, so it is shown.
NEXT_MONTH = (TODAY.replace(day=1) + timedelta(days=32)).replace(day=2)


@pytest.fixture
def coach(make_user):
    return make_user(Role.COACH, name="Casey Coach")


@pytest.fixture
def debrief(make_rep, coach):
    rep = make_rep(day_of_ramp=20, coach=coach, name="Riley Rater")
    setup = coaching.DebriefSetup(TODAY, DebriefKind.ROLE_PLAY, "discovery")
    found = coaching.create_debrief(coach, rep, setup, TODAY)
    db.session.commit()
    return found


def _record(coach, debrief) -> None:
    entry = coaching.CommitmentEntry("Ask", "Count", date.fromordinal(TODAY.toordinal() + 7))
    coaching.record_debrief(coach, debrief, coaching.DebriefRecord(commitments=[entry]), TODAY)
    db.session.commit()


def test_the_rep_rates_a_recorded_debrief_once(coach, debrief) -> None:
    with pytest.raises(Conflict, match="once your coach has recorded"):
        service.rate_debrief(debrief.rep, debrief, 4, "", TODAY)
    _record(coach, debrief)
    with pytest.raises(NotAllowed):
        service.rate_debrief(coach, debrief, 5, "", TODAY)
    with pytest.raises(Invalid) as caught:
        service.rate_debrief(debrief.rep, debrief, 6, "", TODAY)
    assert caught.value.field == "rating"
    rating = service.rate_debrief(debrief.rep, debrief, 4, "  Useful role-play ", TODAY)
    assert (rating.rating, rating.comment, rating.coach_id) == (4, "Useful role-play", coach.id)
    with pytest.raises(Conflict, match="final"):
        service.rate_debrief(debrief.rep, debrief, 1, "", TODAY)
    assert db.session.scalar(select(func.count(DebriefRating.id))) == 1


def test_a_repeated_form_rates_once(coach, debrief) -> None:
    _record(coach, debrief)
    first = service.rate_debrief(debrief.rep, debrief, 3, "", TODAY, key="k")
    again = service.rate_debrief(debrief.rep, debrief, 3, "", TODAY, key="k")
    assert first.id == again.id


def test_under_five_ratings_show_no_average_and_no_comments(coach, rated_debriefs) -> None:
    rated_debriefs(coach, 4, rating=2, comment="Too short")
    trend = service.coach_trend(coach, coach, NEXT_MONTH)
    assert trend.count == 4 and trend.average is None
    assert [(m.count, m.average, m.comments) for m in trend.months] == [(4, None, ())]
    rated_debriefs(coach, 1, rating=5, comment="Great")
    trend = service.coach_trend(coach, coach, NEXT_MONTH)
    assert trend.average == pytest.approx(2.6)
    assert trend.months[-1].comments == tuple(sorted(trend.months[-1].comments))
    assert len(trend.months[-1].comments) == 5


def test_an_open_month_shows_only_its_count(coach, rated_debriefs) -> None:
    """One more rating in an open month would change its average by exactly that rating."""
    rated_debriefs(coach, 5, rating=4, comment="Useful")
    for today in (TODAY, (TODAY.replace(day=1) + timedelta(days=32)).replace(day=1)):
        trend = service.coach_trend(coach, coach, today)
        assert [(m.count, m.average, m.comments, m.still_open) for m in trend.months] == [
            (5, None, (), True)
        ]
        assert trend.average is None
    assert service.coach_trend(coach, coach, NEXT_MONTH).average == 4.0


def test_a_coach_sees_only_their_own_trend(make_user, make_rep, coach) -> None:
    other = make_user(Role.COACH)
    for actor in (other, make_rep(coach=coach)):
        with pytest.raises(NotAllowed):
            service.coach_trend(actor, coach)
    for overseer in (make_user(Role.HR), make_user(Role.ADMIN)):
        assert service.coach_trend(overseer, coach).coach == coach


def test_admins_see_every_coach_with_the_same_minimum(make_user, coach, rated_debriefs) -> None:
    busy = make_user(Role.COACH, name="Busy Coach")
    rated_debriefs(coach, 2)
    rated_debriefs(busy, 5, rating=3)
    summary = {
        s.name: (s.count, s.average)
        for s in service.ratings_by_coach(make_user(Role.ADMIN), NEXT_MONTH)
    }
    assert summary == {"Casey Coach": (2, None), "Busy Coach": (5, 3.0)}
    with pytest.raises(NotAllowed):
        service.ratings_by_coach(coach)


def _rated_in_a_month_over() -> None:
    """Every rating dated in a month that is over everywhere, so that its page shows it: the
    month before last (on the 1st of a month, last month is not yet over west of UTC)."""
    last_month = TODAY.replace(day=1) - timedelta(days=1)
    before_last = (last_month.replace(day=1) - timedelta(days=1)).replace(day=15)
    db.session.execute(update(DebriefRating).values(rated_on=before_last))
    db.session.commit()


def test_the_coach_page_says_an_open_month_is_shown_when_over(coach, rated_debriefs, login) -> None:
    rated_debriefs(coach, 5, rating=4, comment="Helpful")
    page = login(coach).get(f"/surveys/ratings/coaches/{coach.id}")
    assert "Shown when the month is over" in page.text and "Helpful 0" not in page.text


def test_the_coach_page_never_says_which_rep_rated(coach, rated_debriefs, login) -> None:
    debriefs = rated_debriefs(coach, 3, rating=1, comment="Secret remark")
    _rated_in_a_month_over()
    page = login(coach).get(f"/surveys/ratings/coaches/{coach.id}")
    assert page.status_code == 200
    assert "Fewer than 5 ratings" in page.text
    assert "Secret remark" not in page.text
    assert all(d.rep.full_name not in page.text for d in debriefs)
    # The coach cannot open a rep's rating page either.
    assert login(coach).get(f"/surveys/debriefs/{debriefs[0].id}/rating").status_code == 403


def test_five_ratings_draw_the_chart_and_table(coach, rated_debriefs, login, make_user) -> None:
    rated_debriefs(coach, 5, rating=4, comment="Helpful")
    _rated_in_a_month_over()
    page = login(make_user(Role.ADMIN)).get(f"/surveys/ratings/coaches/{coach.id}")
    assert "<svg" in page.text and "<title" in page.text and "<desc" in page.text
    assert "Helpful 0" in page.text and "4.0" in page.text


def test_the_rep_rates_through_the_form(coach, debrief, login) -> None:
    _record(coach, debrief)
    client = login(debrief.rep)
    assert "Rate how useful this debrief was" in client.get(f"/coaching/debriefs/{debrief.id}").text
    url = f"/surveys/debriefs/{debrief.id}/rating"
    refused = client.post(url, data={"comment": "no rating"})
    assert refused.status_code == 400 and "Choose a rating from 1 to 5." in refused.text
    assert client.post(url, data={"rating": "5", "comment": "Great"}).status_code == 303
    assert "You rated it" in client.get(url).text
    assert client.post(url, data={"rating": "1"}).status_code == 409


def test_a_small_month_cannot_be_worked_out_from_the_overall_average() -> None:
    """Five 4s in March and one 1 in April: an overall 3.5 would give the April rating away."""
    rows = [(date(2026, 3, d), 4, "") for d in range(1, 6)] + [(date(2026, 4, 2), 1, "")]
    months = by_month(rows)
    assert [(m.count, m.average) for m in months] == [(5, 4.0), (1, None)]
    assert overall_average(months) == 4.0


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 6, 30)),
            st.integers(min_value=1, max_value=5),
            st.sampled_from(["", "ok", "meh"]),
        ),
        max_size=40,
    )
)
def test_only_months_of_five_or_more_show_anything(rows) -> None:
    months = by_month(rows)
    assert sum(m.count for m in months) == len(rows)
    for month in months:
        assert (month.average is None) == (month.count < 5)
        assert month.comments == () or month.count >= 5
    shown_ratings = [
        rating
        for day, rating, _ in rows
        if sum(1 for other, _, _ in rows if other.replace(day=1) == day.replace(day=1)) >= 5
    ]
    overall = overall_average(months)
    if not shown_ratings:
        assert overall is None
    else:  # rounded per month, then over the months: within a cent of the exact average
        assert overall == pytest.approx(sum(shown_ratings) / len(shown_ratings), abs=0.011)
