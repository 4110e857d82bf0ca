"""A rep's ramp outcomes from their activity: days to the firsts, the day they ramped, and the
outcomes page's rows, for coaches (their reps), HR and admins (everyone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from app.accounts.models import Role, User
from app.errors import NotAllowed
from app.outcomes import service
from tests.outcomes.conftest import start_of


def _row(actor: User, rep: User) -> service.OutcomeRow:
    rows = service.outcome_rows(actor, service.RepFilters(), date.today())
    return next(row for row in rows if row.rep_id == rep.id)


def test_days_to_the_firsts_and_the_day_the_rep_ramped(
    make_rep: Callable[..., User], figures: Callable[..., None]
) -> None:
    rep = make_rep(day_of_ramp=100)  # SDR: 3, 6 then 10 meetings booked a month; ramped at 80%
    figures(
        rep,
        [
            (5, {"dials": 20, "conversations": 4}),
            (12, {"meetings_booked": 3, "meetings_held": 1}),  # month 1: 3 of 3
            (40, {"meetings_booked": 4, "opportunities": 1}),  # month 2: 4 of 6, 67%
            (70, {"meetings_booked": 8, "deals_won": 1}),  # month 3: 8 of 10, 80%
            (95, {"meetings_booked": 9}),  # month 4: 90%, but month 4 is under way
        ],
    )
    row = _row(rep.coach, rep)
    assert (row.first_meeting, row.first_opportunity, row.first_deal) == (12, 40, 70)
    assert row.ramped_on is None  # months 3 and 4 reach 80%, but month 4 has not ended
    assert row.attainments == {1: 1.0, 2: pytest.approx(4 / 6), 3: 0.8}


def test_two_months_running_at_the_share_ramps_the_rep_at_the_end_of_the_second(
    make_rep: Callable[..., User], figures: Callable[..., None]
) -> None:
    rep = make_rep(day_of_ramp=130)
    figures(rep, [(70, {"meetings_booked": 8}), (95, {"meetings_booked": 9})])
    row = _row(rep.coach, rep)
    assert row.ramped_day == 120
    assert row.ramped_on == start_of(rep) + timedelta(days=119)


def test_coaches_see_their_reps_hr_everyone_and_reps_not_at_all(
    make_rep: Callable[..., User], make_user: Callable[..., User]
) -> None:
    mine, theirs = make_rep(), make_rep()
    seen = {r.rep_id for r in service.outcome_rows(mine.coach, service.RepFilters(), date.today())}
    assert mine.id in seen and theirs.id not in seen
    everyone = service.outcome_rows(make_user(Role.HR), service.RepFilters(), date.today())
    assert {mine.id, theirs.id} <= {r.rep_id for r in everyone}
    with pytest.raises(NotAllowed):
        service.outcome_rows(mine, service.RepFilters(), date.today())


def test_filters_by_role_cohort_and_name(make_rep: Callable[..., User], make_user) -> None:
    sdr = make_rep(day_of_ramp=10, name="Sasha Early")
    ae = make_rep(day_of_ramp=10, plan="ae-ramp", name="Alex Later")
    hr = make_user(Role.HR)
    ids = lambda filters: {r.rep_id for r in service.outcome_rows(hr, filters, date.today())}  # noqa: E731
    assert sdr.id in ids(service.RepFilters(role="sdr")) and ae.id not in ids(
        service.RepFilters(role="SDR")
    )
    cohort = start_of(sdr).strftime("%Y-%m")
    assert sdr.id in ids(service.RepFilters(cohort=cohort))
    assert sdr.id not in ids(service.RepFilters(cohort="2001-01"))
    assert ids(service.RepFilters(search="sasha")) == {sdr.id}
