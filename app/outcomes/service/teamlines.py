"""The outcomes page's judged lines kept per team: after a rep's write, only their team's
lines are read again, not a thousand reps' (:func:`app.teamshares.kept_by_team`).

The page sorts, counts and charts every rep's line, and the whole page is kept while the
data holds (``kept`` in the view); a write anywhere made it read and judge every rep again.
Each team's lines are read as the dashboard's ramp outcomes are
(:mod:`app.dashboards.service.outcomes`): the page's reps statement kept to the teams asked,
and a second statement naming each rep's team.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.accounts.models import User
from app.outcomes.service.definition import Definition
from app.outcomes.service.gathering import RepFilters, kept_reps_query
from app.outcomes.service.judgements import Line, judged_lines
from app.outcomes.service.teamreps import team_reps
from app.teamshares import kept_by_team, teams_shown


def everyones_lines(
    actor: User, filters: RepFilters, today: date, definition: Definition | None
) -> list[Line]:
    """Every rep of the page's (``filters`` without a cohort) as a judged line, by name: the
    teams' kept lines put together, those of the teams written to read again."""
    reps = kept_reps_query(actor, filters)
    if definition is None:  # nothing judged, nothing kept: nobody has targets
        return judged_lines(reps, today, definition)
    whose = (None if actor.sees_everyone else actor.id, filters)

    def lines_of(teams: list[int]) -> dict[int, list[Line]]:
        given = {"teams": teams}
        statements = team_reps(("outcomes.lines", *whose), lambda: reps)
        lines = judged_lines(statements.reps, today, definition, given)
        team_by_rep = statements.teams_by_rep(given)
        by_team: dict[int, list[Line]] = {}
        for line in lines:
            by_team.setdefault(team_by_rep[line[0]], []).append(line)
        return by_team

    key = (*whose, today, definition.version)
    shares = kept_by_team("outcomes.lines", key, teams_shown(filters.team_id), lines_of)
    merged = [line for lines in shares.values() for line in lines]
    merged.sort(key=_by_name)
    return merged


def _by_name(line: Line) -> tuple[Any, ...]:
    """The page's default order (its ``name`` sort), whatever the teams' order."""
    return (line[1], line[0])


__all__ = ["everyones_lines"]
