"""The activity summaries stay in step with the figures: after any run of imports, corrected
files, the rep's own log and changed start dates, the weekly and ramp-month summaries equal a
recomputation from the figures, and the outcomes read the same months either way."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.metrics import service
from app.metrics.catalogue import FIRST_METRICS, METRICS, RAMP_MONTH_DAYS
from app.metrics.models import (
    FIGURE_COLUMNS,
    ActivityFigure,
    ActivityRampMonth,
    ActivityRampStart,
    ActivitySource,
    ActivityWeek,
)
from app.metrics.parsing import raw_rows, read_csv
from app.metrics.service.sources import column_map
from app.outcomes.service.gathering import RepFilters, gather, reps_query
from app.plans.models import Plan
from tests.conftest import create_rep
from tests.metrics.conftest import csv_of, make_source

TODAY = date.today()
REPS = 3

rows_of_a_file = st.dictionaries(
    st.tuples(st.integers(0, REPS - 1), st.integers(1, 100)),  # (rep, days ago)
    st.tuples(st.integers(0, 40), st.integers(0, 3)),  # (dials, meetings booked)
    min_size=1,
    max_size=12,
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("import"), st.integers(0, 1), rows_of_a_file),
        st.tuples(
            st.just("log"),
            st.integers(0, REPS - 1),
            st.tuples(st.integers(0, 14), st.integers(0, 30), st.integers(0, 2)),
        ),
        st.tuples(st.just("move start"), st.integers(0, REPS - 1), st.integers(-20, 20)),
    ),
    min_size=1,
    max_size=8,
)


def _import(source: ActivitySource, reps: list[User], rows: dict[Any, Any]) -> None:
    lines = [
        (reps[rep].email, TODAY - timedelta(days=back), dials, meetings)
        for (rep, back), (dials, meetings) in rows.items()
    ]
    parsed = raw_rows(read_csv(csv_of(*lines)), column_map(source))
    service.import_rows(None, source, parsed, TODAY)


def _apply(step: tuple[Any, ...], sources: list[ActivitySource], reps: list[User]) -> None:
    kind, which, what = step
    if kind == "import":
        _import(sources[which], reps, what)
    elif kind == "log":
        back, dials, held = what
        values = {"dials": dials, "meetings_held": held}
        service.log_day(reps[which], TODAY - timedelta(days=back), values, TODAY)
    else:  # a corrected start date: the summary's months no longer count from it
        plan = db.session.scalar(select(Plan).where(Plan.rep_id == reps[which].id))
        assert plan is not None
        plan.start_date += timedelta(days=what)
        db.session.flush()
    db.session.commit()


def _summed(rows: list[Any]) -> dict[str, Any]:
    sums: dict[str, Any] = {"figure_count": len(rows)}
    for column in FIGURE_COLUMNS:
        values = [getattr(row, column) for row in rows if getattr(row, column) is not None]
        sums[column] = sum(values) if values else None
    return sums


def _figures(rep_ids: list[int]) -> list[ActivityFigure]:
    return list(
        db.session.scalars(select(ActivityFigure).where(ActivityFigure.rep_id.in_(rep_ids)))
    )


def _expected_weeks(figures: list[ActivityFigure]) -> dict[Any, dict[str, Any]]:
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in figures:
        groups[(row.rep_id, row.origin, row.source_id, row.week_start)].append(row)
    return {key: _summed(rows) for key, rows in groups.items()}


def _stored_weeks(rep_ids: list[int]) -> dict[Any, dict[str, Any]]:
    found = db.session.scalars(select(ActivityWeek).where(ActivityWeek.rep_id.in_(rep_ids)))
    return {
        (w.rep_id, w.origin, w.source_id, w.week_start): {
            "figure_count": w.figure_count,
            **{column: getattr(w, column) for column in FIGURE_COLUMNS},
        }
        for w in found
    }


def _expected_months(figures: list[ActivityFigure], starts: dict[int, date | None]) -> dict:
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in figures:
        start = starts.get(row.rep_id)
        if start is not None and row.period_start >= start:
            month = (row.period_start - start).days // RAMP_MONTH_DAYS + 1
            groups[(row.rep_id, row.origin, row.source_id, month)].append(row)
    expected = {}
    for key, rows in groups.items():
        firsts = {
            f"first_{metric}": min(
                (r.period_start for r in rows if (getattr(r, metric) or 0) > 0), default=None
            )
            for metric in FIRST_METRICS
        }
        expected[key] = {**_summed(rows), **firsts}
    return expected


def _stored_months(rep_ids: list[int]) -> dict:
    found = db.session.scalars(
        select(ActivityRampMonth).where(ActivityRampMonth.rep_id.in_(rep_ids))
    )
    columns = ("figure_count", *FIGURE_COLUMNS, *(f"first_{m}" for m in FIRST_METRICS))
    return {
        (m.rep_id, m.origin, m.source_id, m.month): {c: getattr(m, c) for c in columns}
        for m in found
    }


def _current_starts(reps: list[User]) -> dict[int, date | None]:
    plans = db.session.execute(
        select(Plan.rep_id, Plan.start_date).where(
            Plan.rep_id.in_([r.id for r in reps]), Plan.archived_at.is_(None)
        )
    )
    return {rep: start for rep, start in plans}


def _outcome_months(figures: list[ActivityFigure], starts: dict[int, date | None]) -> dict:
    """What the outcomes should show from the figures: each month the CRM's sums when it
    reported any, else the rep's log; each first the earliest day of any origin."""
    by_origin: dict[Any, dict[str, int]] = defaultdict(dict)
    firsts: dict[int, dict[str, date]] = defaultdict(dict)
    for (rep, origin, _source, month), sums in _expected_months(figures, starts).items():
        totals = by_origin[(rep, month, origin)]
        for metric in METRICS:
            if sums[metric.column] is not None:
                totals[metric.key] = totals.get(metric.key, 0) + sums[metric.column]
        for key in FIRST_METRICS:
            day = sums[f"first_{key}"]
            if day is not None and (key not in firsts[rep] or day < firsts[rep][key]):
                firsts[rep][key] = day
    months: dict[int, dict[int, dict[str, int]]] = defaultdict(dict)
    for (rep, month, _origin), totals in sorted(by_origin.items(), key=lambda i: i[0][2] == "crm"):
        months[rep][month] = totals  # the CRM's, sorted last, wins
    return {"months": dict(months), "firsts": dict(firsts)}


def test_summaries_equal_a_recomputation_from_the_figures(app: Flask, curriculum: None) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=steps)
    def check(steps: list[Any]) -> None:
        _check_after(steps)

    check()


def _check_after(steps: list[Any]) -> None:
    reps = [create_rep(day_of_ramp=40 + 30 * n) for n in range(REPS)]
    sources = [make_source(f"CRM {n} {reps[0].id}") for n in range(2)]
    for step in steps:
        _apply(step, sources, reps)
    ids = [rep.id for rep in reps]
    figures = _figures(ids)
    assert _stored_weeks(ids) == _expected_weeks(figures)
    counted = select(ActivityRampStart.rep_id, ActivityRampStart.ramp_start)
    counted_from = {
        rep: start
        for rep, start in db.session.execute(counted.where(ActivityRampStart.rep_id.in_(ids)))
    }
    assert _stored_months(ids) == _expected_months(figures, counted_from)
    # The outcomes read the same months from the summary, or the figures for a moved start.
    starts = _current_starts(reps)
    query = reps_query(None, RepFilters()).where(User.id.in_(ids))
    found = gather(query, TODAY, [metric.key for metric in METRICS], plans=False)
    expected = _outcome_months(figures, starts)
    assert {r.rep_id: r.months for r in found if r.months} == expected["months"]
    assert {r.rep_id: r.firsts for r in found if r.firsts} == expected["firsts"]


def test_a_corrected_file_that_drops_a_rep_removes_their_week(app: Flask, curriculum: None) -> None:
    """A file covering a day replaces what the source said for it, for every rep: the rep it
    no longer names loses that week's sums too."""
    first, second = create_rep(day_of_ramp=30), create_rep(day_of_ramp=30)
    source = make_source()
    day = TODAY - timedelta(days=3)
    _import(source, [first, second], {(0, 3): (10, 1), (1, 3): (20, 2)})
    db.session.commit()
    _import(source, [first, second], {(0, 3): (12, 1)})
    db.session.commit()
    weeks = _stored_weeks([first.id, second.id])
    monday = day - timedelta(days=day.weekday())
    assert {key[0] for key in weeks} == {first.id}
    assert weeks[(first.id, "crm", source.id, monday)]["dials"] == 12


def test_the_outcomes_count_months_from_a_moved_start(app: Flask, curriculum: None) -> None:
    """A start date corrected after the figures arrived: the summary's months were counted from
    the old one, so the outcomes read that rep's figures (and agree with them)."""
    _check_after([("log", 0, (1, 5, 1)), ("import", 0, {(0, 20): (9, 1)}), ("move start", 0, 3)])
