"""The dashboard's filters and what they offer: teams, plan roles, start cohorts (months)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from app.accounts.models import User
from app.curriculum.models import PlanTemplate
from app.dashboards.service.sqldates import month_of
from app.dashboards.service.teams import TEAM, of_teams, teams_shown
from app.extensions import db
from app.plans import service as plans
from app.plans.models import Plan
from app.teamshares import TeamTokens, kept_by_team

COHORTS_OFFERED = 24  # the last two years of start months


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows: a team, a role (the plan's), a start cohort (first day)."""

    team_id: int | None = None
    role: str = ""
    cohort: date | None = None

    def team_filters(self, *, with_cohort: bool = True) -> plans.TeamFilters:
        return plans.TeamFilters(
            team_id=self.team_id, role=self.role, cohort=self.cohort if with_cohort else None
        )


def role_choices() -> list[str]:
    """The roles plans are made for ("AE", "SDR"), from the plan templates."""
    return list(
        db.session.scalars(select(PlanTemplate.role).distinct().order_by(PlanTemplate.role))
    )


def cohort_choices(actor: User, tokens: TeamTokens | None = None) -> list[date]:
    """The months the actor's reps' active plans started in, newest first: each team's
    months kept (:func:`kept_by_team`), counted again only for the teams written to."""
    every_team = plans.TeamFilters()
    plans.rep_ids_seen(actor, every_team)  # checks the actor may see the team list
    key = plans.reps_seen_key(actor, every_team)

    def reps() -> Select[Any]:
        return plans.reps_seen(actor, every_team).order_by(None)

    def months_of(teams: list[int]) -> dict[int, set[date]]:
        query = _MONTHS.get(key, reps)
        found: dict[int, set[date]] = {}
        for team, text in db.session.connection().execute(query, {"teams": teams}):
            found.setdefault(team, set()).add(date(int(text[:4]), int(text[5:7]), 1))
        return found

    shares = kept_by_team("dashboards.months", key, teams_shown(None, tokens), months_of, tokens)
    return sorted(set().union(*shares.values()), reverse=True)[:COHORTS_OFFERED]


def _months_query(reps: Select[Any]) -> Select[Any]:
    """The start months of the active plans of ``reps`` of the teams bound as ``teams``."""
    month = month_of(Plan.start_date)
    columns: list[Any] = [TEAM, month]
    return (
        select(*columns)
        .join(User, User.id == Plan.rep_id)
        .where(
            Plan.archived_at.is_(None),
            Plan.rep_id.in_(of_teams(reps).with_only_columns(User.id)),
        )
        .group_by(TEAM, month)
    )


_MONTHS = plans.StatementMemo(_months_query)
