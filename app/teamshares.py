"""Figures kept per team: the sums over an organisation (the ramp dashboard's counts,
heatmap rows, first ten needing attention) are merged from each team's share, and a share is
worked out again only when its team's token moved on (:mod:`app.generation` draws a team's
token in every transaction that wrote rows of its reps, and the broad token for a write it
cannot place in teams), or when a day turned in a time zone people are in. Each process keeps
its own, and works the organisation's out before it serves (``app/serving.py``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import literal, select, union_all

from app.extensions import db
from app.generation import (
    MISSING,
    NO_TEAM,
    QUARTER_HOUR,
    DataGeneration,
    TeamGeneration,
    has_written,
    kept_store,
)
from app.timezones import today_in

T = TypeVar("T")
# At most this many teams worked out at once are planned generically (see _planned_once);
# more (a process's first view, every team after a broad write) are planned for their values.
GENERIC_PLAN_TEAMS = 5
_PLAN_MODE = "salesramp.plan_mode"  # the transaction's plan_cache_mode, as the shares set it


class TeamTokens(NamedTuple):
    broad: int
    teams: dict[int, int]  # every team's token, :data:`NO_TEAM` included


def team_tokens() -> TeamTokens:
    """The broad token and every team's (one statement): each team of the ``teams`` table
    and :data:`NO_TEAM`, with 0 for a team never written to."""
    query = union_all(
        select(literal(-1), DataGeneration.broad_token).where(DataGeneration.id == 1),
        select(literal(NO_TEAM), literal(0)),
        select(TeamGeneration.team_id, TeamGeneration.token),
        select(db.metadata.tables["teams"].c.id, literal(0)),
    )
    broad, teams = 0, {}
    for team, token in db.session.execute(query):
        if team == -1:
            broad = token
        elif token or team not in teams:
            teams[team] = token
    return TeamTokens(broad, teams)


def teams_shown(team_id: int | None, tokens: TeamTokens | None = None) -> list[int]:
    """The chosen team, or every team (and the reps with none)."""
    if team_id is not None:
        return [team_id]
    return list((tokens or team_tokens()).teams)


def kept_by_team(
    name: str,
    key: Hashable,
    teams: Iterable[int],
    compute: Callable[[list[int]], dict[int, T]],
    tokens: TeamTokens | None = None,
    now: datetime | None = None,
) -> dict[int, T]:
    """Each of ``teams``' share of some figures: ``compute(teams)`` returns them for the
    teams asked, and is asked only for those whose token moved on (or the broad token, or
    the day somewhere: :func:`_clock`) since this process kept their share for the same
    ``name`` and ``key``. A transaction that has written is given every share afresh.

    ``compute`` must return plain values (no rows bound to a session), never changed after;
    a team it leaves out has no share (it is kept as such). What it works out may depend on
    the day (in UTC and in each zone people are in: :func:`_clock`), not the time of day.
    """
    wanted = list(dict.fromkeys(teams))
    if has_written():
        return compute(wanted)
    tokens = tokens or team_tokens()
    moment = now or datetime.now(UTC)
    full_key = ("by team", name, key, tokens.broad, _clock(moment))
    store = kept_store()
    with store.lock:
        shares: dict[int, tuple[int, Any]] = store.shares.get(full_key, {})
    token_of = tokens.teams.get
    stale = [team for team in wanted if shares.get(team, (None,))[0] != token_of(team, 0)]
    if stale:
        with _planned_once(len(stale) <= GENERIC_PLAN_TEAMS):
            fresh = compute(stale)
        shares = shares | {team: (token_of(team, 0), fresh.get(team, MISSING)) for team in stale}
        with store.lock:
            store.shares[full_key] = shares
    return {team: shares[team][1] for team in wanted if shares[team][1] is not MISSING}


def _clock(moment: datetime) -> tuple[date, ...]:
    """The day in UTC and in each time zone people are in: the shares hold until one of them
    turns (a zone's midnight), not every quarter hour as figures kept whole do. The 1,000-rep
    organisation's eight zones turn six times a day, where every quarter hour had each
    process work every share out again (about 50 ms for HR's dashboard). The zones are read
    once a quarter hour: every zone's midnight falls on one, and a person who moves to a new
    zone within it writes their team's share afresh."""
    quarter = int(moment.timestamp()) // QUARTER_HOUR
    store = kept_store()
    zones = store.zones
    if zones is None or zones[0] != quarter:
        timezone = db.metadata.tables["users"].c.timezone
        names = tuple(sorted(db.session.scalars(select(timezone).distinct())))
        zones = store.zones = (quarter, names)
    return (moment.astimezone(UTC).date(), *(today_in(name, moment) for name in zones[1]))


@contextmanager
def _planned_once(generic: bool) -> Iterator[None]:
    """On PostgreSQL, for a few teams (``generic``), the shares' statements prepared at once
    and planned once per connection (a generic plan): they are asked again and again for a
    team and a day, and planning each anew (the app's ``force_custom_plan``, see
    ``app._postgresql_plans``) costs more than running it for one team. psycopg prepares a
    statement from its fifth execution in a connection, which a pool of connections may take
    long to reach: within, from its first. The plan setting is the transaction's (a view's,
    with little left to ask), set once; the preparing is put back after. Measured
    in ``make bench`` after a write, on PostgreSQL: HR's dashboard 6.25x -> 5.12x, the
    coach's 5.75x -> 4.12x.

    Not for many teams (a process's first view, every team after a broad write): a generic
    plan knows nothing of the values, and over a thousand reps its guesses cost far more
    than planning does. HR's dashboard with every share worked out, in-process: 80 ms with
    generic plans, 51 ms planned for the values."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    # Set once per transaction whichever the mode (a view asks as many statements for five
    # teams as for fifty), and again only if a later share needs the other.
    mode = "force_generic_plan" if generic else "force_custom_plan"
    setting = (db.session().get_transaction(), mode)
    if db.session.info.get(_PLAN_MODE) != setting:
        connection.exec_driver_sql(f"SET LOCAL plan_cache_mode = {mode}")
        db.session.info[_PLAN_MODE] = setting
    if not generic:
        yield
        return
    driver: Any = connection.connection.dbapi_connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = 0
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
