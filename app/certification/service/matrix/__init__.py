"""The team matrix: reps by stage, a page at a time, with pass rates and what is due soon.

Everything is read in a fixed number of statements whatever the number of reps, each built
once (:mod:`.statements`) and reading columns, not ORM objects: the page's reps (ids and
names, and their count), the due list's soonest (rep, stage) pairs with the rep's name, the
standings of the page's and the due list's reps with their attempts (one statement for the
cells of both), and the pass rates and the due list's count over the standings of every
matching rep (one ``GROUP BY stage``). The cells are read with :mod:`.cells`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.access import require_view_person
from app.accounts.models import Role, User
from app.certification.service.matrix.cells import (
    DUE_WINDOW_DAYS,
    CellView,
    MatrixCell,
    RepName,
    Upcoming,
    cell_view,
    read_cells,
    upcoming_of,
)
from app.certification.service.matrix.statements import (
    CELL_FACTS,
    UPCOMING_SHOWN,
    Shape,
    rep_count,
    rep_page,
    rep_people,
    soonest_due,
    stage_counts,
)
from app.certification.service.rubrics import current_rubrics
from app.certification.status import StatusReading
from app.curriculum.models import RubricTemplate
from app.curriculum.service import stage_names
from app.errors import NotAllowed
from app.extensions import db
from app.generation import kept
from app.pagination import Page, PageRequest, paginate_statements

__all__ = [
    "DUE_WINDOW_DAYS",
    "UPCOMING_SHOWN",
    "CellView",
    "MatrixCell",
    "MatrixFilters",
    "StagePassRate",
    "TeamCertifications",
    "Upcoming",
    "reading_of",
    "team_certifications",
    "upcoming_of",
    "visible_reps",
]


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
    rubrics: list[RubricTemplate]
    stage_keys: list[str]  # the columns shown
    stage_names: dict[str, str]
    cells: dict[tuple[int, str], MatrixCell]
    pass_rates: list[StagePassRate]
    upcoming: list[Upcoming]  # the soonest UPCOMING_SHOWN
    page: Page[RepName] = field(default_factory=lambda: Page([], 0, PageRequest()))
    upcoming_total: int = 0
    filters: MatrixFilters = field(default_factory=MatrixFilters)
    all_stage_keys: list[str] = field(default_factory=list)  # every stage with a rubric
    rows: list[tuple[RepName, list[CellView]]] = field(default_factory=list)  # the page's cells
    calibration_keys: dict[str, str] = field(default_factory=dict)  # stage: its first rubric

    @property
    def reps(self) -> list[User]:
        """The page's reps as people, read when asked (one statement): the page itself shows
        their names only (``page.items``); the export and the tests ask for the people."""
        ids = [rep.id for rep in self.page.items]
        found = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
        return [found[rep_id] for rep_id in ids]


def _shape_and_params(
    actor: User, filters: MatrixFilters, search: str
) -> tuple[Shape, dict[str, Any]]:
    """Which reps the actor oversees (their own reps, or everyone), narrowed by team and name:
    the statements' shape and the values bound to it."""
    if not actor.sees_everyone and not actor.has_role(Role.COACH):
        raise NotAllowed("Only coaches, HR and admins see team certifications.")
    shape = Shape(actor.sees_everyone, filters.team_id is not None, bool(search))
    params: dict[str, Any] = {}
    if not shape.everyone:
        params["actor_id"] = actor.id
    if shape.team:
        params["team_id"] = filters.team_id
    if shape.search:
        pattern = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["pattern"] = f"%{pattern}%"
    return shape, params


def visible_reps(actor: User) -> list[User]:
    """The reps whose certifications the actor oversees: their own reps, or everyone."""
    shape, params = _shape_and_params(actor, MatrixFilters(), "")
    return list(db.session.scalars(rep_people(shape), params))


def reading_of(actor: User, rep: User, stage: str, today: date) -> StatusReading:
    """The status of the rep's certification on one stage, read as the matrix reads a cell
    (one statement of columns): for a page that shows it beside something else (the
    assessment form) and needs neither the plan nor the attempts as objects."""
    require_view_person(actor, rep)
    rows = db.session.execute(CELL_FACTS, {"rep_ids": [rep.id], "stages": [stage]})
    return read_cells(rows, {rep.id: (rep, [stage])}, {}, today)[rep.id, stage].reading


def team_certifications(
    actor: User,
    today: date,
    filters: MatrixFilters | None = None,
    page_request: PageRequest | None = None,
) -> TeamCertifications:
    """One page of the matrix; pass rates and the due list over every matching rep."""
    filters = filters or MatrixFilters()
    page_request = page_request or PageRequest(sort="name")
    shape, params = _shape_and_params(actor, filters, page_request.search)
    names = stage_names()
    rubrics = current_rubrics()
    all_keys = [key for key in names if any(r.stage == key for r in rubrics)]
    stage_keys = [filters.stage] if filters.stage in all_keys else all_keys
    horizon = today + timedelta(days=DUE_WINDOW_DAYS)
    params.update(today=today, horizon=horizon, stages=stage_keys)

    page = paginate_statements(
        rep_count(shape), rep_page(shape, page_request.descending), page_request, params
    )
    due_rows, pass_rates, due_total = kept(
        "certification.matrix_over_everyone",
        (shape, _hashable(params)),
        lambda: _over_every_rep(shape, params, stage_keys, names),
    )
    # The page's reps on every stage shown; the due list's reps on their due stage only.
    wanted: dict[int, tuple[RepName, list[str]]] = {
        rep.id: (rep, list(stage_keys)) for rep in page.items
    }
    for due_rep_id, stage, full_name in due_rows:
        if due_rep_id in wanted:
            if stage not in wanted[due_rep_id][1]:
                wanted[due_rep_id][1].append(stage)
        else:
            wanted[due_rep_id] = (_Rep(due_rep_id, full_name), [stage])
    asked = {"rep_ids": list(wanted), "stages": stage_keys}
    rows: Iterable[Any] = db.session.execute(CELL_FACTS, asked) if wanted else ()
    cells = read_cells(rows, wanted, names, today)
    upcoming = [
        item for rep_id, stage, _ in due_rows for item in upcoming_of(cells[rep_id, stage], today)
    ]
    position = {key: index for index, key in enumerate(names)}
    upcoming.sort(
        key=lambda u: (u.on, u.certification.rep.full_name, position[u.certification.stage])
    )
    return TeamCertifications(
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
        rows=[(rep, [cell_view(cells[rep.id, key]) for key in stage_keys]) for rep in page.items],
        calibration_keys=_first_rubric_keys(rubrics),
    )


def _first_rubric_keys(rubrics: list[RubricTemplate]) -> dict[str, str]:
    """Each stage's first rubric (in the rubrics' order): the one its calibration link opens."""
    keys: dict[str, str] = {}
    for rubric in rubrics:
        keys.setdefault(rubric.stage, rubric.rubric_key)
    return keys


@dataclass(frozen=True, slots=True)
class _Rep:
    """A due-list rep who is not on the page: their id and name, as the page's rows give."""

    id: int
    full_name: str


def _over_every_rep(
    shape: Shape, params: dict[str, Any], stage_keys: list[str], names: dict[str, str]
) -> tuple[list[tuple[int, str, str]], list[StagePassRate], int]:
    """What the page reads over every matching rep, not its own fifty: the due list's (rep,
    stage, name), the pass rates and the due list's length. Kept while the data holds, as it
    is the same for every page of the matrix."""
    due_rows = [
        (rep_id, stage, name)
        for rep_id, stage, name in db.session.execute(soonest_due(shape), params)
    ]
    return (due_rows, *_pass_rates(shape, params, stage_keys, names))


def _hashable(params: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The statements' values as a key (the stages, a list, as a tuple)."""
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in sorted(params.items())
    )


def _pass_rates(
    shape: Shape, params: dict[str, Any], stage_keys: list[str], names: dict[str, str]
) -> tuple[list[StagePassRate], int]:
    """Each stage's pass rate, and how many (rep, stage) pairs the due list holds: one pass
    over the standings of every matching rep."""
    counts: dict[str, tuple[int, int, int]] = {}
    due_total = 0
    for stage, decided, passed, certified, due in db.session.execute(stage_counts(shape), params):
        counts[stage] = (decided or 0, passed or 0, certified)
        due_total += due
    rates = [StagePassRate(key, names[key], *counts.get(key, (0, 0, 0))) for key in stage_keys]
    return rates, due_total
