"""A rep's team in the dashboard's figures kept per team (:func:`app.generation.kept_by_team`):
every share is counted per team, the reps with no team as ``NO_TEAM``
(:data:`app.outcomes.service.teamreps.TEAM`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam

from app.outcomes.service.teamreps import TEAM
from app.teamshares import teams_shown


def of_teams(reps: Select[Any]) -> Select[Any]:
    """A query of people with their team (``team``), kept to the teams bound as ``teams``."""
    return reps.add_columns(TEAM.label("team")).where(TEAM.in_(bindparam("teams", expanding=True)))


__all__ = ["TEAM", "of_teams", "teams_shown"]
