"""The demo shows ramp outcomes: firsts, reps who ramped, and a score for every rep."""

from __future__ import annotations

from datetime import date

from app.accounts.service import authenticate
from app.outcomes import service


def test_the_demos_reps_have_outcomes_and_a_score(demo_snapshot, app) -> None:
    admin = authenticate("admin@demo.salesramp", "demo")
    rows = service.outcome_rows(admin, service.RepFilters(), date.today())
    assert len(rows) >= 8
    assert all(row.score_tenths is not None for row in rows)
    assert any(row.first_meeting for row in rows)
    assert any(row.ramped_on for row in rows)


def test_the_demo_lists_the_plan_parts_and_says_when_there_are_not_enough_reps(
    demo_snapshot, app
) -> None:
    """Ten reps, one of them ramped: every part of the plan is listed with its two groups'
    sizes, and none has enough ramped reps (5 a group) for a median."""
    from app.outcomes.service.drivers import plan_drivers

    admin = authenticate("admin@demo.salesramp", "demo")
    found = plan_drivers(admin, service.RepFilters(), date.today())
    kinds = {c.kind for c in found.comparisons}
    assert kinds == {"milestone", "certification"}
    assert found.minimum == 5 and found.ramped >= 1
    assert all(not c.enough and c.on_time.median_days is None for c in found.comparisons)
