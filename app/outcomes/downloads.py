"""The outcomes tables as exports (CSV and Excel, ``app.exports``): every rep's ramp outcomes,
and which parts of the plan go with faster ramps. Each builder reads the page's own query
arguments and calls the page's services, so the file says what the page says, every row."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.accounts.models import User
from app.exports.registry import Column, Export, Kind, Table, register
from app.outcomes import service
from app.outcomes.service.arguments import filters_from_args
from app.outcomes.service.drivers import DRIVER_SORT_KEYS, DRIVER_SORTS, plan_drivers
from app.outcomes.service.listing import SORT_KEYS
from app.pagination import PageRequest

NOT_ENOUGH = "Not enough reps"


def outcomes_table(actor: User, args: Mapping[str, str], today: date) -> Table:
    """Each rep: team, role, start, days to the firsts, the day they ramped and days to ramp."""
    rows = service.outcome_rows(actor, filters_from_args(args), today)
    asked = PageRequest.from_args(args, service.OUTCOME_SORTS, default_sort="name")
    rows.sort(key=SORT_KEYS[asked.sort], reverse=asked.descending)
    columns = [
        Column("rep", "Rep", width=28),
        Column("team", "Team", width=18),
        Column("role", "Role", width=8),
        Column("start", "Started", Kind.DATE, 12),
        Column("first_meeting", "Days to first meeting", Kind.INTEGER, 12),
        Column("first_opportunity", "Days to first opportunity", Kind.INTEGER, 12),
        Column("first_deal", "Days to first won deal", Kind.INTEGER, 12),
        Column("ramped_on", "Ramped on", Kind.DATE, 12),
        Column("ramped_day", "Days to ramp", Kind.INTEGER, 10),
        Column("score", "Readiness", Kind.NUMBER, 10),
    ]
    lines = (
        {
            "rep": row.full_name,
            "team": row.team or "",
            "role": row.role or "",
            "start": row.start,
            "first_meeting": row.first_meeting,
            "first_opportunity": row.first_opportunity,
            "first_deal": row.first_deal,
            "ramped_on": row.ramped_on,
            "ramped_day": row.ramped_day,
            "score": row.score_points,
        }
        for row in rows
    )
    return Table(columns, lines)


def drivers_table(actor: User, args: Mapping[str, str], today: date) -> Table:
    """Each milestone and certification stage: both groups' reps and median days to ramp."""
    found = plan_drivers(actor, filters_from_args(args), today)
    asked = PageRequest.from_args(args, DRIVER_SORTS, default_sort="part")
    comparisons = sorted(
        found.comparisons, key=DRIVER_SORT_KEYS[asked.sort], reverse=asked.descending
    )
    columns = [
        Column("part", "Milestone or certification", width=40),
        Column("kind", "Kind", width=14),
        Column("on_time_reps", "On time: reps", Kind.INTEGER, 10),
        Column("on_time_ramped", "On time: ramped", Kind.INTEGER, 10),
        Column("on_time_days", "On time: median days to ramp", Kind.NUMBER, 14),
        Column("late_reps", "Late or not done: reps", Kind.INTEGER, 10),
        Column("late_ramped", "Late or not done: ramped", Kind.INTEGER, 10),
        Column("late_days", "Late or not done: median days to ramp", Kind.NUMBER, 14),
        Column("faster", "Days sooner on time", Kind.NUMBER, 12),
        Column("note", "Note", width=40),
    ]
    note = f"A correlation, not a cause; compared with at least {found.minimum} ramped reps a group"

    def line(c: Any) -> dict[str, Any]:
        return {
            "part": c.label,
            "kind": "Certification" if c.kind == "certification" else "Milestone",
            "on_time_reps": c.on_time.reps,
            "on_time_ramped": c.on_time.ramped,
            "on_time_days": c.on_time.median_days,
            "late_reps": c.late.reps,
            "late_ramped": c.late.ramped,
            "late_days": c.late.median_days,
            "faster": c.days_faster,
            "note": note if c.enough else NOT_ENOUGH,
        }

    return Table(columns, (line(c) for c in comparisons))


see_outcomes = service.require_see_outcomes
register(Export("ramp-outcomes", "Ramp outcomes", outcomes_table, "outcomes.index", see_outcomes))
register(
    Export("plan-drivers", "Plan and ramp time", drivers_table, "outcomes.drivers", see_outcomes)
)
