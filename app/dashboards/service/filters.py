"""The dashboard's filters and what they offer: teams, plan roles, start cohorts (months)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from app.accounts.models import User
from app.curriculum.models import PlanTemplate
from app.dashboards.service.sqldates import month_of
from app.extensions import db
from app.plans import service as plans
from app.plans.models import Plan

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


def cohort_choices(actor: User) -> list[date]:
    """The months the actor's reps' active plans started in, newest first (one query)."""
    plans.require_see_team(actor)
    everyone = plans.TeamFilters()
    query = _COHORTS.get(
        plans.reps_seen_key(actor, everyone), lambda: plans.rep_ids_seen(actor, everyone)
    )
    return [date(int(text[:4]), int(text[5:7]), 1) for text in db.session.scalars(query)]


def _cohorts_query(rep_ids: Select[Any]) -> Select[Any]:
    month = month_of(Plan.start_date)
    return (
        select(month)
        .where(Plan.archived_at.is_(None), Plan.rep_id.in_(rep_ids))
        .group_by(month)
        .order_by(month.desc())
        .limit(COHORTS_OFFERED)
    )


# Built once per whose reps: the dashboard asks on every view it works out anew.
_COHORTS = plans.StatementMemo(_cohorts_query)
