"""One rep's outcomes and readiness score from their aggregates and the current definition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.curriculum.schema_numbers import RoleTargets
from app.metrics.catalogue import BY_KEY, Metric, Unit
from app.outcomes.cohorts import cohort_of
from app.outcomes.ramp import (
    attainment,
    days_to,
    month_last_day,
    months_ended,
    ramp_day,
    ramped_month,
)
from app.outcomes.readiness import Part, Score, readiness
from app.outcomes.service.definition import Definition
from app.outcomes.service.gathering import RepFigures


@dataclass(frozen=True)
class OutcomeRow:
    """One rep's line on the outcomes page (and in exports)."""

    rep_id: int
    full_name: str
    team: str | None
    role: str | None
    start: date | None
    cohort: str | None
    day: int | None  # today's ramp day
    first_meeting: int | None  # ramp day of each first
    first_opportunity: int | None
    first_deal: int | None
    ramped_on: date | None
    ramped_day: int | None
    # ramp month -> share of the target reached, for the months ended (None: no targets)
    attainments: dict[int, float] | None
    score_tenths: int | None  # the readiness score x 10 (None: no plan, or no definition)
    # The score with its working: only where one rep is shown (their numbers page).
    score: Score | None = None

    @property
    def score_points(self) -> float | None:
        return None if self.score_tenths is None else self.score_tenths / 10


def figure_of(metric: Metric, figures: dict[str, int]) -> float | None:
    """A month's figure of ``metric`` in the target's units (revenue in whole units)."""
    value = figures.get(metric.key)
    if value is None:
        return None
    return value / 100 if metric.unit is Unit.MONEY else float(value)


def monthly_actuals(rep: RepFigures, targets: RoleTargets) -> dict[int, float]:
    metric = BY_KEY[targets.metric]
    found = {}
    for month, figures in rep.months.items():
        value = figure_of(metric, figures)
        if value is not None:
            found[month] = value
    return found


def outcome_of(
    rep: RepFigures, definition: Definition | None, today: date, scored: bool = True
) -> OutcomeRow:
    """Days to the firsts, the day the rep ramped, attainment by month and the score."""
    start = rep.start
    firsts = [days_to(start, rep.firsts.get(key)) if start else None for key in _FIRST_KEYS]
    targets = definition.spec.targets_for(rep.role) if definition else None
    ramped: int | None = None
    attainments: dict[int, float] | None = None
    if start is not None and definition is not None and targets is not None:
        actuals = monthly_actuals(rep, targets)
        ended = months_ended(start, today)
        ramped = ramped_month(actuals, targets.target_in_month, definition.rule, ended)
        attainments = {
            month: attainment(actuals.get(month), targets.target_in_month(month))
            for month in range(1, ended + 1)
        }
    ramped_on = month_last_day(start, ramped) if start and ramped else None
    score = (
        score_of(rep, definition, attainments) if scored and definition and rep.has_plan else None
    )
    return OutcomeRow(
        rep_id=rep.rep_id,
        full_name=rep.full_name,
        team=rep.team,
        role=rep.role,
        start=start,
        cohort=cohort_of(start, "month") if start else None,
        day=ramp_day(start, today) if start else None,
        first_meeting=firsts[0],
        first_opportunity=firsts[1],
        first_deal=firsts[2],
        ramped_on=ramped_on,
        ramped_day=ramp_day(start, ramped_on) if start and ramped_on else None,
        attainments=attainments,
        score_tenths=score.tenths if score else None,
        score=score,
    )


_FIRST_KEYS = ("meetings_held", "opportunities", "deals_won")


def score_of(
    rep: RepFigures, definition: Definition, attainments: dict[int, float] | None
) -> Score:
    """The readiness score with the definition's weights, the version named in it."""
    weights = definition.spec.readiness
    months = attainments or {}
    activity_done = round(sum(min(1.0, share) for share in months.values()), 2)
    parts = (
        Part(
            "milestones_on_time",
            "Milestones on time",
            rep.milestones_on_time,
            rep.milestones_due,
            weights.milestones_on_time,
            "{done} of {out_of} due so far done on time",
        ),
        Part(
            "certifications",
            "Certifications",
            rep.certifications_passed,
            rep.certifications,
            weights.certifications,
            "{done} of {out_of} passed",
        ),
        Part(
            "commitments_kept",
            "Commitments kept",
            rep.commitments_kept,
            rep.commitments_reviewed,
            weights.commitments_kept,
            "{done} of {out_of} reviewed kept",
        ),
        Part(
            "activity",
            "Activity against target",
            activity_done,
            len(months),
            weights.activity,
            "{done} of {out_of} ended months' targets reached",
        ),
    )
    return readiness(parts, definition.version)
