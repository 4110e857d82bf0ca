"""The dashboard's ramp outcomes: the outcomes page's reps (same scope, same rules), summed up."""

from __future__ import annotations

from datetime import date

from app.accounts.models import User
from app.outcomes.cohorts import RepRamp
from app.outcomes.service.gathering import RepFilters
from app.outcomes.service.listing import outcome_rows
from app.outcomes.summary import RampSummary, ramp_summary


def outcomes_summary(actor: User, filters: RepFilters, today: date) -> RampSummary:
    """Shares ramped by day 30/60/90/180 and the median days to ramp of the reps the filters
    keep; only reps with a start date and targets for their role count (others cannot ramp)."""
    rows = outcome_rows(actor, filters, today)
    return ramp_summary(
        (
            RepRamp(row.rep_id, row.start, row.ramped_day)
            for row in rows
            if row.start is not None and row.attainments is not None
        ),
        today,
    )
