"""The job worker judges ahead of the viewers: every rep's outcomes for each "today" in use.

A judgement is of a day (:mod:`app.outcomes.service.judgements`), so the first viewer of a
new day would wait while a thousand reps are judged afresh (about a second). Every ten
minutes the worker judges the reps whose judgement of today is missing or stale, for every
date it is now somewhere the organisation's people live (two at most around midnight), so
viewers read stored judgements. Reps judged since the last write are left alone: one read.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.outcomes.service.definition import current_definition
from app.outcomes.service.gathering import RepFilters, reps_query
from app.outcomes.service.judgements import judge_stale
from app.timezones import today_in


def days_in_use(now: datetime) -> list[date]:
    """Today's date in each time zone of an active person, earliest first."""
    zones = db.session.scalars(select(User.timezone).where(User.active.is_(True)).distinct())
    return sorted({today_in(name, now) for name in zones})


def warm_judgements(now: datetime) -> int:
    """Judge every rep whose judgement of any of today's dates is missing or stale; how many
    judgements were written. The caller commits."""
    definition = current_definition()
    if definition is None:
        return 0
    everyone = reps_query(None, RepFilters())
    return sum(judge_stale(everyone, day, definition) for day in days_in_use(now))
