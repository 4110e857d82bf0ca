"""A page of the team overview (All reps, My team), read from the plan summaries.

The counts by status speak of every rep the filters keep, so every rep's status is needed on
each view. Rather than counting a thousand plans' milestones, one query joins each rep's
active plan to its summary (:class:`PlanSummary`, kept in step by a flush hook) and SQL
compares the plan's three earliest open due dates with each of the three dates any zone's
today can be: that is the overdue count up to three, all a status needs (three or more is
at risk) with the oldest open due date. The rows shown, and every row when the list is sorted
by overdue, then have their exact overdue count asked of the milestones, for their plans only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    bindparam,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.orm import aliased

from app.accounts.models import Team, User
from app.extensions import db
from app.pagination import Page, PageRequest, paginate_rows
from app.plans.models import PAUSE_COLUMNS, Milestone, MilestoneStatus, Plan, PlanSummary
from app.plans.schedule import day_of_ramp
from app.plans.service.access import require_see_team
from app.plans.service.roster import (
    SORT_KEYS,
    STATUS_ORDER,
    ListedCoach,
    ListedRep,
    ListedTeam,
    RepRow,
    TeamFilters,
    TeamPage,
    reps_seen,
    status_counts,
)
from app.plans.service.statuses import (
    STATUS,
    count_by_status,
    possible_todays,
    status_count_query,
    status_parameters,
    with_active_plan,
)
from app.plans.status import AT_RISK_OVERDUE_COUNT, RepStatus, rep_status_from_counts
from app.timezones import today_in


def team_page(
    actor: User,
    filters: TeamFilters,
    request: PageRequest,
    now: datetime | None = None,
) -> TeamPage:
    """One page of the reps the actor may see, filtered and sorted, with counts by status."""
    require_see_team(actor)
    moment = now or datetime.now(UTC)
    days = possible_todays(moment)
    if request.sort in _SQL_ORDER:
        return _page_in_sql(actor, filters, request, moment, days)
    rows = _summary_rows(actor, filters, moment, days, request.sort)
    if filters.status:
        rows = [row for row in rows if row.status == filters.status]
    if request.sort == "overdue":
        # Sorting by overdue needs the exact count of every row that has three or more.
        _add_exact_overdue([row for row in rows if row.overdue >= AT_RISK_OVERDUE_COUNT], days)
    page = paginate_rows(rows, request, SORT_KEYS)
    if request.sort != "overdue":
        _add_exact_overdue(page.items, days)
    if request.sort != "day":
        _add_days(page.items)
    _load_people(page.items)
    return TeamPage(page=page, counts=status_counts(rows))


def _overdue_up_to_three(position: int) -> ColumnElement[int]:
    """How many of the plan's three earliest open due dates are before the ``position``-th
    possible today (a parameter: the columns are built once, not on every view)."""
    day = bindparam(f"day_{position}", type_=Date)
    first, second, third = (
        PlanSummary.first_open_due,
        PlanSummary.second_open_due,
        PlanSummary.third_open_due,
    )
    return case((third < day, 3), (second < day, 2), (first < day, 1), else_=0)


_OVERDUE_UP_TO_THREE = [_overdue_up_to_three(position) for position in range(3)]
_COUNTS = [
    func.coalesce(column, 0)
    for column in (
        PlanSummary.milestones,
        PlanSummary.unfinished,
        PlanSummary.submitted,
        PlanSummary.phase1_done,
        PlanSummary.phase1_total,
        PlanSummary.phase2_done,
        PlanSummary.phase2_total,
        PlanSummary.phase3_done,
        PlanSummary.phase3_total,
    )
]


def _summary_rows(
    actor: User, filters: TeamFilters, moment: datetime, days: Sequence[date], sort: str
) -> list[RepRow]:
    """Every kept rep's row, by name, in one query of narrow columns; overdue up to three.

    A thousand rows: read as plain rows (not through the ORM's loading), and the day of ramp
    worked out only when the list is sorted by it (the page's rows get theirs later)."""
    query = _with_summaries(reps_seen(actor, filters))
    days_given = {f"day_{position}": day for position, day in enumerate(days)}
    column_of = {day: 9 + position for position, day in enumerate(days)}
    todays: dict[str, date] = {}
    rows: list[RepRow] = []
    for line in db.session.connection().execute(query, days_given).all():
        rows.append(_row_of(line, moment, todays, column_of))
    if sort == "day":
        _add_days(rows)
    return rows


def _with_summaries(reps: Select[Any]) -> Select[Any]:
    """The reps' rows with their active plan's columns and summary (see :func:`_row_of`)."""
    return with_active_plan(
        reps.add_columns(
            Plan.id,
            Plan.start_date,
            Plan.business_days,
            *PAUSE_COLUMNS,
            PlanSummary.first_open_due,
            *_OVERDUE_UP_TO_THREE,
            *_COUNTS,
        )
    )


def _row_of(
    line: Any, moment: datetime, todays: dict[str, date], column_of: dict[date, int]
) -> RepRow:
    """A rep's row from a line of :func:`_with_summaries` (``todays`` caches each zone's)."""
    (rep_id, full_name, zone, plan_id, start, business, paused_from, paused_until) = line[:8]
    today = todays.get(zone)
    if today is None:
        today = todays[zone] = today_in(zone, moment)
    row = RepRow(rep_id, full_name, today)
    if plan_id is None:
        return row
    milestones, unfinished, submitted, p1, t1, p2, t2, p3, t3 = line[12:21]
    paused = paused_from is not None and paused_until is not None
    paused = paused and paused_from <= today < paused_until
    overdue = 0 if paused else line[column_of[today]]
    row.has_plan = True
    row.plan_id = plan_id
    row.start = (start, business)
    row.overdue = overdue
    row.to_verify = submitted
    row.phase_counts = ((p1, t1), (p2, t2), (p3, t3))
    row.status = rep_status_from_counts(
        all_done=milestones > 0 and not unfinished,
        overdue=overdue,
        oldest_overdue=line[8] if overdue else None,
        today=today,
        paused=paused,
    )
    return row


def _add_days(rows: Sequence[RepRow]) -> None:
    for row in rows:
        if row.start is not None:
            row.day = day_of_ramp(row.start[0], row.today, row.start[1])


def _exact_overdue() -> Select[Any]:
    """Per plan in the ``plans`` parameter: its open milestones due before each possible
    today (built once; the plans and days are parameters)."""
    is_open = Milestone.status == MilestoneStatus.OPEN
    columns: list[Any] = [
        Milestone.plan_id,
        *(
            func.count(case((Milestone.due_date < bindparam(f"day_{position}", type_=Date), 1)))
            for position in range(3)
        ),
    ]
    query: Select[Any] = (
        select(*columns)
        .where(Milestone.plan_id.in_(bindparam("plans", expanding=True)), is_open)
        .group_by(Milestone.plan_id)
    )
    return query


_EXACT = _exact_overdue()


def _add_exact_overdue(rows: Sequence[RepRow], days: Sequence[date]) -> None:
    """Replace the rows' overdue counts (up to three) with the exact ones: one query over
    their plans' open milestones, counted on each of ``days``. Paused plans stay at 0."""
    planned = [row for row in rows if row.plan_id is not None]
    if not planned:
        return
    given: dict[str, Any] = {f"day_{position}": day for position, day in enumerate(days)}
    given["plans"] = [row.plan_id for row in planned]
    counts = {line[0]: line[1:] for line in db.session.connection().execute(_EXACT, given)}
    column_of = {day: position for position, day in enumerate(days)}
    for row in planned:
        if row.overdue:  # 0 when nothing is overdue or the plan is paused
            row.overdue = counts[row.plan_id][column_of[row.today]]


_COACH = aliased(User)
# The page's reps with their team's and coach's names: the few columns a row shows, as plain
# rows (not users loaded with their team and coach through the ORM).
_PEOPLE = (
    select(User.id, User.email, User.full_name, Team.name, _COACH.full_name)
    .outerjoin(Team, Team.id == User.team_id)
    .outerjoin(_COACH, _COACH.id == User.coach_id)
    .where(User.id.in_(bindparam("reps", expanding=True)))
)


def _load_people(rows: Sequence[RepRow]) -> None:
    """The page's reps as people, with their team and coach: one query."""
    if not rows:
        return
    lines = db.session.connection().execute(_PEOPLE, {"reps": [row.rep_id for row in rows]})
    by_id = {
        rep_id: ListedRep(
            rep_id,
            email,
            name,
            None if team is None else ListedTeam(team),
            None if coach is None else ListedCoach(coach),
        )
        for rep_id, email, name, team, coach in lines
    }
    for row in rows:
        row.rep = by_id[row.rep_id]


# --- the page in SQL: counts by status, and only the page's rows read --------------------

# The orders SQL can give exactly as the rows' keys (:data:`SORT_KEYS`) would: the day of
# ramp (business days) and the phases' rounded percentages stay in Python.
_SQL_ORDER = ("name", "status", "to_verify")


_status_rank = case(
    *((literal(status.value) == STATUS, rank) for status, rank in STATUS_ORDER.items()),
    else_=len(RepStatus),
)


def _page_in_sql(
    actor: User, filters: TeamFilters, request: PageRequest, moment: datetime, days: list[date]
) -> TeamPage:
    """The page sorted by name, status or waiting count: SQL counts every kept rep by status
    and reads only the page's rows (a thousand reps are not pushed through Python)."""
    given = status_parameters(moment)
    reps = reps_seen(actor, filters).order_by(None)
    # Every kept rep's status, counted in SQL: only the page's rows are read below.
    counts = count_by_status(status_count_query(reps), given)
    if filters.status:  # the counts, like the rows, are of the status asked for only
        counts = {
            status: count if status == filters.status else 0 for status, count in counts.items()
        }
    total = sum(counts.values())
    last = max(1, math.ceil(total / request.per_page))  # past the end: the last page
    request = request if request.number <= last else replace(request, number=last)
    query = _with_summaries(reps)
    if filters.status:
        query = query.where(literal(filters.status.value) == STATUS)
    query = query.order_by(*_sql_order(request)).limit(request.per_page).offset(request.offset)
    todays: dict[str, date] = {}
    column_of = {day: 9 + position for position, day in enumerate(days)}
    lines = db.session.connection().execute(query, given).all()
    rows = [_row_of(line, moment, todays, column_of) for line in lines]
    _add_exact_overdue(rows, days)
    _add_days(rows)
    _load_people(rows)
    return TeamPage(page=Page(rows, total, request), counts=counts)


def _sql_order(request: PageRequest) -> list[Any]:
    """The order of :data:`SORT_KEYS` for ``request.sort``: a stable sort, so ties keep the
    name order even when descending."""
    by_name: list[Any] = [User.full_name, User.id]
    if request.sort == "name":
        return [column.desc() for column in by_name] if request.descending else by_name
    key: ColumnElement[Any] = (
        _status_rank if request.sort == "status" else func.coalesce(PlanSummary.submitted, 0)
    )
    return [key.desc() if request.descending else key, *by_name]
