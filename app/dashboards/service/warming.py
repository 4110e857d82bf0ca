"""The ramp dashboard's figures for one person and filters (what the view keeps), and the
organisation's worked out as a web process starts (``app/serving.py``).

HR's and admins' ramp dashboard sums every team's share (:mod:`.ramp`), and a process that
has kept none works all fifty teams out on its first view: about 40 ms on SQLite and 55 ms
on PostgreSQL at 1,000 reps, several times a page's usual time, paid in each gunicorn
worker by whoever comes first. Working them out before the process serves anyone keeps that
first view to merging kept shares, as every later view is until a team is written to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.accounts import service as accounts
from app.accounts.models import Role, User, UserRole
from app.dashboards.service.filters import Filters, cohort_choices
from app.dashboards.service.outcomes import ramp_outcomes
from app.dashboards.service.ramp import RampDashboard, ramp_dashboard
from app.extensions import db
from app.outcomes import service as outcomes
from app.outcomes.summary import RampSummary
from app.teamshares import TeamTokens, team_tokens


@dataclass(frozen=True)
class DashboardFigures:
    """What the ramp dashboard works out from the data for one person and filters."""

    cohorts: list[date]  # the start months offered
    dashboard: RampDashboard
    outcomes: RampSummary | None  # None: the person does not see outcomes


def dashboard_figures(
    actor: User, filters: Filters, tokens: TeamTokens | None = None
) -> DashboardFigures:
    """The dashboard's figures, each part from its teams' kept shares (worked out again only
    for the teams written to); ``tokens``: the teams' tokens, read once for every part."""
    tokens = tokens or team_tokens()
    dashboard = ramp_dashboard(actor, filters, tokens=tokens)
    summary = None
    if outcomes.can_see_outcomes(actor):
        summary = ramp_outcomes(actor, filters, accounts.local_today(actor), tokens)
    return DashboardFigures(cohort_choices(actor, tokens), dashboard, summary)


def warm_organisation_shares() -> bool:
    """Keep the shares of the dashboard as everyone who oversees the organisation sees it
    unfiltered (the same for each of them): its figures, ramp outcomes and start months.
    False when nobody oversees it yet (a new installation)."""
    overseer = db.session.scalar(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role.in_([Role.HR, Role.ADMIN]))
        .order_by(User.id)
        .limit(1)
    )
    if overseer is None:
        return False
    dashboard_figures(overseer, Filters())
    return True
