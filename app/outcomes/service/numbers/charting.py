"""The charts of a rep's numbers page: server-side SVG, each with a legend and a table of the
same figures on the page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

from app.accounts.models import User
from app.coaching import charts
from app.metrics.catalogue import Metric
from app.outcomes.service.numbers.lines import WEEKS_SHOWN, ConversionLine, MonthLine, WeekLine


def _points(pairs: Sequence[tuple[date, float | None]]) -> tuple[tuple[date, float], ...]:
    return tuple((day, value) for day, value in pairs if value is not None)


def week_series(metric: Metric, weeks: list[WeekLine]) -> list[charts.Series]:
    series = [charts.Series("You", _points([(w.start, w.mine) for w in weeks]))]
    if any(w.team_median is not None for w in weeks):
        series.append(
            charts.Series("Team median", _points([(w.start, w.team_median) for w in weeks]))
        )
    return [s for s in series if s.points]


def month_series(months: list[MonthLine]) -> list[charts.Series]:
    series = [
        charts.Series("Actual", _points([(m.last_day, m.mine) for m in months])),
        charts.Series("Target", _points([(m.last_day, m.target) for m in months])),
        charts.Series(
            "Ramped reps' median", _points([(m.last_day, m.ramped_median) for m in months])
        ),
    ]
    return [s for s in series if s.points]


def conversion_series(
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


def week_chart(rep: User, metric: Metric, weeks: list[WeekLine]) -> Markup:
    series = week_series(metric, weeks)
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


def month_chart(rep: User, metric: Metric | None, months: list[MonthLine]) -> Markup:
    if metric is None:
        return Markup("")
    series = month_series(months)
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


def conversion_chart(
    rep: User, months: list[MonthLine], conversions: list[ConversionLine]
) -> Markup:
    return charts.line_chart(
        conversion_series(months, conversions),
        title=f"{rep.full_name}: conversion rates per ramp month",
        description="Conversations to meetings booked, meetings held to opportunities and "
        "opportunities to deals won, as percentages, per ramp month. The table below has them.",
        low=0,
        high=100,
        ticks=[(0, "0%"), (50, "50%"), (100, "100%")],
        chart_id="conversions-chart",
    )
