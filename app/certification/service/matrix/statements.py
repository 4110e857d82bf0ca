"""The matrix's statements, built once per shape of filters, with bound parameters.

Building a statement and working out its cache key on every view cost SQLAlchemy more than
SQLite took to run the small ones (some 7 ms of the HR page under the profiler). A statement
object built once keeps its cache key (SQLAlchemy memoizes it) and its compiled form in the
statement cache; each view only binds today's date, the actor, the filters and the ids.
Every statement reads columns, not ORM objects: the page shows names, ids, dates and counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
)

from app.accounts.models import Role, User, UserRole
from app.certification.models import Assessment, CertificationAttempt, CertificationStanding
from app.pagination import AnySelect, paged

UPCOMING_SHOWN = 50  # the due list shows the soonest; the count says how many there are

_STANDING = CertificationStanding


@dataclass(frozen=True)
class Shape:
    """Which conditions narrow the reps: a statement is built once for each shape.

    Their values are bound at each view: ``actor_id`` (a coach sees their own reps),
    ``team_id`` and ``pattern`` (an ``ILIKE`` pattern of the name searched for).
    """

    everyone: bool
    team: bool = False
    search: bool = False


def _today() -> Any:
    return bindparam("today", type_=Date)


def _horizon() -> Any:
    return bindparam("horizon", type_=Date)


def _stages() -> Any:
    return bindparam("stages", expanding=True)


def rep_conditions(shape: Shape) -> list[ColumnElement[bool]]:
    """Who the actor oversees (their own reps, or everyone), narrowed by team and name.

    A new list for each statement: sharing one ``EXISTS`` between statements changes its
    cache key as each is compiled.
    """
    is_rep = exists().where(UserRole.user_id == User.id, UserRole.role == Role.REP)
    conditions: list[ColumnElement[bool]] = [User.active.is_(True), is_rep]
    if not shape.everyone:
        conditions.append(User.coach_id == bindparam("actor_id"))
    if shape.team:
        conditions.append(User.team_id == bindparam("team_id"))
    if shape.search:
        conditions.append(User.full_name.ilike(bindparam("pattern"), escape="\\"))
    return conditions


@cache
def rep_count(shape: Shape) -> AnySelect:
    """How many reps match (the page's total)."""
    return select(func.count()).select_from(User).where(*rep_conditions(shape))


@cache
def rep_page(shape: Shape, descending: bool) -> AnySelect:
    """One page of the matching reps, by name: ids and names only (the page shows no more)."""
    name = User.full_name.desc() if descending else User.full_name
    query = select(User.id, User.full_name).where(*rep_conditions(shape))
    return paged(query.order_by(name, User.id))


@cache
def rep_people(shape: Shape) -> AnySelect:
    """Every matching rep as a person, by name (for :func:`visible_reps`)."""
    return select(User).where(*rep_conditions(shape)).order_by(User.full_name, User.id)


def is_upcoming() -> ColumnElement[bool]:
    """A standing is in the due list: passed and expiring within the window, or (not validly
    passed) due by the end of it (``today`` and ``horizon`` bound). The rule of
    :func:`~app.certification.service.matrix.cells.upcoming_of`, in SQL."""
    today, horizon = _today(), _horizon()
    expiring = and_(_STANDING.valid_until >= today, _STANDING.valid_until <= horizon)
    due = and_(
        or_(_STANDING.valid_until.is_(None), _STANDING.valid_until < today),
        _STANDING.due_on <= horizon,
    )
    return or_(expiring, due)


@cache
def stage_counts(shape: Shape) -> AnySelect:
    """Per stage, over the standings of every matching rep: attempts decided and passed, reps
    validly certified today, and standings in the due list (one pass; ``stages`` bound)."""
    reps = select(User.id).where(*rep_conditions(shape))
    return (
        select(
            _STANDING.stage,
            func.sum(_STANDING.decided),
            func.sum(_STANDING.passed),
            func.count(case((_STANDING.valid_until >= _today(), 1))),
            func.count(case((is_upcoming(), 1))),
        )
        .where(_STANDING.rep_id.in_(reps), _STANDING.stage.in_(_stages()))
        .group_by(_STANDING.stage)
    )


@cache
def soonest_due(shape: Shape) -> AnySelect:
    """The first ``UPCOMING_SHOWN`` (rep, stage) pairs due, overdue or expiring within the
    window, soonest first, with the rep's name: narrow rows from the standings.

    A stage passed and still valid today is listed when it expires within the window; any
    other is listed when the active plan's first due date for it is within the window. The
    reps' conditions are on the joined rep, not a list of ids: each stage's rows are read
    from the index, and their rep by its key.
    """
    on = case((_STANDING.valid_until >= _today(), _STANDING.valid_until), else_=_STANDING.due_on)
    return (
        select(_STANDING.rep_id, _STANDING.stage, User.full_name)
        .join_from(_STANDING, User, User.id == _STANDING.rep_id)
        .where(*rep_conditions(shape), _STANDING.stage.in_(_stages()), is_upcoming())
        .order_by(on, User.full_name, _STANDING.rep_id, _STANDING.stage)
        .limit(UPCOMING_SHOWN)
    )


def _cell_facts() -> AnySelect:
    """Each (rep, stage) standing of the reps and stages asked for (``rep_ids``, ``stages``)
    with every attempt of it, oldest first: the due date and what the status rule reads of
    each attempt (see ``records.facts``), in one statement.

    Every (rep, stage) with an attempt or a due date has a standing, so the outer join
    misses none; a standing with neither an attempt nor a due date reads as not started.
    """
    attempt = CertificationAttempt
    submitted_self = exists().where(
        Assessment.attempt_id == attempt.id,
        Assessment.is_self.is_(True),
        Assessment.submitted_at.is_not(None),
    )
    assessor_started = exists().where(
        Assessment.attempt_id == attempt.id, Assessment.is_self.is_(False)
    )
    columns: list[Any] = [
        _STANDING.rep_id,
        _STANDING.stage,
        _STANDING.due_on,
        attempt.id,
        attempt.decided_at,
        attempt.passed,
        attempt.weighted_average,
        attempt.assessed_on,
        attempt.expires_on,
        attempt.next_attempt_from,
        submitted_self,
        assessor_started,
    ]
    joined = and_(attempt.rep_id == _STANDING.rep_id, attempt.stage == _STANDING.stage)
    return (
        select(*columns)
        .outerjoin_from(_STANDING, attempt, joined)
        .where(
            _STANDING.rep_id.in_(bindparam("rep_ids", expanding=True)),
            _STANDING.stage.in_(_stages()),
        )
        .order_by(attempt.opened_at, attempt.id)
    )


CELL_FACTS = _cell_facts()
