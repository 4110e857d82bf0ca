"""Coaches held to account: coaching cadence, how long work waits on them, follow-through.

Per coach, over the last 90 days:

* **cadence**: debriefs they recorded per current rep per month (30 days), against the
  organisation's target (``Organisation.debriefs_per_rep_month``);
* **waits**: the median days a milestone waited for their verification and an assessment for
  their scores (from the submission, the self-assessment or the invitation to their scores),
  and the oldest still waiting now (their work queue's), against ``turnaround_days``;
* **follow-through**: of their reps' commitments (made in their debriefs) that fell due, the
  share they reviewed within the turnaround; the coaching model has no coach-side commitments,
  so reviewing what the rep committed to is what a coach follows through on.

Every figure is counted in SQL, grouped by coach (waits as a histogram of whole days, whose
median is read in Python), in the same number of queries for one coach or fifty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import select

from app.accounts.access import require_role
from app.accounts.models import Organisation, Role, User, UserRole
from app.dashboards.service import coach_figures as figures
from app.dashboards.service.cohorts import months_back
from app.errors import NotAllowed, NotFound
from app.extensions import db
from app.generation import kept
from app.pagination import Page, PageRequest, paginate_rows
from app.reminders.waiting import oldest_verification_or_assessment
from app.reminders.workqueue import WaitingItem, waited, waiting_items

WINDOW_DAYS = 90
DEFAULT_CADENCE = 2
CADENCE_MONTHS = 6  # the coach's page charts the last six months
COACH_SORTS = ("name", "reps", "cadence", "verify", "assess", "oldest", "reviews")


@dataclass(frozen=True)
class Targets:
    debriefs_per_rep_month: int
    turnaround_days: int


@dataclass(frozen=True)
class Oldest:
    """How long the oldest verification or assessment has waited on a coach now."""

    age_days: int
    late: bool


@dataclass
class CoachRow:
    """One coach's figures over the last 90 days (the derived ones worked out once, when first
    read: after ``coach_rows`` has filled the counts)."""

    coach_id: int
    name: str
    targets: Targets
    reps: int = 0
    debriefs: int = 0
    verify_waits: dict[int, int] = field(default_factory=dict)  # days waited -> how many
    assess_waits: dict[int, int] = field(default_factory=dict)
    commitments_due: int = 0
    reviewed_on_time: int = 0
    not_reviewed: int = 0
    oldest: Oldest | None = None  # the oldest verification or assessment waiting now
    waiting: list[WaitingItem] = field(default_factory=list)  # the coach's page: all, oldest first

    @cached_property
    def cadence(self) -> float | None:
        """Recorded debriefs per rep per 30 days; None without reps."""
        return self.debriefs / self.reps / (WINDOW_DAYS / 30) if self.reps else None

    @property
    def meets_cadence(self) -> bool:
        return self.cadence is not None and self.cadence >= self.targets.debriefs_per_rep_month

    @cached_property
    def verify_median(self) -> float | None:
        return median_of(self.verify_waits)

    @cached_property
    def assess_median(self) -> float | None:
        return median_of(self.assess_waits)

    @property
    def oldest_days(self) -> int:
        return self.oldest.age_days if self.oldest else -1

    @property
    def reviews_rate(self) -> float | None:
        """Share of the commitments due that were reviewed within the turnaround."""
        return self.reviewed_on_time / self.commitments_due if self.commitments_due else None

    @property
    def reviewed_late(self) -> int:
        return self.commitments_due - self.reviewed_on_time - self.not_reviewed


@dataclass(frozen=True)
class CadencePoint:
    month: date
    debriefs: int


@dataclass(frozen=True)
class CoachPage:
    row: CoachRow
    months: tuple[CadencePoint, ...]  # oldest first, for the chart


def median_of(histogram: Mapping[int, int]) -> float | None:
    """The median of values given as value -> count; None when there are none."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for position in middle if seen <= position < seen + count]
        seen += count
    return sum(found) / len(found)


def _sort_keys() -> Mapping[str, Callable[[CoachRow], Any]]:
    def missing_last(value: float | None) -> float:
        return -1.0 if value is None else value

    return {
        "name": lambda row: (row.name.lower(), row.coach_id),
        "reps": lambda row: row.reps,
        "cadence": lambda row: missing_last(row.cadence),
        "verify": lambda row: missing_last(row.verify_median),
        "assess": lambda row: missing_last(row.assess_median),
        "oldest": lambda row: row.oldest_days,
        "reviews": lambda row: missing_last(row.reviews_rate),
    }


def require_see_coaches(actor: User) -> None:
    require_role(actor, Role.HR, Role.ADMIN)


def can_see_coach(actor: User, coach: User) -> bool:
    """A coach sees their own figures; HR and admins everyone's."""
    return actor.sees_everyone or actor.id == coach.id


def coaches_page(actor: User, request: PageRequest, now: datetime | None = None) -> Page[CoachRow]:
    """Every active coach's figures (HR and admins), sorted, searched and paged."""
    require_see_coaches(actor)
    # The same for everyone who may see it, and for every page and sort of it.
    rows = kept("dashboards.coach_rows", request.search, lambda: _rows(request.search, now), now)
    return paginate_rows(rows, request, _sort_keys())


def _rows(search: str, now: datetime | None) -> list[CoachRow]:
    query = _COACH_NAMES
    if search:
        query = query.where(User.full_name.icontains(search, autoescape=True))
    coaches = [(coach_id, name) for coach_id, name in db.session.execute(query)]
    return coach_rows(coaches, now)


def coach_page(actor: User, coach_id: int, now: datetime | None = None) -> CoachPage:
    """One coach's figures and their monthly cadence, for themself, HR and admins."""
    coach = db.session.scalar(_coaches().where(User.id == coach_id))
    if coach is None:
        raise NotFound("No such coach.")
    if not can_see_coach(actor, coach):
        raise NotAllowed("A coach's figures are for them, HR and admins.")
    moment = now or datetime.now(UTC)
    row = coach_rows([(coach.id, coach.full_name)], moment)[0]
    row.waiting = waiting_items([coach], row.targets.turnaround_days, moment)[coach.id]
    return CoachPage(row=row, months=_monthly_debriefs(coach.id, moment.date()))


def coach_rows(coaches: Sequence[tuple[int, str]], now: datetime | None = None) -> list[CoachRow]:
    """The figures of several coaches at once, in a fixed number of queries (without the list
    of what waits on them: only its oldest verification or assessment, counted in SQL)."""
    moment = now or datetime.now(UTC)
    naive_now = moment.astimezone(UTC).replace(tzinfo=None)
    today = moment.astimezone(UTC).date()
    since = datetime.combine(today - timedelta(days=WINDOW_DAYS), datetime.min.time())
    targets = _targets()
    rows = {coach_id: CoachRow(coach_id, name, targets) for coach_id, name in coaches}
    if not rows:
        return []
    ids = list(rows)
    for coach_id, reps in figures.reps_per_coach(ids):
        rows[coach_id].reps = reps
    for coach_id, debriefs in figures.debriefs_per_coach(ids, since.date(), today):
        rows[coach_id].debriefs = debriefs
    for coach_id, days, count in figures.verification_waits(ids, since):
        waits = rows[coach_id].verify_waits
        waits[max(days, 0)] = waits.get(max(days, 0), 0) + count
    for coach_id, days, count in figures.assessment_waits(ids, since):
        waits = rows[coach_id].assess_waits
        waits[max(days, 0)] = waits.get(max(days, 0), 0) + count
    turnaround = targets.turnaround_days
    for coach_id, due, on_time, unreviewed in figures.reviews(ids, since.date(), today, turnaround):
        row = rows[coach_id]
        row.commitments_due, row.reviewed_on_time, row.not_reviewed = due, on_time, unreviewed
    for coach_id, waiting_since in oldest_verification_or_assessment(ids).items():
        rows[coach_id].oldest = Oldest(*waited(waiting_since, naive_now, turnaround))
    return list(rows.values())


def _coaches() -> Any:
    return (
        select(User)
        .where(
            User.active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.COACH)),
        )
        .order_by(User.full_name, User.id)
    )


_COACH_NAMES = _coaches().with_only_columns(User.id, User.full_name)
_TARGETS = select(Organisation.debriefs_per_rep_month, Organisation.turnaround_days).where(
    Organisation.id == 1
)


def _targets() -> Targets:
    org = db.session.execute(_TARGETS).first()
    if org is None:
        return Targets(DEFAULT_CADENCE, 2)
    return Targets(org[0] or DEFAULT_CADENCE, org[1] or 2)


def _monthly_debriefs(coach_id: int, today: date) -> tuple[CadencePoint, ...]:
    """Recorded debriefs per month over the last six months, oldest first (empty months 0)."""
    first = today.replace(day=1)
    months = [months_back(first, n) for n in reversed(range(CADENCE_MONTHS))]
    counts = figures.monthly_debriefs(coach_id, months[0])
    return tuple(CadencePoint(m, counts.get(f"{m:%Y-%m}", 0)) for m in months)
