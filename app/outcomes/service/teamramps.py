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

from app.accounts.models import User
from app.outcomes.cohorts import RepRamp
from app.outcomes.service.definition import Definition
from app.outcomes.service.gathering import RepFilters, kept_reps_query
from app.outcomes.service.judgements import FINGERPRINT_MODULUS, fingerprinted_ramps_by
from app.outcomes.service.teamreps import team_reps
from app.teamshares import kept_by_team, teams_shown

TeamRamps = tuple[list[RepRamp], list[date], int | None]


def fingerprinted_team_ramps(
    actor: User, filters: RepFilters, today: date, definition: Definition
) -> tuple[list[RepRamp], list[date], str | None]:
    """The ramps of the reps ``filters`` keep (their cohort aside: the caller narrows), every
    one's start, and the fingerprint of them all (None when a rep's judgement could not be
    stored): the teams' kept shares put together."""
    reps = kept_reps_query(actor, filters, with_team=False, ordered=False)
    whose = (None if actor.sees_everyone else actor.id, filters)

    def ramps_of(teams: list[int]) -> dict[int, TeamRamps]:
        given = {"teams": teams}
        statements = team_reps(("outcomes.ramps", *whose), lambda: reps)
        team_by_rep = statements.teams_by_rep(given)
        return fingerprinted_ramps_by(statements.reps, today, definition, given, team_by_rep)

    key = (*whose, today, definition.version)
    shares = kept_by_team("outcomes.ramps", key, teams_shown(filters.team_id), ramps_of)
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
