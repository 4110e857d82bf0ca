"""The team matrix: reps by stage, a page at a time, with pass rates and what is due soon.

Everything is loaded in a fixed number of queries whatever the number of reps: one query per
kind (plans, certification milestones, attempts, assessments) for the reps on the page, and
SQL aggregates over every rep matching the filters for the pass rates and the due list.
Statuses come from the same pure rule as everywhere else (:mod:`app.certification.status`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import lazyload

from app.accounts.models import Role, User, UserRole
from app.certification.models import Assessment, CertificationAttempt, CertificationStanding
from app.certification.scoring import format_score
from app.certification.service.records import Certification
from app.certification.service.rubrics import current_rubrics
from app.certification.status import (
    AttemptFacts,
    CertificationStatus,
    StatusReading,
    certification_status,
    format_day,
)
from app.curriculum.models import RubricTemplate
from app.curriculum.service import stage_names
from app.errors import NotAllowed
from app.extensions import db
from app.pagination import Page, PageRequest, paginate_query

DUE_WINDOW_DAYS = 14
UPCOMING_SHOWN = 50  # the due list shows the soonest; the count says how many there are


@dataclass(frozen=True)
class StagePassRate:
    stage: str
    name: str
    decided: int
    passed: int
    reps_certified: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.passed / self.decided) if self.decided else None


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One rep's certification on one stage as the matrix shows it: the same reading as the
    rep's own page (:class:`Certification`), read from columns rather than loaded attempts."""

    rep: User
    stage: str
    stage_name: str
    reading: StatusReading
    due_date: date | None
    best_average: float | None

    @property
    def status(self) -> CertificationStatus:
        return self.reading.status


@dataclass(frozen=True, slots=True)
class CellView:
    """What one matrix cell shows, worked out once in Python: the page holds some 350 cells
    and each attribute a template looks up costs more than building the strings here.
    ``label`` is empty for a stage the rep has neither started nor been asked for (a dash)."""

    stage: str
    label: str = ""
    css: str = ""
    lines: tuple[tuple[str, str], ...] = ()  # (css class, text) lines under the badge


@dataclass(frozen=True)
class Upcoming:
    """A certification due, overdue or expiring soon."""

    certification: Certification | MatrixCell
    kind: str  # "due", "overdue" or "expiring"
    on: date


@dataclass(frozen=True)
class MatrixFilters:
    """Which reps and stages the matrix shows.

    ``stage`` narrows the columns, not the rows: the matrix shows that stage's column only,
    and the pass rates and the due list speak of that stage only, for every matching rep.
    """

    team_id: int | None = None
    stage: str = ""


@dataclass
class TeamCertifications:
    reps: list[User]  # the page's reps
    rubrics: list[RubricTemplate]
    stage_keys: list[str]  # the columns shown
    stage_names: dict[str, str]
    cells: dict[tuple[int, str], MatrixCell]
    pass_rates: list[StagePassRate]
    upcoming: list[Upcoming]  # the soonest UPCOMING_SHOWN
    page: Page[User] = field(default_factory=lambda: Page([], 0, PageRequest()))
    upcoming_total: int = 0
    filters: MatrixFilters = field(default_factory=MatrixFilters)
    all_stage_keys: list[str] = field(default_factory=list)  # every stage with a rubric
    rows: list[tuple[User, list[CellView]]] = field(default_factory=list)  # the page's cells


def _rep_conditions(actor: User, filters: MatrixFilters, search: str) -> list[ColumnElement[bool]]:
    """Who the actor oversees (their own reps, or everyone), narrowed by team and name."""
    if not actor.sees_everyone and not actor.has_role(Role.COACH):
        raise NotAllowed("Only coaches, HR and admins see team certifications.")
    is_rep = exists().where(UserRole.user_id == User.id, UserRole.role == Role.REP)
    conditions: list[ColumnElement[bool]] = [User.active.is_(True), is_rep]
    if not actor.sees_everyone:
        conditions.append(User.coach_id == actor.id)
    if filters.team_id is not None:
        conditions.append(User.team_id == filters.team_id)
    if search:
        pattern = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(User.full_name.ilike(f"%{pattern}%", escape="\\"))
    return conditions


def visible_reps(actor: User) -> list[User]:
    """The reps whose certifications the actor oversees: their own reps, or everyone."""
    query = select(User).where(*_rep_conditions(actor, MatrixFilters(), ""))
    return list(db.session.scalars(query.order_by(User.full_name, User.id)))


def team_certifications(
    actor: User,
    today: date,
    filters: MatrixFilters | None = None,
    page_request: PageRequest | None = None,
) -> TeamCertifications:
    """One page of the matrix; pass rates and the due list over every matching rep."""
    filters = filters or MatrixFilters()
    page_request = page_request or PageRequest(sort="name")

    # Each statement gets its own conditions: sharing one EXISTS between statements changes
    # its cache key as each is compiled, so the due list's statement was compiled afresh on
    # every view (8 ms) instead of being read from SQLAlchemy's statement cache.
    def conditions() -> list[ColumnElement[bool]]:
        return _rep_conditions(actor, filters, page_request.search)

    names = stage_names()
    rubrics = current_rubrics()
    all_keys = [key for key in names if any(r.stage == key for r in rubrics)]
    stage_keys = [filters.stage] if filters.stage in all_keys else all_keys
    name_order = User.full_name.desc() if page_request.descending else User.full_name
    # The matrix shows no one's roles: they are not loaded with the reps.
    people = select(User).where(*conditions()).options(lazyload(User.role_rows))
    page = paginate_query(people.order_by(name_order, User.id), page_request)
    rep_ids = select(User.id).where(*conditions())
    due_rows = _upcoming_rows(conditions(), stage_keys, today)
    # The page's reps on every stage shown; the due list's reps on their due stage only.
    wanted: dict[int, set[str]] = {rep.id: set(stage_keys) for rep in page.items}
    reps = {rep.id: rep for rep in page.items}
    for due_rep, stage in due_rows:
        wanted.setdefault(due_rep.id, set()).add(stage)
        reps[due_rep.id] = due_rep
    cells = _cells({reps[rep_id]: stages for rep_id, stages in wanted.items()}, names, today)
    upcoming = [
        item for due_rep, stage in due_rows for item in _upcoming(cells[due_rep.id, stage], today)
    ]
    position = {key: index for index, key in enumerate(names)}
    upcoming.sort(
        key=lambda u: (u.on, u.certification.rep.full_name, position[u.certification.stage])
    )
    pass_rates, due_total = _stage_counts(rep_ids, stage_keys, names, today)
    return TeamCertifications(
        reps=list(page.items),
        rubrics=rubrics,
        stage_keys=stage_keys,
        stage_names=names,
        cells=cells,
        pass_rates=pass_rates,
        upcoming=upcoming,
        page=page,
        upcoming_total=due_total,
        filters=filters,
        all_stage_keys=all_keys,
        rows=[(rep, [_cell_view(cells[rep.id, key]) for key in stage_keys]) for rep in page.items],
    )


def _cell_view(cell: MatrixCell) -> CellView:
    """The cell as the matrix shows it (see :class:`CellView`)."""
    status = cell.reading.status
    if status == CertificationStatus.NOT_STARTED and not cell.due_date:
        return CellView(cell.stage)
    lines: list[tuple[str, str]] = []
    if cell.best_average:
        lines.append(("", f"best {format_score(cell.best_average)}"))
    expires = cell.reading.expires_on
    if expires:
        word = "until" if status == CertificationStatus.PASSED else "expired"
        lines.append(("", f"{word} {format_day(expires)}"))
    if status != CertificationStatus.PASSED and cell.due_date:
        lines.append(("text-body-secondary", f"due {format_day(cell.due_date)}"))
    return CellView(cell.stage, status.capitalize(), status.css, tuple(lines))


def _cells(
    wanted: Mapping[User, Collection[str]], names: dict[str, str], today: date
) -> dict[tuple[int, str], MatrixCell]:
    """Each wanted rep's certification on each wanted stage: two queries for them all, of
    columns (a page holds hundreds of attempts: not worth loading as objects)."""
    ids = [rep.id for rep in wanted]
    stages = {stage for wanted_stages in wanted.values() for stage in wanted_stages}
    facts: dict[tuple[int, str], list[AttemptFacts]] = {}
    best: dict[tuple[int, str], float] = {}
    for row in db.session.execute(_attempt_facts_query(ids, stages)):
        key = (row.rep_id, row.stage)
        facts.setdefault(key, []).append(
            AttemptFacts(
                decided=row.decided_at is not None,
                passed=bool(row.passed),
                assessed_on=row.assessed_on,
                expires_on=row.expires_on,
                next_attempt_from=row.next_attempt_from,
                self_assessed=bool(row.self_assessed),
                assessor_started=bool(row.assessor_started),
            )
        )
        if row.decided_at is not None and row.weighted_average:
            best[key] = max(best.get(key, 0.0), row.weighted_average)
    due = _certification_due_dates(ids, stages)
    # Most cells have no attempt: they share one reading rather than each working it out.
    unattempted = certification_status([], today)
    cells: dict[tuple[int, str], MatrixCell] = {}
    for rep, wanted_stages in wanted.items():
        rep_id = rep.id  # read once: an ORM attribute costs more than a local
        for stage in wanted_stages:
            key = (rep_id, stage)
            attempts = facts.get(key)
            reading = certification_status(attempts, today) if attempts else unattempted
            cells[key] = MatrixCell(
                rep, stage, names.get(stage, stage), reading, due.get(key), best.get(key)
            )
    return cells


def _attempt_facts_query(rep_ids: Sequence[int], stages: Collection[str]) -> Select[Any]:
    """What the status rule reads of each attempt (see ``records.facts``), oldest first."""
    attempt = CertificationAttempt
    submitted_self = exists().where(
        Assessment.attempt_id == attempt.id,
        Assessment.is_self.is_(True),
        Assessment.submitted_at.is_not(None),
    )
    assessor_started = exists().where(
        Assessment.attempt_id == attempt.id, Assessment.is_self.is_(False)
    )
    columns: list[Any] = [
        attempt.rep_id,
        attempt.stage,
        attempt.decided_at,
        attempt.passed,
        attempt.weighted_average,
        attempt.assessed_on,
        attempt.expires_on,
        attempt.next_attempt_from,
        submitted_self.label("self_assessed"),
        assessor_started.label("assessor_started"),
    ]
    return (
        select(*columns)
        .where(attempt.rep_id.in_(rep_ids), attempt.stage.in_(stages))
        .order_by(attempt.opened_at, attempt.id)
    )


def _certification_due_dates(
    rep_ids: Sequence[int], stages: Collection[str]
) -> dict[tuple[int, str], date]:
    """When each rep's active plan asks for each stage's certification: its first milestone's
    due date (as ``records._certification_milestones`` picks it), from the standings."""
    standing = CertificationStanding
    # By the primary key (rep, stage); the rows without a due date are left out here.
    query = select(standing.rep_id, standing.stage, standing.due_on).where(
        standing.rep_id.in_(rep_ids), standing.stage.in_(stages)
    )
    return {(rep_id, stage): on for rep_id, stage, on in db.session.execute(query) if on}


def _stage_counts(
    rep_ids: Select[int], stage_keys: Sequence[str], names: dict[str, str], today: date
) -> tuple[list[StagePassRate], int]:
    """Each stage's pass rate, and how many (rep, stage) pairs the due list holds: one pass
    over the standings of every matching rep (the due list's count no longer needs a window
    over its sorted rows)."""
    standing = CertificationStanding
    query = (
        select(
            standing.stage,
            func.sum(standing.decided),
            func.sum(standing.passed),
            func.count(case((standing.valid_until >= today, 1))),
            func.count(case((_is_upcoming(today), 1))),
        )
        .where(standing.rep_id.in_(rep_ids), standing.stage.in_(stage_keys))
        .group_by(standing.stage)
    )
    counts: dict[str, tuple[int, int, int]] = {}
    due_total = 0
    for stage, decided, passed, certified, due in db.session.execute(query):
        counts[stage] = (decided or 0, passed or 0, certified)
        due_total += due
    rates = [StagePassRate(key, names[key], *counts.get(key, (0, 0, 0))) for key in stage_keys]
    return rates, due_total


def _is_upcoming(today: date) -> ColumnElement[bool]:
    """A standing is in the due list: passed and expiring within the window, or (not validly
    passed) due by the end of it. The rule of :func:`upcoming_of`, in SQL."""
    horizon = today + timedelta(days=DUE_WINDOW_DAYS)
    standing = CertificationStanding
    expiring = and_(standing.valid_until >= today, standing.valid_until <= horizon)
    due = and_(
        or_(standing.valid_until.is_(None), standing.valid_until < today),
        standing.due_on <= horizon,
    )
    return or_(expiring, due)


def _upcoming_rows(
    rep_conditions: Sequence[ColumnElement[bool]], stage_keys: Sequence[str], today: date
) -> list[tuple[User, str]]:
    """The first ``UPCOMING_SHOWN`` (rep, stage) pairs due, overdue or expiring within the
    window, soonest first, the reps loaded with them: over the standings (one narrow row per
    rep and stage). How many there are is counted with the pass rates (:func:`_stage_counts`).

    A stage passed and still valid today is listed when it expires within the window; any
    other is listed when the active plan's first due date for it is within the window.
    """
    standing = CertificationStanding
    on = case((standing.valid_until >= today, standing.valid_until), else_=standing.due_on)
    # The pass sorts narrow rows (ids, dates, names); only the first rows' reps are loaded.
    ranked = (
        select(standing.rep_id, standing.stage, on.label("on"), User.full_name)
        .join_from(standing, User, User.id == standing.rep_id)
        # The reps' conditions on the joined rep, not a list of ids: each stage's rows are
        # read from the index, and their rep by its key.
        .where(*rep_conditions, standing.stage.in_(stage_keys), _is_upcoming(today))
        .order_by(on, User.full_name, standing.rep_id, standing.stage)
        .limit(UPCOMING_SHOWN)
        .subquery("ranked")
    )
    soonest = (
        select(User, ranked.c.stage)
        .join_from(ranked, User, User.id == ranked.c.rep_id)
        .order_by(ranked.c.on, ranked.c.full_name, ranked.c.rep_id, ranked.c.stage)
        .options(lazyload(User.role_rows))
    )
    return [(rep, stage) for rep, stage in db.session.execute(soonest)]


def upcoming_of(cert: Certification | MatrixCell, today: date) -> list[Upcoming]:
    """The certification if it is due, overdue or expiring within the window (else nothing)."""
    return _upcoming(cert, today)


def _upcoming(cert: Certification | MatrixCell, today: date) -> list[Upcoming]:
    horizon = today + timedelta(days=DUE_WINDOW_DAYS)
    if cert.status == CertificationStatus.PASSED:
        expires = cert.reading.expires_on
        if expires is not None and expires <= horizon:
            return [Upcoming(cert, "expiring", expires)]
        return []
    due = cert.due_date
    if due is not None and due <= horizon:
        return [Upcoming(cert, "overdue" if due < today else "due", due)]
    return []
