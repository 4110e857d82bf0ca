"""A rep's own log of their day, for organisations without a CRM feed: one row a day.

Logged figures never mix with imported ones: they are rows of their own (``origin`` self, no
source), shown and labelled apart. Saving the same day again replaces that day's figures, in
one upsert, so a double click or two tabs leave one row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import User
from app.errors import Invalid
from app.extensions import db
from app.metrics.catalogue import METRICS, Period
from app.metrics.models import ActivityFigure, Origin
from app.metrics.service.access import require_log
from app.metrics.service.judging import judge_number_milestones
from app.metrics.service.summaries import refresh_summaries

# How far back a rep may log or correct a day: recent enough to remember it.
LOG_DAYS_BACK = 14
LOGGED = tuple(metric for metric in METRICS if metric.logged)


def loggable_days(today: date) -> tuple[date, date]:
    """The first and last day a rep may log today."""
    return today - timedelta(days=LOG_DAYS_BACK), today


def logged_day(actor: User, day: date) -> dict[str, int | None]:
    """What the rep logged for ``day`` (empty values when nothing was)."""
    require_log(actor)
    row = db.session.scalar(
        select(ActivityFigure).where(
            ActivityFigure.rep_id == actor.id,
            ActivityFigure.source_id.is_(None),
            ActivityFigure.period_start == day,
        )
    )
    return {metric.key: getattr(row, metric.column) if row else None for metric in LOGGED}


def log_day(actor: User, day: date, values: Mapping[str, int | None], today: date) -> None:
    """Record (or correct) the rep's own figures for ``day``, today or a recent day."""
    require_log(actor)
    first, last = loggable_days(today)
    if day > last:
        raise Invalid("You cannot log a day that has not happened yet.", field="day")
    if day < first:
        raise Invalid(f"You can log the last {LOG_DAYS_BACK} days only.", field="day")
    figures = {metric.column: values.get(metric.key) for metric in LOGGED}
    if all(value is None for value in figures.values()):
        raise Invalid("Fill in at least one figure.", field="dials")
    row = {
        "rep_id": actor.id,
        "origin": Origin.SELF.value,
        "source_id": None,
        "period": Period.DAY.value,
        "period_start": day,
        "week_start": day - timedelta(days=day.weekday()),
        "updated_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0),
        **figures,
    }
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ActivityFigure.__table__).values(row)
    upsert = statement.on_conflict_do_update(
        index_elements=["rep_id", "period_start"],
        index_where=text("source_id IS NULL"),
        set_={column: statement.excluded[column] for column in (*figures, "updated_at")},
    )
    db.session.execute(upsert)
    refresh_summaries({actor.id})
    judge_number_milestones(actor, {actor.id}, today)
