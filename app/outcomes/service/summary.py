"""The dashboard's ramp outcomes: the outcomes page's reps (same scope, same rules), summed up."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.accounts.models import User
from app.outcomes.cohorts import RepRamp, cohort_of
from app.outcomes.service.definition import current_definition, require_see_outcomes
from app.outcomes.service.gathering import RepFilters, kept_reps_query
from app.outcomes.service.judgements import judged_ramps
from app.outcomes.summary import RampSummary, ramp_summary


def outcomes_summary(actor: User, filters: RepFilters, today: date) -> RampSummary:
    """Shares ramped by day 30/60/90/180 and the median days to ramp of the reps the filters
    keep; only reps with a start date and targets for their role count (others cannot ramp)."""
    require_see_outcomes(actor)
    # Only when each rep ramped is needed: their judgements, without their attainments.
    definition = current_definition()
    if definition is None:  # no targets: nobody can ramp
        return ramp_summary([], today)
    # Without the reps' team (not judged on) nor their order (the summary is counts and a
    # median): one join and a sort fewer for PostgreSQL, whose planning is most of what the
    # statement costs for a coach's twenty reps.
    reps = kept_reps_query(actor, filters, with_team=False, ordered=False)
    ramps, _starts = judged_ramps(reps, today, definition)
    return summary_of_cohort(ramps, filters.cohort, today)


def summary_of_cohort(ramps: Iterable[RepRamp], cohort: str, today: date) -> RampSummary:
    """:func:`ramp_summary` of the reps who started in ``cohort`` ("2026-09", "2026-Q3";
    empty: all)."""
    if cohort:
        ramps = [
            r
            for r in ramps
            if cohort in (cohort_of(r.start, "month"), cohort_of(r.start, "quarter"))
        ]
    return ramp_summary(ramps, today)
