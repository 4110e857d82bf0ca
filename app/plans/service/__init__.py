"""Onboarding plans: assigning them, recording progress, verifying, and tracking completion.

Who may do what (enforced here, whatever the pages show):

* the rep's coach, HR or an admin assigns a plan, verifies a milestone or sends it back;
* only the rep reports progress on their own plan;
* a rep sees their own ramp, a coach their own reps', HR and admins everyone's; the team
  overview is for coaches (their reps), HR and admins (all reps).

Modules: ``access`` (the rules above), ``assigning`` (a plan from the current template),
``progress`` (reporting, verifying, certification milestones), ``overview`` (a rep's ramp
summary), ``roster`` (the team overview's rows: counts in SQL), ``roster_page`` (a page of
them from ``summaries``: each plan's milestones counted, kept in step by a flush hook),
``statuses`` (each rep's status in SQL from those summaries: All reps and the dashboard).
Callers use the names re-exported here.
"""

from app.plans.service.access import (
    can_manage_plans_of,
    can_report_progress,
    can_see_team,
    require_manage_plans_of,
    require_report_progress,
    require_see_team,
)
from app.plans.service.assigning import (
    RAMP_DAYS,
    active_plan,
    active_plan_role,
    active_plans_of,
    active_plans_query,
    active_plans_with_milestones_of,
    assign_first_plans,
    assign_plan,
)
from app.plans.service.overview import (
    PHASES,
    PhaseProgress,
    RampSummary,
    facts,
    ramp_of,
    summarise,
)
from app.plans.service.progress import (
    complete_certification_milestones,
    get_milestone,
    meet_from_actuals,
    milestone_link,
    open_certification_milestones,
    record_progress,
    reopen_certification_milestones,
    send_back,
    verify,
)
from app.plans.service.roster import (
    TEAM_SORTS,
    RepRow,
    TeamFilters,
    TeamPage,
    rep_ids_seen,
    reps_seen,
    reps_seen_key,
    rows_of_reps_coached_by,
    sorted_team_rows,
    status_counts,
    team_overview,
    team_rows,
)
from app.plans.service.roster_page import team_page
from app.plans.service.statuses import (
    STATUS,
    StatementMemo,
    count_by_status,
    on_own_day,
    possible_todays,
    status_count_query,
    status_parameters,
    with_active_plan,
)
from app.plans.service.summaries import refresh_summaries, summaries_query

__all__ = [
    "PHASES",
    "RAMP_DAYS",
    "STATUS",
    "TEAM_SORTS",
    "PhaseProgress",
    "RampSummary",
    "RepRow",
    "StatementMemo",
    "TeamFilters",
    "TeamPage",
    "active_plan",
    "active_plan_role",
    "active_plans_of",
    "active_plans_query",
    "active_plans_with_milestones_of",
    "assign_first_plans",
    "assign_plan",
    "can_manage_plans_of",
    "can_report_progress",
    "can_see_team",
    "complete_certification_milestones",
    "count_by_status",
    "facts",
    "get_milestone",
    "meet_from_actuals",
    "milestone_link",
    "on_own_day",
    "open_certification_milestones",
    "possible_todays",
    "ramp_of",
    "record_progress",
    "refresh_summaries",
    "reopen_certification_milestones",
    "rep_ids_seen",
    "reps_seen",
    "reps_seen_key",
    "require_manage_plans_of",
    "require_report_progress",
    "require_see_team",
    "rows_of_reps_coached_by",
    "send_back",
    "sorted_team_rows",
    "status_count_query",
    "status_counts",
    "status_parameters",
    "summaries_query",
    "summarise",
    "team_overview",
    "team_page",
    "team_rows",
    "verify",
    "with_active_plan",
]
