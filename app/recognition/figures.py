"""The activity figures a rep can be recognised for: a metric's total in one of their recent
weeks ("Meetings booked: 12 in the week of 9 Nov 2026").

Read from the weekly summaries (``activity_weeks``), in one query whatever the number of weeks
or metrics. A week's figure is the CRM's when it reported one, else the rep's own log's: the two
are kept apart elsewhere, and adding them would count a meeting twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.metrics.catalogue import METRICS, Metric, Unit
from app.metrics.models import ActivityWeek, Origin
from app.metrics.service.reading import monday_of

WEEKS_OFFERED = 12
COUNTED = tuple(metric for metric in METRICS if metric.unit is Unit.COUNT)


@dataclass(frozen=True)
class WeekFigure:
    """One metric's total in one week of the rep's."""

    metric: Metric
    week_start: date
    value: int

    @property
    def key(self) -> str:
        """How a form names it: ``meetings_booked:2026-11-09``."""
        return f"{self.metric.key}:{self.week_start.isoformat()}"

    @property
    def what(self) -> str:
        start = self.week_start
        return f"{self.metric.label}: {self.value} in the week of {start.day} {start:%b %Y}"


def recent_figures(rep: User, today: date, weeks: int = WEEKS_OFFERED) -> list[WeekFigure]:
    """``rep``'s non-zero counted figures of their last ``weeks`` weeks, newest week first."""
    last = monday_of(today)
    first = last - timedelta(weeks=weeks - 1)
    sums = [func.sum(getattr(ActivityWeek, m.column)).label(m.key) for m in COUNTED]
    rows = db.session.execute(
        select(ActivityWeek.week_start, ActivityWeek.origin, *sums)
        .where(ActivityWeek.rep_id == rep.id, ActivityWeek.week_start.between(first, last))
        .group_by(ActivityWeek.week_start, ActivityWeek.origin)
    )
    by_week: dict[date, dict[Origin, dict[str, int]]] = {}
    for row in rows:
        values = {m.key: int(getattr(row, m.key) or 0) for m in COUNTED}
        by_week.setdefault(row.week_start, {})[Origin(row.origin)] = values
    figures = []
    for week_start in sorted(by_week, reverse=True):
        origins = by_week[week_start]
        values = origins.get(Origin.CRM) or origins[Origin.SELF]
        figures += [
            WeekFigure(metric, week_start, values[metric.key])
            for metric in COUNTED
            if values[metric.key] > 0
        ]
    return figures
