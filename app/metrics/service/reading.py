"""Reading a rep's figures week by week, imported and logged apart, from the weekly summary
(``activity_weeks``: one row per rep, week and source, kept in step with the figures)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.metrics.catalogue import METRICS, Metric
from app.metrics.models import ActivityWeek, Origin
from app.metrics.service.access import require_view_figures

WEEKS_SHOWN = 12


@dataclass
class Week:
    start: date
    by_origin: dict[Origin, dict[str, int | None]] = field(default_factory=dict)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_of(actor: User, rep: User, today: date, weeks: int = WEEKS_SHOWN) -> list[Week]:
    """The rep's last ``weeks`` weeks, newest first: each origin's totals (None: none reported).

    One ``GROUP BY`` over the rep's weekly sums of the period (a source's and the log's).
    """
    require_view_figures(actor, rep)
    last = monday_of(today)
    first = last - timedelta(weeks=weeks - 1)
    sums = [func.sum(getattr(ActivityWeek, m.column)).label(m.key) for m in METRICS]
    statement = (
        select(ActivityWeek.week_start, ActivityWeek.origin, *sums)
        .where(ActivityWeek.rep_id == rep.id, ActivityWeek.week_start.between(first, last))
        .group_by(ActivityWeek.week_start, ActivityWeek.origin)
    )
    by_start = {first + timedelta(weeks=i): Week(first + timedelta(weeks=i)) for i in range(weeks)}
    for row in db.session.execute(statement):
        values = {m.key: _int(getattr(row, m.key)) for m in METRICS}
        by_start[row.week_start].by_origin[Origin(row.origin)] = values
    return sorted(by_start.values(), key=lambda week: week.start, reverse=True)


def weekly_totals(
    rep_ids: Sequence[int], first: date, last: date
) -> list[tuple[int, date, Origin, dict[str, int | None]]]:
    """Each rep's totals per week and origin between two Mondays, in one ``GROUP BY`` (for
    exports: the caller has decided whose reps these are); by rep, newest week first."""
    sums = [func.sum(getattr(ActivityWeek, m.column)).label(m.key) for m in METRICS]
    statement = (
        select(ActivityWeek.rep_id, ActivityWeek.week_start, ActivityWeek.origin, *sums)
        .where(ActivityWeek.rep_id.in_(rep_ids), ActivityWeek.week_start.between(first, last))
        .group_by(ActivityWeek.rep_id, ActivityWeek.week_start, ActivityWeek.origin)
        .order_by(ActivityWeek.rep_id, ActivityWeek.week_start.desc(), ActivityWeek.origin)
    )
    return [
        (
            row.rep_id,
            row.week_start,
            Origin(row.origin),
            {m.key: _int(getattr(row, m.key)) for m in METRICS},
        )
        for row in db.session.execute(statement)
    ]


def metrics_reported(weeks: list[Week]) -> list[Metric]:
    """The metrics any of these weeks reports, in the catalogue's order (the table's columns)."""
    seen = {
        key
        for week in weeks
        for values in week.by_origin.values()
        for key, value in values.items()
        if value is not None
    }
    return [metric for metric in METRICS if metric.key in seen]


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
