"""The lines of a rep's numbers page: their ramp months against target and the ramped peers'
median, their weeks against the team's median, and the conversion rates.

Medians never name anyone: the team median is of the other active reps of the rep's team and
the ramped median of the other reps of the role who have ramped, each shown only when at
least ``MIN_PEERS`` people make it up.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Select, bindparam, exists, func, select

from app.accounts.models import Role, User, UserRole
from app.extensions import db
from app.generation import kept
from app.metrics.catalogue import BY_KEY, Metric
from app.metrics.models import ActivityWeek, Origin
from app.metrics.service import monday_of
from app.outcomes.ramp import month_last_day
from app.outcomes.service.definition import Definition
from app.outcomes.service.gathering import (
    RepFigures,
    RepFilters,
    reps_query,
    role_parameters,
    role_reps_query,
)
from app.outcomes.service.judgements import ramped_attainments
from app.outcomes.service.judging import figure_of

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


# --- by ramp month ---------------------------------------------------------------------------


def ramp_months(mine: RepFigures, definition: Definition | None, today: date) -> list[MonthLine]:
    """The rep's months so far (the one under way included) against target and the median of
    the other reps of the role who have ramped (their share of target, so comparable), shown
    with at least ``MIN_PEERS`` of them."""
    assert definition is not None and mine.start is not None
    targets = definition.spec.targets_for(mine.role)
    assert targets is not None
    metric = BY_KEY[targets.metric]
    # The ramped peers' attainment, from their stored judgements: the same for every rep of
    # the role, so kept while the data holds.
    peers = kept(
        "outcomes.ramped_peers",
        (mine.role, today, definition.version),
        lambda: _ramped_peers(mine.role, today, definition),
    )
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


def _ramped_peers(
    role: str | None, today: date, definition: Definition
) -> dict[int, dict[int, float]]:
    """Each ramped rep's attainment by month: of the role, or of everyone without one (as the
    filters without a role keep)."""
    if role:
        return ramped_attainments(_same_role(), today, definition, role_parameters(role))
    return ramped_attainments(_everyone(), today, definition)


@functools.cache
def _same_role() -> Select[Any]:
    """The reps of the plan role bound as ``outcomes_role``, unordered: built once."""
    return role_reps_query().order_by(None)


@functools.cache
def _everyone() -> Select[Any]:
    return reps_query(None, RepFilters()).order_by(None)


# --- by week, with the team's median -----------------------------------------------------------


def peer_ids(rep: User) -> list[int]:
    """The other active reps of the rep's team (none without a team)."""
    if rep.team_id is None:
        return []
    return list(db.session.scalars(_PEERS, {"team_id": rep.team_id, "rep_id": rep.id}))


_PEERS = select(User.id).where(
    User.team_id == bindparam("team_id"),
    User.id != bindparam("rep_id"),
    User.active.is_(True),
    # Asked per teammate, not as the list of every rep in the organisation.
    exists().where(UserRole.user_id == User.id, UserRole.role == Role.REP),
)


def team_totals(rep: User, peer_ids: list[int], metric: Metric, today: date) -> WeekTotals:
    """The last weeks' totals of ``metric`` and the funnel's metrics, of the rep and their
    peers: one query for the weeks' chart and the conversion rates."""
    first = monday_of(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    keys = sorted({metric.key, *(key for _label, a, b in CONVERSIONS for key in (a, b))})
    return first, _weekly_totals([rep.id, *peer_ids], keys, first)


# The first Monday shown, and (rep, week) -> metric -> total.
WeekTotals = tuple[date, dict[tuple[int, date], dict[str, int]]]


def team_weeks(
    rep: User, peer_ids: list[int], metric: Metric, totals: WeekTotals
) -> tuple[list[WeekLine], int]:
    """The last weeks of ``metric``: the rep's, and the median of their team's other reps."""
    first, by_week = totals
    weeks = []
    for number in range(WEEKS_SHOWN):
        start = first + timedelta(weeks=number)
        values = [
            _in_units(metric, by_week.get((pid, start), {}).get(metric.key)) for pid in peer_ids
        ]
        seen = [value for value in values if value is not None]
        median = statistics.median(seen) if len(peer_ids) >= MIN_PEERS and seen else None
        weeks.append(
            WeekLine(
                start, _in_units(metric, by_week.get((rep.id, start), {}).get(metric.key)), median
            )
        )
    return weeks, len(peer_ids)


def _weekly_totals(
    people: Sequence[int], keys: Sequence[str], first: date
) -> dict[tuple[int, date], dict[str, int]]:
    """(rep, week) -> metric -> total, the CRM's when it reported the week, else the log."""
    statement = _weekly_statement(tuple(keys))
    crm: dict[tuple[int, date], dict[str, int]] = {}
    own: dict[tuple[int, date], dict[str, int]] = {}
    for row in db.session.execute(statement, {"people": list(people), "first": first}):
        values = {key: int(getattr(row, key)) for key in keys if getattr(row, key) is not None}
        target = crm if Origin(row.origin) is Origin.CRM else own
        target[(row.rep_id, row.week_start)] = values
    return {**own, **crm}


@functools.lru_cache(maxsize=64)
def _weekly_statement(keys: tuple[str, ...]) -> Select[Any]:
    """The weekly sums of ``keys`` of the reps in ``people`` from the Monday ``first``: built
    once per set of metrics."""
    columns = [func.sum(getattr(ActivityWeek, BY_KEY[key].column)).label(key) for key in keys]
    return (
        select(ActivityWeek.rep_id, ActivityWeek.week_start, ActivityWeek.origin, *columns)
        .where(
            ActivityWeek.rep_id.in_(bindparam("people", expanding=True)),
            ActivityWeek.week_start >= bindparam("first", type_=Date),
        )
        .group_by(ActivityWeek.rep_id, ActivityWeek.week_start, ActivityWeek.origin)
    )


def last_weeks_totals(
    rep: User, peers: list[int], totals: WeekTotals
) -> dict[str, list[dict[str, int]]]:
    """The funnel's metrics over the last weeks: the rep's (key "mine") and each peer's."""
    keys = {key for _label, a, b in CONVERSIONS for key in (a, b)}
    by_person: dict[int, dict[str, int]] = {}
    for (person, _week), values in totals[1].items():
        summed = by_person.setdefault(person, {})
        for key, value in values.items():
            if key in keys:
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


def conversion_lines(
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
