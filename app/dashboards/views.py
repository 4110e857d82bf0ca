"""The ramp dashboard, the coaches' overview and a coach's own page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.accounts import service as accounts
from app.dashboards import service
from app.dashboards.forms import DashboardFilterForm
from app.dashboards.presenting import coach_charts, ramp_charts
from app.generation import kept
from app.lookup import parse_id
from app.outcomes.summary import RampSummary
from app.pagination import PageRequest

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the services decide what they may see."""


@bp.get("")
def ramp() -> str:
    form = DashboardFilterForm(request.args)
    form.team.choices = [("", "All teams")] + [
        (str(team.id), team.name) for team in accounts.teams_for(current_user)
    ]
    form.role.choices = [("", "All roles")] + [(r, r) for r in service.role_choices()]
    filters = service.Filters(
        team_id=parse_id(form.team.data),
        role=form.role.data if form.role.data in dict(form.role.choices) else "",
        cohort=_month(form.cohort.data),
    )
    figures = kept("dashboards.ramp", (current_user.id, filters), lambda: _figures(filters))
    form.cohort.choices = [("", "All start months")] + [
        (f"{month:%Y-%m}", f"{month:%B %Y}") for month in figures.cohorts
    ]
    return render_template(
        "dashboards/ramp.html",
        form=form,
        dashboard=figures.dashboard,
        charts=figures.charts,
        outcomes=figures.outcomes,
    )


@dataclass(frozen=True)
class _RampFigures:
    """Everything the dashboard works out from the data, kept while the data holds."""

    cohorts: list[date]
    dashboard: service.RampDashboard
    charts: dict[str, Any]
    outcomes: RampSummary | None


def _figures(filters: service.Filters) -> _RampFigures:
    """Each part from its teams' shares, worked out again only for the teams written to."""
    found = service.dashboard_figures(current_user, filters)
    return _RampFigures(
        cohorts=found.cohorts,
        dashboard=found.dashboard,
        charts=ramp_charts(found.dashboard),
        outcomes=found.outcomes,
    )


@bp.get("/coaches")
def coaches() -> str:
    page_request = PageRequest.from_args(request.args, service.COACH_SORTS, default_sort="name")
    page = service.coaches_page(current_user, page_request)
    return render_template("dashboards/coaches.html", page=page)


@bp.get("/coaches/<int:coach_id>")
def coach(coach_id: int) -> str:
    page = service.coach_page(current_user, coach_id)
    return render_template("dashboards/coach.html", page=page, chart=coach_charts(page))


def _month(value: str | None) -> date | None:
    """``2026-03`` as the first of March 2026; anything else as no cohort."""
    text = (value or "").strip()
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
        return None
    year, month = int(text[:4]), int(text[5:])
    return date(year, month, 1) if 1 <= month <= 12 and year >= 1900 else None
