"""A rep's own numbers: their figures by week and by ramp month against their target, their
team's median (never naming anyone), conversion rates, and the readiness score's working.

The team median is of the other active reps of the rep's team, and only shown when there are
at least ``MIN_PEERS`` of them: a median of one or two people would give their figures away.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup
from sqlalchemy import func, select

from app.accounts.models import Role, User, UserRole
from app.coaching import charts
from app.extensions import db
from app.metrics.catalogue import BY_KEY, METRICS, Metric
from app.metrics.models import ActivityWeek, Origin
from app.metrics.service import monday_of, require_view_figures
from app.outcomes.ramp import month_last_day
from app.outcomes.service.definition import Definition, current_definition
from app.outcomes.service.gathering import RepFigures, RepFilters, gather, reps_query
from app.outcomes.service.judgements import ramped_attainments
from app.outcomes.service.judging import OutcomeRow, figure_of, outcome_of

WEEKS_SHOWN = 12
MIN_PEERS = 3
# (label, from metric, to metric): each step of the funnel.
CONVERSIONS: tuple[tuple[str, str, str], ...] = (
    ("Conversation to meeting", "conversations", "meetings_booked"),
    ("Meeting to opportunity", "meetings_held", "opportunities"),
    ("Opportunity to won", "opportunities", "deals_won"),
)


@dataclass(frozen=True)
class WeekLine:
    start: date
    mine: float | None
    team_median: float | None


@dataclass(frozen=True)
class MonthLine:
    month: int
    last_day: date
    mine: float | None
    target: float | None
    ramped_median: float | None  # the ramped reps' median share of target, times the target
    ended: bool


@dataclass(frozen=True)
class ConversionLine:
    label: str
    by_month: tuple[float | None, ...]  # one per month shown
    last_weeks: float | None  # over the last WEEKS_SHOWN weeks
    team_median: float | None  # the team's median rate over the same weeks


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
    only_rep = reps_query(None, RepFilters()).where(User.id == rep.id)
    metrics = definition.target_metrics if definition else ()
    figures = gather(only_rep, today, metrics)
    mine = figures[0] if figures else RepFigures(rep.id, rep.full_name, None, None, None, False)
    outcome = outcome_of(mine, definition, today)
    targets = definition.spec.targets_for(mine.role) if definition else None
    target_metric = BY_KEY[targets.metric] if targets else None
    metric = BY_KEY.get(metric_key) or target_metric or BY_KEY["dials"]
    months = _months(mine, outcome, definition, today) if targets and mine.start else []
    peers = peer_ids(rep)
    weekly, _count = _weeks(rep, peers, metric, today)
    conversions = _conversions(mine, months, weekly_totals=_last_weeks(rep, peers, today))
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
        week_chart=_week_chart(rep, metric, weekly),
        month_chart=_month_chart(rep, target_metric, months),
        conversion_chart=_conversion_chart(rep, months, conversions),
        legends={
            "weeks": charts.legend(_week_series(metric, weekly)),
            "months": charts.legend(_month_series(months)),
            "conversions": charts.legend(_conversion_series(months, conversions)),
        },
    )


# --- by ramp month ---------------------------------------------------------------------------


def _months(
    mine: RepFigures, outcome: OutcomeRow, definition: Definition | None, today: date
) -> list[MonthLine]:
    """The rep's months so far (the one under way included) against target and the median of
    the other reps of the role who have ramped (their share of target, so comparable), shown
    with at least ``MIN_PEERS`` of them."""
    assert definition is not None and mine.start is not None
    targets = definition.spec.targets_for(mine.role)
    assert targets is not None
    metric = BY_KEY[targets.metric]
    # The ramped peers' attainment, from their stored judgements.
    same_role = reps_query(None, RepFilters(role=mine.role or ""))
    peers = ramped_attainments(same_role, today, definition)
    ramped = [found for rep_id, found in peers.items() if rep_id != mine.rep_id]
    current = max(1, (today - mine.start).days // 30 + 1)
    lines = []
    for month in range(1, min(current, 24) + 1):
        target = targets.target_in_month(month)
        shares = [found[month] for found in ramped if month in found]
        median = statistics.median(shares) if len(shares) >= MIN_PEERS else None
        lines.append(
            MonthLine(
                month=month,
                last_day=month_last_day(mine.start, month),
                mine=figure_of(metric, mine.months.get(month, {})),
                target=target,
                ramped_median=None if median is None else round(median * target, 1),
                ended=month_last_day(mine.start, month) < today,
            )
        )
    return lines


# --- by week, with the team's median -----------------------------------------------------------


def peer_ids(rep: User) -> list[int]:
    """The other active reps of the rep's team (none without a team)."""
    if rep.team_id is None:
        return []
    return list(
        db.session.scalars(
            select(User.id).where(
                User.team_id == rep.team_id,
                User.id != rep.id,
                User.active.is_(True),
                User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.REP)),
            )
        )
    )


def _weeks(
    rep: User, peer_ids: list[int], metric: Metric, today: date
) -> tuple[list[WeekLine], int]:
    """The last weeks of ``metric``: the rep's, and the median of their team's other reps."""
    first = monday_of(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    totals = _weekly_totals([rep.id, *peer_ids], [metric.key], first)
    weeks = []
    for number in range(WEEKS_SHOWN):
        start = first + timedelta(weeks=number)
        values = [
            _in_units(metric, totals.get((pid, start), {}).get(metric.key)) for pid in peer_ids
        ]
        seen = [value for value in values if value is not None]
        median = statistics.median(seen) if len(peer_ids) >= MIN_PEERS and seen else None
        weeks.append(
            WeekLine(
                start, _in_units(metric, totals.get((rep.id, start), {}).get(metric.key)), median
            )
        )
    return weeks, len(peer_ids)


def _weekly_totals(
    people: Sequence[int], keys: Sequence[str], first: date
) -> dict[tuple[int, date], dict[str, int]]:
    """(rep, week) -> metric -> total, the CRM's when it reported the week, else the log."""
    columns = [func.sum(getattr(ActivityWeek, BY_KEY[key].column)).label(key) for key in keys]
    statement = (
        select(ActivityWeek.rep_id, ActivityWeek.week_start, ActivityWeek.origin, *columns)
        .where(ActivityWeek.rep_id.in_(people), ActivityWeek.week_start >= first)
        .group_by(ActivityWeek.rep_id, ActivityWeek.week_start, ActivityWeek.origin)
    )
    crm: dict[tuple[int, date], dict[str, int]] = {}
    own: dict[tuple[int, date], dict[str, int]] = {}
    for row in db.session.execute(statement):
        values = {key: int(getattr(row, key)) for key in keys if getattr(row, key) is not None}
        target = crm if Origin(row.origin) is Origin.CRM else own
        target[(row.rep_id, row.week_start)] = values
    return {**own, **crm}


def _last_weeks(rep: User, peers: list[int], today: date) -> dict[str, list[dict[str, int]]]:
    """The funnel's metrics over the last weeks: the rep's (key "mine") and each peer's."""
    first = monday_of(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    keys = sorted({key for _label, a, b in CONVERSIONS for key in (a, b)})
    totals = _weekly_totals([rep.id, *peers], keys, first)
    by_person: dict[int, dict[str, int]] = {}
    for (person, _week), values in totals.items():
        summed = by_person.setdefault(person, {})
        for key, value in values.items():
            summed[key] = summed.get(key, 0) + value
    return {
        "mine": [by_person.get(rep.id, {})],
        "peers": [by_person[p] for p in peers if p in by_person],
    }


def _in_units(metric: Metric, value: int | None) -> float | None:
    return None if value is None else figure_of(metric, {metric.key: value})


# --- conversions -----------------------------------------------------------------------------


def rate(figures: dict[str, int], source: str, result: str) -> float | None:
    """``result`` over ``source`` (None when there was no ``source`` to convert)."""
    base = figures.get(source) or 0
    return None if base == 0 else (figures.get(result) or 0) / base


def _conversions(
    mine: RepFigures, months: list[MonthLine], weekly_totals: dict[str, list[dict[str, int]]]
) -> list[ConversionLine]:
    lines = []
    peers = weekly_totals["peers"]
    for label, source, result in CONVERSIONS:
        peer_rates = [r for r in (rate(p, source, result) for p in peers) if r is not None]
        lines.append(
            ConversionLine(
                label=label,
                by_month=tuple(rate(mine.months.get(m.month, {}), source, result) for m in months),
                last_weeks=rate(weekly_totals["mine"][0], source, result),
                team_median=statistics.median(peer_rates) if len(peer_rates) >= MIN_PEERS else None,
            )
        )
    return lines


# --- charts ----------------------------------------------------------------------------------


def _points(pairs: Sequence[tuple[date, float | None]]) -> tuple[tuple[date, float], ...]:
    return tuple((day, value) for day, value in pairs if value is not None)


def _week_series(metric: Metric, weeks: list[WeekLine]) -> list[charts.Series]:
    series = [charts.Series("You", _points([(w.start, w.mine) for w in weeks]))]
    if any(w.team_median is not None for w in weeks):
        series.append(
            charts.Series("Team median", _points([(w.start, w.team_median) for w in weeks]))
        )
    return [s for s in series if s.points]


def _month_series(months: list[MonthLine]) -> list[charts.Series]:
    series = [
        charts.Series("Actual", _points([(m.last_day, m.mine) for m in months])),
        charts.Series("Target", _points([(m.last_day, m.target) for m in months])),
        charts.Series(
            "Ramped reps' median", _points([(m.last_day, m.ramped_median) for m in months])
        ),
    ]
    return [s for s in series if s.points]


def _conversion_series(
    months: list[MonthLine], conversions: list[ConversionLine]
) -> list[charts.Series]:
    series = [
        charts.Series(
            line.label,
            _points(
                [
                    (m.last_day, None if r is None else r * 100)
                    for m, r in zip(months, line.by_month, strict=True)
                ]
            ),
        )
        for line in conversions
    ]
    return [s for s in series if s.points]


def _ticks(high: float) -> list[tuple[float, str]]:
    return [(0, "0"), (high / 2, f"{high / 2:g}"), (high, f"{high:g}")]


def _high(values: Sequence[float]) -> float:
    top = max(values, default=0)
    return float(max(1, round(top * 1.1 + 0.5)))


def _week_chart(rep: User, metric: Metric, weeks: list[WeekLine]) -> Markup:
    series = _week_series(metric, weeks)
    high = _high([v for s in series for _d, v in s.points])
    return charts.line_chart(
        series,
        title=f"{rep.full_name}: {metric.label.lower()} per week",
        description=f"{metric.label} in each of the last {WEEKS_SHOWN} weeks, with the median of "
        "the team's other reps where there are enough of them. The table below has the figures.",
        low=0,
        high=high,
        ticks=_ticks(high),
        chart_id="weeks-chart",
    )


def _month_chart(rep: User, metric: Metric | None, months: list[MonthLine]) -> Markup:
    if metric is None:
        return Markup("")
    series = _month_series(months)
    high = _high([v for s in series for _d, v in s.points])
    return charts.line_chart(
        series,
        title=f"{rep.full_name}: {metric.label.lower()} per ramp month against target",
        description="Each 30-day ramp month: the rep's figure, the month's target and the median "
        "of reps who have ramped (as a share of the same target). The table below has the figures.",
        low=0,
        high=high,
        ticks=_ticks(high),
        chart_id="months-chart",
    )


def _conversion_chart(
    rep: User, months: list[MonthLine], conversions: list[ConversionLine]
) -> Markup:
    return charts.line_chart(
        _conversion_series(months, conversions),
        title=f"{rep.full_name}: conversion rates per ramp month",
        description="Conversations to meetings booked, meetings held to opportunities and "
        "opportunities to deals won, as percentages, per ramp month. The table below has them.",
        low=0,
        high=100,
        ticks=[(0, "0%"), (50, "50%"), (100, "100%")],
        chart_id="conversions-chart",
    )


__all__ = ["METRICS", "RepNumbers", "rep_numbers"]
