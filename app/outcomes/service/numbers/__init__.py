"""A rep's own numbers: their figures by week and by ramp month against their target, their
team's median (never naming anyone), conversion rates, and the readiness score's working.

Modules: ``lines`` (the months, weeks and conversion rates, with the medians) and ``charting``
(their charts). The team median is of the other active reps of the rep's team, and only shown
when there are at least ``MIN_PEERS`` of them: a median of one or two people would give their
figures away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from app.accounts.models import User
from app.coaching import charts
from app.metrics.catalogue import BY_KEY, METRICS, Metric
from app.metrics.service import require_view_figures
from app.outcomes.service.definition import Definition, current_definition
from app.outcomes.service.gathering import RepFigures, gather, one_rep_query
from app.outcomes.service.judging import OutcomeRow, outcome_of
from app.outcomes.service.numbers.charting import (
    conversion_chart,
    conversion_series,
    month_chart,
    month_series,
    week_chart,
    week_series,
)
from app.outcomes.service.numbers.lines import (
    CONVERSIONS,
    MIN_PEERS,
    WEEKS_SHOWN,
    ConversionLine,
    MonthLine,
    WeekLine,
    conversion_lines,
    last_weeks_totals,
    peer_ids,
    ramp_months,
    rate,
    team_totals,
    team_weeks,
)


@dataclass(frozen=True)
class RepNumbers:
    rep: User
    outcome: OutcomeRow
    definition: Definition | None
    metric: Metric
    target_metric: Metric | None
    weeks: list[WeekLine]
    months: list[MonthLine]
    conversions: list[ConversionLine]
    peers: int
    week_chart: Markup
    month_chart: Markup
    conversion_chart: Markup
    legends: dict[str, list[tuple[str, Markup]]]


def rep_numbers(actor: User, rep: User, today: date, metric_key: str = "") -> RepNumbers:
    """Everything the rep's numbers page shows, in a fixed number of queries."""
    require_view_figures(actor, rep)
    definition = current_definition()
    metrics = definition.target_metrics if definition else ()
    figures = gather(one_rep_query(), today, metrics, params={"outcomes_rep_id": rep.id})
    mine = figures[0] if figures else RepFigures(rep.id, rep.full_name, None, None, None, False)
    outcome = outcome_of(mine, definition, today)
    targets = definition.spec.targets_for(mine.role) if definition else None
    target_metric = BY_KEY[targets.metric] if targets else None
    metric = BY_KEY.get(metric_key) or target_metric or BY_KEY["dials"]
    months = ramp_months(mine, definition, today) if targets and mine.start else []
    peers = peer_ids(rep)
    totals = team_totals(rep, peers, metric, today)
    weekly, _count = team_weeks(rep, peers, metric, totals)
    conversions = conversion_lines(
        mine, months, weekly_totals=last_weeks_totals(rep, peers, totals)
    )
    return RepNumbers(
        rep=rep,
        outcome=outcome,
        definition=definition,
        metric=metric,
        target_metric=target_metric,
        weeks=weekly,
        months=months,
        conversions=conversions,
        peers=len(peers),
        week_chart=week_chart(rep, metric, weekly),
        month_chart=month_chart(rep, target_metric, months),
        conversion_chart=conversion_chart(rep, months, conversions),
        legends={
            "weeks": charts.legend(week_series(metric, weekly)),
            "months": charts.legend(month_series(months)),
            "conversions": charts.legend(conversion_series(months, conversions)),
        },
    )


__all__ = [
    "CONVERSIONS",
    "METRICS",
    "MIN_PEERS",
    "WEEKS_SHOWN",
    "RepNumbers",
    "rate",
    "rep_numbers",
]
