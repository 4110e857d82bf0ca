"""The cohort curves chart: server-side SVG, one line per start cohort over ramp days.

The x axis is the ramp day (30, 60, 90, 180), not a date, so it is drawn here; colours and
markers are the other charts' (``app.coaching.charts``), so a cohort reads the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from app.coaching.charts import COLOURS, Series, legend, series_marks
from app.outcomes.cohorts import CURVE_DAYS, CohortCurve

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
# The newest cohorts are the ones compared: the chart draws at most this many.
MOST_COHORTS = 7


def _x(index: int, count: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * index / max(1, count - 1)


def _y(share: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)


def shown(curves: Sequence[CohortCurve]) -> list[CohortCurve]:
    """The newest cohorts with at least one figure, oldest of them first."""
    with_figures = [c for c in curves if any(s is not None for s in c.shares)]
    return with_figures[-MOST_COHORTS:]


def curve_chart(curves: Sequence[CohortCurve], days: Sequence[int] = CURVE_DAYS) -> Markup:
    """Share of each cohort ramped by each ramp day; empty when no cohort has a figure yet."""
    drawn = shown(curves)
    if not drawn:
        return Markup("")
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="curves-title curves-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="curves-title">Share of each start cohort ramped by ramp day</title>',
        '<desc id="curves-desc">One line per start cohort: the percentage of its reps ramped by '
        f"day {', '.join(str(d) for d in days)}, where every rep has had that many days. "
        "The table below has the same figures.</desc>",
    ]
    for share, label in ((0, "0%"), (0.5, "50%"), (1, "100%")):
        y = _y(share)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5dd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{label}</text>'
        )
    for index, day in enumerate(days):
        anchor = "start" if index == 0 else "end" if index == len(days) - 1 else "middle"
        parts.append(
            f'<text x="{_x(index, len(days)):.1f}" y="{HEIGHT - 20}" text-anchor="{anchor}" '
            f'font-size="11">day {day}</text>'
        )
    for number, curve in enumerate(drawn):
        colour = COLOURS[number % len(COLOURS)]
        coords = [
            (_x(index, len(days)), _y(share))
            for index, share in enumerate(curve.shares)
            if share is not None
        ]
        parts.append(series_marks(curve.label, number, coords, colour))
    parts.append("</svg>")
    return Markup("".join(parts))


def curve_legend(curves: Sequence[CohortCurve]) -> list[tuple[str, Markup]]:
    """(cohort, its marker) for the cohorts the chart draws, in the same colours."""
    return legend([Series(curve.label, ()) for curve in shown(curves)])
