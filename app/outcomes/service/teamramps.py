"""The drivers page's reps, their ramps and the fingerprint of the facts counted, kept per
team: after a rep's write, only their team's reps are read and judged again
(:func:`app.teamshares.kept_by_team`), as the outcomes page's lines are
(:mod:`app.outcomes.service.teamlines`).

The fingerprint of every team's reps together is the sum of their teams' fingerprints (each
a sum over its reps): the same for the same reps however they are split into teams, so the
drivers' kept counts (:mod:`.drivercounts`) hold exactly as long as they did when every rep
was read (a rep moved to another team changes nothing the whole organisation counts).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, func

from app.accounts.models import User
from app.extensions import db
from app.generation import NO_TEAM
from app.outcomes.cohorts import RepRamp
from app.outcomes.service.definition import Definition
from app.outcomes.service.gathering import RepFilters, kept_reps_query
from app.outcomes.service.judgements import FINGERPRINT_MODULUS, fingerprinted_ramps_by
from app.plans.service import StatementMemo
from app.teamshares import kept_by_team, team_tokens

_TEAM = func.coalesce(User.team_id, NO_TEAM)
_REP_AND_TEAM: list[Any] = [User.id, _TEAM]
# The page's reps of some teams (bound as ``teams``), and each one's team: built once per
# whose reps and which filters.
_REPS = StatementMemo(lambda reps: reps.where(_TEAM.in_(bindparam("teams", expanding=True))))
_TEAM_OF = StatementMemo(lambda reps: reps.with_only_columns(*_REP_AND_TEAM))

TeamRamps = tuple[list[RepRamp], list[date], int | None]


def fingerprinted_team_ramps(
    actor: User, filters: RepFilters, today: date, definition: Definition
) -> tuple[list[RepRamp], list[date], str | None]:
    """The ramps of the reps ``filters`` keep (their cohort aside: the caller narrows), every
    one's start, and the fingerprint of them all (None when a rep's judgement could not be
    stored): the teams' kept shares put together."""
    reps = kept_reps_query(actor, filters, with_team=False, ordered=False)
    statement_key = (None if actor.sees_everyone else actor.id, filters)

    def ramps_of(teams: list[int]) -> dict[int, TeamRamps]:
        given = {"teams": teams}
        statement = _REPS.get(statement_key, lambda: reps)
        team_of = _TEAM_OF.get(statement_key, lambda: statement)
        team_by_rep: dict[int, int] = dict(db.session.connection().execute(team_of, given).all())
        return fingerprinted_ramps_by(statement, today, definition, given, team_by_rep)

    teams = [filters.team_id] if filters.team_id is not None else list(team_tokens().teams)
    key = (*statement_key, today, definition.version)
    shares = kept_by_team("outcomes.ramps", key, teams, ramps_of)
    ramps = [ramp for team_ramps, _starts, _print in shares.values() for ramp in team_ramps]
    starts = [start for _ramps, team_starts, _print in shares.values() for start in team_starts]
    return ramps, starts, _fingerprint_of(shares)


def _fingerprint_of(shares: dict[int, TeamRamps]) -> str | None:
    """The teams' fingerprints added up (None if any is None), as hexadecimal."""
    total = 0
    for _ramps, _starts, team_print in shares.values():
        if team_print is None:
            return None
        total += team_print
    return f"{total % FINGERPRINT_MODULUS:064x}"


__all__ = ["fingerprinted_team_ramps"]
