"""The demo shows ramp outcomes: firsts, reps who ramped, and a score for every rep."""

from __future__ import annotations

from datetime import date

from app.accounts.service import authenticate
from app.outcomes import service


def test_the_demos_reps_have_outcomes_and_a_score(demo_snapshot, app) -> None:
    admin = authenticate("admin@demo.salesramp", "demo")
    rows = service.outcome_rows(admin, service.RepFilters(), date.today())
    assert len(rows) >= 8
    assert all(row.score is not None for row in rows)
    assert any(row.first_meeting for row in rows)
    assert any(row.ramped_on for row in rows)
