"""The coach's debrief-rating trend as a server-side SVG chart (months shown only)."""

from __future__ import annotations

from markupsafe import Markup

from app.coaching.charts import Series, line_chart
from app.surveys.service import MIN_GROUP, CoachTrend


def trend_chart(trend: CoachTrend) -> Markup:
    """Average rating per month, for the months with at least ``MIN_GROUP`` ratings."""
    points = tuple((m.month, m.average) for m in trend.months if m.average is not None)
    if not points:
        return Markup("")
    return line_chart(
        [Series("Average rating", points)],
        title=f"How useful {trend.coach.full_name}'s debriefs were, by month",
        description=(
            f"Average rating from 1 to 5 in each month with at least {MIN_GROUP} ratings; "
            "the table below lists every month."
        ),
        low=1, high=5, ticks=[(v, str(v)) for v in (1, 2, 3, 4, 5)], chart_id="rating-trend",
    )  # fmt: skip
