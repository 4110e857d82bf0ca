"""The outcomes page sorts, counts and charts narrow judged lines and builds rows for one page
only: what it shows must equal the same figures worked out from every rep's OutcomeRow."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from app.accounts.models import Role, User
from app.outcomes import service
from app.outcomes.cohorts import RepRamp, cohort_of, share_ramped_by
from app.outcomes.service.listing import OUTCOME_SORTS, SORT_KEYS
from app.pagination import PageRequest
from tests.outcomes.conftest import funnel_source, import_reps_days


def _curves(rows: list[service.OutcomeRow], today: date, by: str) -> list[tuple[object, ...]]:
    grouped: dict[str, list[RepRamp]] = {}
    ramps = [
        RepRamp(row.rep_id, row.start, row.ramped_day)
        for row in rows
        if row.start is not None and row.attainments is not None
    ]
    for ramp in sorted(ramps, key=lambda r: r.start):
        grouped.setdefault(cohort_of(ramp.start, by), []).append(ramp)
    return [
        (label, len(members), tuple(share_ramped_by(members, d, today) for d in (30, 60, 90, 180)))
        for label, members in grouped.items()
    ]


def _medians(rows: list[service.OutcomeRow]) -> list[tuple[object, ...]]:
    def line(label: str, kept: list[service.OutcomeRow]) -> tuple[object, ...]:
        medians = []
        for month in range(1, 7):
            shares = [
                r.attainments[month] for r in kept if r.attainments and month in r.attainments
            ]
            medians.append(statistics.median(shares) if shares else None)
        return (label, tuple(medians))

    measured = [row for row in rows if row.attainments is not None and row.cohort]
    cohorts = sorted({row.cohort for row in measured if row.cohort})
    return [
        line("Reps who have ramped", [row for row in measured if row.ramped_on]),
        *(line(c, [row for row in measured if row.cohort == c]) for c in cohorts),
    ]


@pytest.fixture
def world(make_rep: Callable[..., User], make_user: Callable[..., User]) -> User:
    """Reps of several start months, some ramped, some not, one with no figures."""
    reps = [make_rep(day_of_ramp=day) for day in (20, 45, 95, 95, 140, 200, 260)]
    source = funnel_source()
    import_reps_days(
        source,
        [
            (rep, [(day, {"meetings_booked": 6 * (i + 1), "opportunities": i, "deals_won": 1})])
            for i, rep in enumerate(reps[:-1])
            for day in (3, 33, 63, 93, 123, 153, 183, 213)
            if day <= (20, 45, 95, 95, 140, 200, 260)[i]
        ],
    )
    return make_user(Role.HR)


@pytest.mark.parametrize("by", ["month", "quarter"])
def test_the_page_equals_the_rows_worked_out_for_every_rep(world: User, by: str) -> None:
    today = date.today()
    judged_afresh = service.outcome_rows(world, service.RepFilters(), today)
    rows = [replace(row, score=None) for row in judged_afresh]
    cohorts = sorted({row.cohort for row in rows if row.cohort}, reverse=True)
    for sort in OUTCOME_SORTS:
        for descending in (False, True):
            for cohort in ("", *cohorts, *{cohort_of(r.start, "quarter") for r in rows if r.start}):
                request = PageRequest(sort=sort, descending=descending, number=2, per_page=3)
                filters = service.RepFilters(cohort=cohort)
                page = service.outcomes_page(world, filters, request, today, by)
                kept = [
                    r
                    for r in rows
                    if not cohort
                    or (r.start and cohort in (r.cohort, cohort_of(r.start, "quarter")))
                ]
                expected = sorted(kept, key=SORT_KEYS[sort], reverse=descending)
                first = 3 if len(kept) > 3 else 0  # past the last page: the last page
                assert page.page.items == expected[first : first + 3]
                assert page.total == len(kept)
                assert page.ramped == sum(1 for r in kept if r.ramped_on)
                assert page.cohorts == cohorts
                assert [(c.label, c.size, c.shares) for c in page.curves] == _curves(
                    rows, today, by
                )
                assert [(a.label, a.medians) for a in page.attainment] == _medians(rows)
    assert any(row.ramped_on for row in rows) and any(row.attainments for row in rows)
