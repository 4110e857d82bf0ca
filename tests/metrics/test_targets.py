"""Number milestones judged from activity, week by week, month by month or over the ramp."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.errors import NotAllowed
from app.extensions import db
from app.metrics import service
from app.metrics.models import ActivitySource, Origin
from app.metrics.parsing import raw_rows, read_csv
from app.metrics.service.sources import column_map
from app.metrics.targets import Figure, Spec, Verdict, judge, overall, periods_of
from app.plans.models import Plan
from tests.metrics.conftest import csv_of

START = date(2026, 9, 2)  # a Wednesday: ramp week 1 is Monday 31 August to Sunday 6 September


def test_ramp_weeks_run_monday_to_sunday_from_the_week_of_the_start() -> None:
    weeks = periods_of(Spec("dials", "week", (1, 6, 7)), START, START + timedelta(days=41))
    assert [(label, first, last) for label, first, last in weeks] == [
        ("Week 1", date(2026, 8, 31), date(2026, 9, 6)),
        ("Week 6", date(2026, 10, 5), date(2026, 10, 11)),
        ("Week 7", date(2026, 10, 12), date(2026, 10, 18)),
    ]
    months = periods_of(Spec("meetings_booked", "month", (3,)), START, START)
    assert months == [("Month 3", START + timedelta(days=60), START + timedelta(days=89))]
    whole = periods_of(Spec("deals_won", "ramp", ()), START, START + timedelta(days=89))
    assert whole == [("Whole ramp to the due date", START, START + timedelta(days=89))]


def test_each_week_against_the_target_and_the_milestone_when_every_week_is_met() -> None:
    spec = Spec("dials", "week", (6, 7))
    figures = [
        *(Figure(date(2026, 10, 5) + timedelta(days=d), Origin.CRM, 11) for d in range(5)),
        Figure(date(2026, 10, 12), Origin.CRM, 30),
        Figure(date(2026, 10, 13), Origin.SELF, 60),  # the rep's log, ignored: the CRM reported
    ]
    during_week_7 = judge(spec, 50, START, START, figures, date(2026, 10, 14))
    assert [(r.label, r.actual, r.origin, r.verdict) for r in during_week_7] == [
        ("Week 6", 55, Origin.CRM, Verdict.MET),
        ("Week 7", 30, Origin.CRM, Verdict.SO_FAR),
    ]
    assert overall(during_week_7) is Verdict.SO_FAR
    after = judge(spec, 50, START, START, figures, date(2026, 10, 19))
    assert [r.verdict for r in after] == [Verdict.MET, Verdict.NOT_MET]
    assert overall(after) is Verdict.NOT_MET
    before = judge(spec, 50, START, START, [], date(2026, 9, 1))
    assert overall(before) is Verdict.NOT_STARTED


def test_the_reps_own_log_counts_where_the_crm_reported_nothing() -> None:
    spec = Spec("dials", "week", (6,))
    figures = [Figure(date(2026, 10, 6), Origin.SELF, 52)]
    (week,) = judge(spec, 50, START, START, figures, date(2026, 11, 1))
    assert (week.actual, week.origin, week.verdict) == (52, Origin.SELF, Verdict.MET)
    (empty,) = judge(spec, 50, START, START, [], date(2026, 11, 1))
    assert (empty.actual, empty.origin, empty.verdict) == (None, None, Verdict.NOT_MET)


def test_a_reps_measured_milestones_from_imported_weeks(
    make_rep: Callable[..., User],
    new_source: Callable[..., ActivitySource],
    make_user: Callable[..., User],
) -> None:
    rep = make_rep(day_of_ramp=52)
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    monday = plan.start_date - timedelta(days=plan.start_date.weekday())
    week6, week7 = monday + timedelta(weeks=5), monday + timedelta(weeks=6)
    source = new_source()
    data = csv_of(
        (rep.email, week6, 30, 1),
        (rep.email, week6 + timedelta(days=2), 25, 2),
        (rep.email, week7, 40, 1),
    )
    rows = raw_rows(read_csv(data), column_map(source))
    service.import_rows(None, source, rows, date.today())
    measured = {m.title: m for m in service.measured_milestones(rep, rep, date.today())}
    assert set(measured) == {
        "Make 50 dials a week",
        "Book 5 qualified meetings for your account executives",
        "Book 10 meetings a month",
        "Source 6 sales-accepted opportunities",
    }
    dials = measured["Make 50 dials a week"]
    assert [(p.label, p.first, p.actual, p.verdict) for p in dials.periods] == [
        ("Week 6", week6, 55, Verdict.MET),
        ("Week 7", week7, 40, Verdict.NOT_MET),
    ]
    assert dials.verdict is Verdict.NOT_MET
    booked = measured["Book 5 qualified meetings for your account executives"]
    assert [(p.actual, p.verdict) for p in booked.periods] == [(4, Verdict.SO_FAR)]
    # The coach sees the same; another rep may not.
    assert service.measured_milestones(rep.coach, rep, date.today())[0].periods
    with pytest.raises(NotAllowed):
        service.measured_milestones(make_user(Role.REP), rep, date.today())
