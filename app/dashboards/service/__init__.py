"""Dashboard services: the ramp in numbers, cohorts compared, coaches held to account.

Who sees what (enforced here): the ramp dashboard is for coaches (their own reps), HR and
admins (everyone, by team); the overview of all coaches is for HR and admins; a coach's own
page for that coach, HR and admins.

Modules: ``filters`` (team, role, start cohort), ``ramp`` (funnel, heatmap, certification
progress, commitments, who needs attention), ``cohorts`` (a cohort against earlier ones at
the same plan day), ``coaches`` (cadence, waits, follow-through), ``sqldates`` (day
arithmetic that compiles for SQLite and PostgreSQL).
"""

# Registers which team each written row belongs to (figures kept per team).
from app.dashboards.service import scopes as _scopes  # noqa: F401
from app.dashboards.service.coaches import (
    COACH_SORTS,
    CadencePoint,
    CoachPage,
    CoachRow,
    can_see_coach,
    coach_page,
    coach_rows,
    coaches_page,
    median_of,
    require_see_coaches,
)
from app.dashboards.service.cohorts import CohortComparison, CohortFigures, compare_cohorts
from app.dashboards.service.filters import Filters, cohort_choices, role_choices
from app.dashboards.service.outcomes import ramp_outcomes
from app.dashboards.service.ramp import (
    FUNNEL,
    PLAN_WEEKS,
    Attention,
    CommitmentsKept,
    Heatmap,
    RampDashboard,
    StageProgress,
    ramp_dashboard,
)
from app.dashboards.service.warming import (
    DashboardFigures,
    dashboard_figures,
    warm_organisation_shares,
)

__all__ = [
    "COACH_SORTS",
    "FUNNEL",
    "PLAN_WEEKS",
    "Attention",
    "CadencePoint",
    "CoachPage",
    "CoachRow",
    "CohortComparison",
    "CohortFigures",
    "CommitmentsKept",
    "DashboardFigures",
    "Filters",
    "Heatmap",
    "RampDashboard",
    "StageProgress",
    "can_see_coach",
    "coach_page",
    "coach_rows",
    "coaches_page",
    "cohort_choices",
    "compare_cohorts",
    "dashboard_figures",
    "median_of",
    "ramp_dashboard",
    "ramp_outcomes",
    "require_see_coaches",
    "role_choices",
    "warm_organisation_shares",
]
