"""A rep's team in the dashboard's figures kept per team (:func:`app.generation.kept_by_team`):
every share is counted per team, the reps with no team as :data:`NO_TEAM`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, func

from app.accounts.models import User
from app.generation import NO_TEAM
from app.teamshares import TeamTokens, team_tokens

TEAM = func.coalesce(User.team_id, NO_TEAM)


def of_teams(reps: Select[Any]) -> Select[Any]:
    """A query of people with their team (``team``), kept to the teams bound as ``teams``."""
    return reps.add_columns(TEAM.label("team")).where(TEAM.in_(bindparam("teams", expanding=True)))


def teams_shown(team_id: int | None, tokens: TeamTokens | None) -> list[int]:
    """The chosen team, or every team (and the reps with none)."""
    if team_id is not None:
        return [team_id]
    return list((tokens or team_tokens()).teams)
