"""Figures kept per team: the sums over an organisation (the ramp dashboard's counts,
heatmap rows, first ten needing attention) are merged from each team's share, and a share is
worked out again only when its team's token moved on (:mod:`app.generation` draws a team's
token in every transaction that wrote rows of its reps, and the broad token for a write it
cannot place in teams)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
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

T = TypeVar("T")
_GENERIC_PLANS = "salesramp.generic_plans"  # the transaction that plans statements once


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
    the quarter hour) since this process kept their share for the same ``name`` and
    ``key``. A transaction that has written is given every share afresh.

    ``compute`` must return plain values (no rows bound to a session), never changed after;
    a team it leaves out has no share (it is kept as such).
    """
    wanted = list(dict.fromkeys(teams))
    if has_written():
        return compute(wanted)
    tokens = tokens or team_tokens()
    moment = now or datetime.now(UTC)
    full_key = ("by team", name, key, tokens.broad, int(moment.timestamp()) // QUARTER_HOUR)
    store = kept_store()
    with store.lock:
        shares: dict[int, tuple[int, Any]] = store.shares.get(full_key, {})
    token_of = tokens.teams.get
    stale = [team for team in wanted if shares.get(team, (None,))[0] != token_of(team, 0)]
    if stale:
        with _planned_once():
            fresh = compute(stale)
        shares = shares | {team: (token_of(team, 0), fresh.get(team, MISSING)) for team in stale}
        with store.lock:
            store.shares[full_key] = shares
    return {team: shares[team][1] for team in wanted if shares[team][1] is not MISSING}


@contextmanager
def _planned_once() -> Iterator[None]:
    """On PostgreSQL, the shares' statements prepared at once and planned once per
    connection (a generic plan): they are asked again and again for a team and a day, and
    planning each anew (the app's ``force_custom_plan``, see ``app._postgresql_plans``)
    costs more than running it for one team. psycopg prepares a statement from its fifth
    execution in a connection, which a pool of connections may take long to reach: within,
    from its first. The plan setting is the transaction's (a view's, with little left to
    ask), set once; the preparing is put back after. Measured in ``make bench`` after a
    write, on PostgreSQL: HR's dashboard 6.25x -> 5.12x, the coach's 5.75x -> 4.12x."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    transaction = db.session().get_transaction()
    if db.session.info.get(_GENERIC_PLANS) is not transaction:  # once per transaction
        connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
        db.session.info[_GENERIC_PLANS] = transaction
    driver: Any = connection.connection.dbapi_connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = 0
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
