"""The team overview's rows (All reps, My team): every rep's status from counts in SQL.

A thousand reps hold some twenty thousand milestones; the lists never load them. One query
lists the reps the actor may see (light rows) with their active plans and each plan's
milestones counted (done, waiting for verification, overdue on the rep's own today, the
oldest overdue due date), and the status rules in :mod:`app.plans.status` run on those
counts: exact figures for every row, for the dashboards, the work queue, digests and exports.
The team page itself reads the plan summaries instead (:mod:`.roster_page`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Select, and_, case, exists, func, literal, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User, UserRole
from app.curriculum.models import PlanTemplate
from app.extensions import db
from app.pagination import Page, PageRequest
from app.plans.models import PAUSE_COLUMNS, UNFINISHED, Milestone, MilestoneStatus, Plan, paused_on
from app.plans.schedule import day_of_ramp
from app.plans.service.access import require_see_team
from app.plans.service.overview import PHASES, PhaseProgress, RampSummary, summarise
from app.plans.status import RepStatus, rep_status_from_counts
from app.timezones import today_in

TEAM_SORTS = ("name", "status", "day", "overdue", "to_verify", "phase1", "phase2", "phase3")

# Most urgent first when the list is sorted by status.
STATUS_ORDER = {
    RepStatus.AT_RISK: 0,
    RepStatus.BEHIND: 1,
    RepStatus.ON_TRACK: 2,
    RepStatus.PAUSED: 3,
    RepStatus.COMPLETE: 4,
    RepStatus.NO_PLAN: 5,
}


@dataclass(frozen=True)
class TeamFilters:
    team_id: int | None = None
    coach_id: int | None = None
    status: RepStatus | None = None
    search: str = ""
    # The role of the rep's active plan's template ("SDR", "AE") and the month it started in
    # (its first day): the dashboards' filters.
    role: str = ""
    cohort: date | None = None


@dataclass(frozen=True)
class ListedTeam:
    name: str


@dataclass(frozen=True)
class ListedCoach:
    full_name: str


@dataclass(frozen=True)
class ListedRep:
    """The person on a row of the team list, as the row shows them (not the whole user):
    read as plain columns for the page's rows only."""

    id: int
    email: str
    full_name: str
    team: ListedTeam | None
    coach: ListedCoach | None


@dataclass
class RepRow:
    """One rep's line in the team overview, computed from counts, not milestones."""

    rep_id: int
    full_name: str
    today: date
    has_plan: bool = False
    plan_id: int | None = None
    day: int = 0
    status: RepStatus = RepStatus.NO_PLAN
    overdue: int = 0
    to_verify: int = 0
    # (done, total) for each of PHASES, in order (none without a plan): the progress bars are
    # built from these for the rows shown only; sorting by a phase needs just its percentage.
    phase_counts: tuple[tuple[int, int], ...] = ()
    rep: ListedRep | None = None  # loaded for the rows of the page shown
    # The active plan's start and whether it counts business days, when the day of ramp is
    # worked out later (the team page does it for the rows shown only).
    start: tuple[date, bool] | None = None

    @property
    def phases(self) -> list[PhaseProgress]:
        return [
            PhaseProgress(
                number=number,
                name=f"Days {first} to {last}",
                first_day=first,
                last_day=last,
                done=done,
                total=total,
            )
            for (number, first, last), (done, total) in zip(PHASES, self.phase_counts, strict=False)
        ]

    @property
    def phase_cells(self) -> list[tuple[int, int, int, int, int]]:
        """(total, done, first day, last day, percent) of each phase: what a list's cell shows,
        as plain values (cheaper in a template than :attr:`phases`' objects)."""
        return [
            (total, done, first, last, round(100 * done / total) if total else 0)
            for (_number, first, last), (done, total) in zip(
                PHASES, self.phase_counts, strict=False
            )
        ]

    def phase_percent(self, number: int) -> int:
        for (phase, _first, _last), (done, total) in zip(PHASES, self.phase_counts, strict=False):
            if phase == number:
                return round(100 * done / total) if total else 0
        return 0


@dataclass(frozen=True)
class TeamPage:
    """A page of the overview and the count by status of every rep the filters kept."""

    page: Page[RepRow]
    counts: dict[RepStatus, int]


def _phase_key(row: RepRow, number: int) -> int:
    return row.phase_percent(number) if row.has_plan else -1


SORT_KEYS: Mapping[str, Callable[[RepRow], Any]] = {
    "name": lambda row: (row.full_name, row.rep_id),
    "status": lambda row: STATUS_ORDER[row.status],
    "day": lambda row: row.day if row.has_plan else -1,
    "overdue": lambda row: row.overdue,
    "to_verify": lambda row: row.to_verify,
    "phase1": lambda row: _phase_key(row, 1),
    "phase2": lambda row: _phase_key(row, 2),
    "phase3": lambda row: _phase_key(row, 3),
}


def sorted_team_rows(
    actor: User, filters: TeamFilters, request: PageRequest, now: datetime | None = None
) -> list[RepRow]:
    """Every row of the team overview, in the page's order, with all details (for exports)."""
    rows = team_rows(actor, filters, now, details=True)
    key = SORT_KEYS.get(request.sort)
    if key is not None:
        rows.sort(key=key, reverse=request.descending)
    return rows


def team_rows(
    actor: User, filters: TeamFilters, now: datetime | None = None, details: bool = True
) -> list[RepRow]:
    """Every rep the actor may see that the filters keep, by name, in one query.

    A coach sees their own reps, HR and admins everyone's. Without ``details``, the rows have
    their status, day and overdue figures but not the waiting milestones and phases.
    """
    require_see_team(actor)
    rows = _rows(reps_seen(actor, filters), now or datetime.now(UTC), details)
    if filters.status:
        rows = [row for row in rows if row.status == filters.status]
    return rows


def rows_of_reps_coached_by(coach_ids: Sequence[int], now: datetime) -> dict[int, list[RepRow]]:
    """The active reps of several coaches, by coach, with their status: for the coaches' work
    queues and digests, in as many queries for a thousand coaches as for one (no access check:
    the caller decides whose rows these are)."""
    pairs = db.session.execute(select(User.id, User.coach_id).where(User.coach_id.in_(coach_ids)))
    coach_of = {rep_id: coach_id for rep_id, coach_id in pairs if coach_id is not None}
    reps = reps_seen(None, TeamFilters()).where(User.coach_id.in_(coach_ids))
    found: dict[int, list[RepRow]] = {coach_id: [] for coach_id in coach_ids}
    for row in _rows(reps, now, details=False):
        found[coach_of[row.rep_id]].append(row)
    return found


def _rows(reps: Select[Any], moment: datetime, details: bool) -> list[RepRow]:
    # Overdue is counted against each of the reps' todays: every time zone's today is the UTC
    # date, the day before or the day after (offsets run from -12 to +14 hours), so the three
    # are counted and each row takes its own, without first asking which zones the reps use.
    utc_today = moment.astimezone(UTC).date()
    days = [utc_today + timedelta(days=offset) for offset in (-1, 0, 1)]
    todays: dict[str, date] = {}
    rep_ids = reps.with_only_columns(User.id).order_by(None)
    counts = _plan_counts(rep_ids, days, details).subquery("counts")
    has_milestones = exists().where(Milestone.plan_id == Plan.id)
    plan = (Plan.id, Plan.start_date, Plan.business_days, *PAUSE_COLUMNS, has_milestones)
    query = (
        reps.add_columns(*plan, *counts.c[1:])
        .outerjoin(Plan, and_(Plan.rep_id == User.id, Plan.archived_at.is_(None)))
        .outerjoin(counts, counts.c.plan_id == Plan.id)
    )
    column_of = {day: position for position, day in enumerate(days)}
    rows = []
    for line in db.session.execute(query):
        today = todays.get(line.timezone)
        if today is None:
            today = todays[line.timezone] = today_in(line.timezone, moment)
        rows.append(_row(line, today, column_of, details))
    return rows


def reps_seen(actor: User | None, filters: TeamFilters) -> Select[Any]:
    """The active reps the actor may see (None: everyone) that the filters keep, by name."""
    columns: list[Any] = [User.id, User.full_name, User.timezone]
    a_coach = actor is not None and not actor.sees_everyone
    # Asked per person by the roles' key, not as a list of every rep: a coach's twenty reps
    # are not checked against a thousand ids. For a coach, OFFSET 0 keeps PostgreSQL from
    # planning it as a join: checked rep by rep, each of the dashboard's statements costs
    # up to a millisecond less to plan and run (at 1,000 reps, HR's are better as a join).
    is_rep = select(UserRole.user_id).where(UserRole.user_id == User.id, UserRole.role == Role.REP)
    query = (
        select(*columns)
        .where(User.active.is_(True), exists(is_rep.offset(0) if a_coach else is_rep))
        .order_by(User.full_name, User.id)
    )
    if a_coach:
        assert actor is not None
        query = query.where(User.coach_id == actor.id)
    if filters.team_id:
        query = query.where(User.team_id == filters.team_id)
    if filters.coach_id:
        query = query.where(User.coach_id == filters.coach_id)
    if filters.role or filters.cohort:
        query = query.where(User.id.in_(_plans_kept(filters)))
    if filters.search.strip():
        query = query.where(User.full_name.icontains(filters.search.strip(), autoescape=True))
    return query


def reps_seen_key(actor: User | None, filters: TeamFilters) -> tuple[Any, ...]:
    """What :func:`reps_seen` depends on (whose reps, which filters): statements built on it
    can be kept and reused for the same key, rather than built again on every view."""
    coach_id = actor.id if actor is not None and not actor.sees_everyone else None
    return (coach_id, filters)


def rep_ids_seen(actor: User, filters: TeamFilters) -> Select[Any]:
    """The ids of the active reps the actor may see that the filters keep (status aside): a
    subquery for pages that aggregate over the same reps as the team list."""
    require_see_team(actor)
    return reps_seen(actor, filters).with_only_columns(User.id).order_by(None)


def _plans_kept(filters: TeamFilters) -> Select[Any]:
    """The reps whose active plan is of the filters' role and started in their month."""
    query = select(Plan.rep_id).where(Plan.archived_at.is_(None))
    if filters.role:
        query = query.join(PlanTemplate, PlanTemplate.id == Plan.template_id).where(
            PlanTemplate.role == filters.role
        )
    if filters.cohort:
        first = filters.cohort.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
        query = query.where(Plan.start_date >= first, Plan.start_date < after)
    return query


def _plan_counts(rep_ids: Select[Any], days: Sequence[date], details: bool) -> Select[Any]:
    """Per active plan of the reps in ``rep_ids``: milestones not done, the oldest open due
    date, the overdue count on each of ``days``, and with ``details`` the waiting ones and
    each phase's progress.

    The status needs only the milestones not yet done (a quarter of them a year on), read
    from the partial index ``ix_milestones_unfinished``; every milestone is counted only when
    the list is sorted by a detail (the phases, the waiting ones).
    """
    is_open = Milestone.status == MilestoneStatus.OPEN
    columns: list[Any] = [
        Milestone.plan_id.label("plan_id"),
        func.count(case((Milestone.status != MilestoneStatus.DONE, 1))),
        # The oldest open milestone is the oldest overdue one, if any is overdue.
        func.min(case((is_open, Milestone.due_date))),
        *(
            func.count(case((and_(is_open, Milestone.due_date < literal(day, Date)), 1)))
            for day in days
        ),
        *(_detail_columns() if details else ()),
    ]
    query = (
        select(*columns)
        .join(Plan, Plan.id == Milestone.plan_id)
        # The same reps' active plans as the list, not a list of a thousand ids.
        .where(Plan.rep_id.in_(rep_ids), Plan.archived_at.is_(None))
        .group_by(Milestone.plan_id)
    )
    return query if details else query.where(UNFINISHED)


def _row(line: Any, today: date, column_of: Mapping[date, int], details: bool) -> RepRow:
    """One rep's row from the joined line: the person, their active plan and its counts."""
    rep_id, full_name, _zone, plan_id, start, business_days, *rest = line
    paused_from, paused_until, has_milestones, *counts = rest
    row = RepRow(rep_id, full_name, today)
    if plan_id is None:
        return row
    unfinished, oldest_open, *rest = counts
    paused = paused_on(paused_from, paused_until, today)
    overdue = 0 if paused else rest[column_of[today]] or 0
    row.has_plan = True
    row.plan_id = plan_id
    row.day = day_of_ramp(start, today, business_days)
    row.overdue = overdue
    if details:
        _set_details(row, [figure or 0 for figure in rest[len(column_of) :]])
    row.status = rep_status_from_counts(
        all_done=bool(has_milestones) and not unfinished,
        overdue=overdue,
        oldest_overdue=oldest_open if overdue else None,
        today=today,
        paused=paused,
    )
    return row


def _detail_columns() -> list[Any]:
    """Waiting for verification, then done and total for each phase, of a plan's milestones."""
    columns: list[Any] = [func.count(case((Milestone.status == MilestoneStatus.SUBMITTED, 1)))]
    for number, _first, _last in PHASES:
        in_phase = Milestone.phase == number
        columns += [
            func.count(case((and_(in_phase, Milestone.status == MilestoneStatus.DONE), 1))),
            func.count(case((in_phase, 1))),
        ]
    return columns


def _set_details(row: RepRow, figures: Sequence[int]) -> None:
    submitted, *phases = figures
    row.to_verify = submitted
    row.phase_counts = tuple(zip(phases[::2], phases[1::2], strict=True))


def status_counts(rows: Iterable[RepRow | RampSummary]) -> dict[RepStatus, int]:
    counts = dict.fromkeys(RepStatus, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def team_overview(
    actor: User, filters: TeamFilters = TeamFilters(), now: datetime | None = None
) -> list[RampSummary]:
    """Full summaries (milestones and all) of the reps :func:`team_rows` keeps, by name.

    For a handful of reps (the demo's checks, exports); the team page uses :func:`team_page`.
    """
    moment = now or datetime.now(UTC)
    rows = team_rows(actor, filters, moment)
    ids = [row.rep_id for row in rows]
    if not ids:
        return []
    people = db.session.scalars(
        select(User)
        .where(User.id.in_(ids))
        .options(selectinload(User.team), selectinload(User.coach))
    )
    by_id = {person.id: person for person in people}
    plans = db.session.scalars(
        select(Plan)
        .where(Plan.rep_id.in_(ids), Plan.archived_at.is_(None))
        .options(selectinload(Plan.milestones), selectinload(Plan.template))
        .order_by(Plan.assigned_at)
    )
    plan_of = {plan.rep_id: plan for plan in plans}
    return [summarise(by_id[row.rep_id], plan_of.get(row.rep_id), row.today) for row in rows]
