"""The drivers page's counts of milestone facts, kept per set of reps for the day.

Counting a thousand reps' twenty thousand facts by part takes SQLite longer than the rest of
the page. The count only changes when the facts of the reps counted change, and those are
written with their judgements (:mod:`app.outcomes.service.milestonefacts`): the same reps with
the same stamps, starts and roles have the same facts. So each count is kept with the
fingerprint of the reps it counted (:mod:`app.outcomes.service.teamramps`), and used again
only by a view whose reps have that very fingerprint; any write to one of them, or a rep
joining or leaving the set (a new rep, one deactivated, moved to another team), makes a new
fingerprint and a new count. Keeping it is a cache's work, done by a read: it never fails the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError

from app.accounts.models import User
from app.extensions import db
from app.outcomes.models import OutcomeDriverCount
from app.outcomes.service.gathering import RepFilters
from app.outcomes.service.storing import KEPT_DAYS


def scope_of(actor: User, filters: RepFilters) -> str | None:
    """Whose reps and which filters a count is of; None for a name search (not kept)."""
    if filters.search:
        return None
    who = "everyone" if actor.sees_everyone else f"coach {actor.id}"
    return f"{who}; team {filters.team_id or ''}; role {filters.role}; cohort {filters.cohort}"


def kept_count(
    scope: str | None,
    fingerprint: str | None,
    today: date,
    version: int,
    count: Callable[[], list[Any]],
) -> list[Any]:
    """The count kept for these reps (``fingerprint``), else ``count()``, kept for the next
    view. Rows as :func:`counted_facts` gives them."""
    if scope is None or fingerprint is None:
        return count()
    table = OutcomeDriverCount.__table__
    kept = db.session.execute(
        select(table.c.counts).where(
            table.c.day == today,
            table.c.version == version,
            table.c.scope == scope,
            table.c.fingerprint == fingerprint,
        )
    ).scalar()
    if kept is not None:
        return [tuple(row) for row in json.loads(kept)]
    counted = [
        (stage, role, key, bool(on_time), month, reps, latest)
        for stage, role, key, on_time, month, reps, latest in count()
    ]
    _keep(scope, fingerprint, today, version, counted)
    return counted


def _keep(
    scope: str, fingerprint: str, today: date, version: int, counted: list[tuple[Any, ...]]
) -> None:
    """Store (or replace) the count of ``scope``, dropping the counts of older days."""
    table = OutcomeDriverCount.__table__
    values = {
        "day": today,
        "version": version,
        "scope": scope,
        "fingerprint": fingerprint,
        "counts": json.dumps(counted, separators=(",", ":")),
    }
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.day, table.c.version, table.c.scope],
        set_={"fingerprint": values["fingerprint"], "counts": values["counts"]},
    )
    try:
        with db.session.begin_nested():
            db.session.connection().execute(
                delete(table).where(table.c.day < today - timedelta(KEPT_DAYS))
            )
            db.session.connection().execute(statement)
    except (OperationalError, IntegrityError):
        pass  # another writer holds the database: the next view keeps it
