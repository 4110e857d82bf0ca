"""The outcomes' reps read a team at a time, for figures kept per team
(:func:`app.teamshares.kept_by_team`): a reps query kept to the teams bound as ``teams``, and
a statement naming each of those reps' team. The outcomes page's lines, the drivers page's
ramps and the dashboard's ramp outcomes read their teams' reps this way."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func

from app.accounts.models import User
from app.extensions import db
from app.generation import NO_TEAM
from app.plans.service import StatementMemo

TEAM = func.coalesce(User.team_id, NO_TEAM)  # a rep's team (NO_TEAM: none)
_REP_AND_TEAM: list[Any] = [User.id, TEAM]
# Built once per key (whose reps, which filters, for which figures), as the statements
# derived from them are.
_REPS = StatementMemo(lambda reps: reps.where(TEAM.in_(bindparam("teams", expanding=True))))
_TEAM_OF = StatementMemo(lambda reps: reps.with_only_columns(*_REP_AND_TEAM).order_by(None))


@dataclass(frozen=True)
class TeamReps:
    reps: Select[Any]  # the reps of the teams bound as ``teams``, as the query asked
    team_of: Select[Any]  # each of them and their team

    def teams_by_rep(self, params: Mapping[str, Any]) -> dict[int, int]:
        """Each rep's team, for the teams in ``params``."""
        return dict(db.session.connection().execute(self.team_of, params).all())


def team_reps(key: Hashable, reps: Callable[[], Select[Any]]) -> TeamReps:
    """The statements for ``reps()`` (a query of people), kept under ``key``: one key per
    reps query (the caller names what the figures are, whose reps and which filters)."""
    kept = _REPS.get(key, reps)
    return TeamReps(kept, _TEAM_OF.get(key, lambda: kept))


__all__ = ["TEAM", "TeamReps", "team_reps"]
