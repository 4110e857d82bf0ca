"""The dashboard's ramp outcomes: the outcomes page's reps, summed up (shares ramped by day
30/60/90/180, the median days to ramp), from each team's judged ramps kept per team."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select

from app.accounts.models import User
from app.dashboards.service.filters import Filters
from app.dashboards.service.teams import teams_shown
from app.outcomes import service as outcomes
from app.outcomes.cohorts import RepRamp
from app.outcomes.service.definition import current_definition
from app.outcomes.service.gathering import kept_reps_query
from app.outcomes.service.judgements import judged_ramps
from app.outcomes.service.summary import summary_of_cohort
from app.outcomes.service.teamreps import team_reps
from app.outcomes.summary import RampSummary, ramp_summary
from app.teamshares import TeamTokens, kept_by_team


def ramp_outcomes(
    actor: User, filters: Filters, today: date, tokens: TeamTokens | None = None
) -> RampSummary:
    """The ramp outcomes of the dashboard's reps (the outcomes page's rules: only reps with
    a start date and targets for their role count), ``today`` being the actor's own."""
    outcomes.require_see_outcomes(actor)
    definition = current_definition()
    if definition is None:  # no targets: nobody can ramp
        return ramp_summary([], today)
    coach_id = None if actor.sees_everyone else actor.id
    every_team = outcomes.RepFilters(role=filters.role)

    def reps() -> Select[Any]:
        # Without the team's name and the order, as the outcomes summary reads them.
        return kept_reps_query(actor, every_team, with_team=False, ordered=False)

    def ramps_of(teams: list[int]) -> dict[int, list[RepRamp]]:
        given = {"teams": teams}
        statements = team_reps(("dashboards.outcomes", coach_id, filters.role), reps)
        ramps, _starts = judged_ramps(statements.reps, today, definition, given)
        team_by_rep = statements.teams_by_rep(given)
        by_team: dict[int, list[RepRamp]] = {}
        for ramp in ramps:
            by_team.setdefault(team_by_rep[ramp.rep_id], []).append(ramp)
        return by_team

    key = (coach_id, filters.role, today, definition.version)
    teams = teams_shown(filters.team_id, tokens)
    shares = kept_by_team("dashboards.outcomes", key, teams, ramps_of, tokens)
    cohort = f"{filters.cohort:%Y-%m}" if filters.cohort else ""
    return summary_of_cohort([r for share in shares.values() for r in share], cohort, today)
