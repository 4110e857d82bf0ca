"""The ramp dashboard: the funnel, the plan-week heatmap, certification progress, commitments
kept and who needs attention this week, for the reps an actor may see.

Everything is counted in SQL over the same reps as the team list (``plans.reps_seen``), in a
fixed number of queries whatever the number of reps: the statuses from the plan summaries by
the team list's own expression (:mod:`app.plans.service.statuses`, the rules of
:mod:`app.plans.status`), who needs attention ranked in SQL (:mod:`.attention`), the rest
from GROUP BY queries. No rep's row is read in Python but the ten listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Select, and_, case, func, literal, select

from app.accounts.models import Team, User
from app.certification.models import CertificationAttempt
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment
from app.curriculum.service import stage_names
from app.dashboards.models import PLAN_WEEKS, plan_week_tallies
from app.dashboards.service.attention import ATTENTION, Attention, attention_list
from app.dashboards.service.cohorts import CohortComparison, compare_cohorts
from app.dashboards.service.filters import Filters
from app.dashboards.service.tallies import WEEKS, on_time, plan_week
from app.extensions import db
from app.plans import service as plans
from app.plans.models import Milestone, Plan
from app.plans.status import RepStatus

COMMITMENT_DAYS = 90  # commitments kept: those due in the last 90 days
HEATMAP_MAX_REPS = 60  # more reps than this are shown by team

FUNNEL = (RepStatus.ON_TRACK, RepStatus.BEHIND, RepStatus.AT_RISK)
# The funnel's and the attention list's statements, kept per whose reps and which filters.
_FUNNELS = plans.StatementMemo(plans.status_count_query)


@dataclass(frozen=True)
class HeatCell:
    due: int
    on_time: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None


@dataclass(frozen=True)
class HeatRow:
    label: str
    cells: tuple[HeatCell, ...]  # one per plan week, 1 to PLAN_WEEKS


@dataclass(frozen=True)
class Heatmap:
    """Share of each plan week's milestones, due by today, that were done on time."""

    by: str  # "rep" or "team"
    rows: tuple[HeatRow, ...]

    @property
    def weeks(self) -> range:
        return range(1, PLAN_WEEKS + 1)


@dataclass(frozen=True)
class StageProgress:
    stage: str
    name: str
    passed: int
    attempted: int  # attempted, not (or no longer) passed
    not_yet: int

    @property
    def reps(self) -> int:
        return self.passed + self.attempted + self.not_yet


@dataclass(frozen=True)
class CommitmentsKept:
    kept: int = 0
    partly: int = 0
    missed: int = 0
    open: int = 0  # due, not reviewed yet

    @property
    def total(self) -> int:
        return self.kept + self.partly + self.missed + self.open

    @property
    def kept_rate(self) -> float | None:
        reviewed = self.kept + self.partly + self.missed
        return (self.kept + self.partly / 2) / reviewed if reviewed else None


@dataclass(frozen=True)
class RampDashboard:
    filters: Filters
    today: date
    reps: int
    funnel: dict[RepStatus, int]
    heatmap: Heatmap
    certifications: tuple[StageProgress, ...]
    commitments: CommitmentsKept
    attention: tuple[Attention, ...]
    attention_total: int
    comparison: CohortComparison | None


def ramp_dashboard(actor: User, filters: Filters, now: datetime | None = None) -> RampDashboard:
    """The dashboard of the reps ``actor`` may see (a coach's own, HR's and admins' all)."""
    moment = now or datetime.now(UTC)
    today = moment.astimezone(UTC).date()
    team_filters = filters.team_filters()
    rep_ids = plans.rep_ids_seen(actor, team_filters)  # checks the actor may see a team
    key = plans.reps_seen_key(actor, team_filters)

    def reps() -> Select[Any]:
        return plans.reps_seen(actor, team_filters).order_by(None)

    given = plans.status_parameters(moment)
    funnel = plans.count_by_status(_FUNNELS.get(key, reps), given)
    count = sum(funnel.values())
    attention = attention_list(ATTENTION.get(key, reps), given, moment, today)
    return RampDashboard(
        filters=filters,
        today=today,
        reps=count,
        funnel=funnel,
        heatmap=_heatmap(rep_ids, today, by_team=count > HEATMAP_MAX_REPS),
        certifications=_certifications(rep_ids, count, today),
        commitments=_commitments(rep_ids, today),
        attention=attention.shown,
        attention_total=attention.total,
        comparison=compare_cohorts(actor, filters, moment),
    )


# The sums of every week's two tallies, built once: the statement is rebuilt per request.
_TALLY_SUMS = [
    func.sum(plan_week_tallies.c[f"{kind}_{n}"]) for kind in ("due", "on_time") for n in WEEKS
]


def _heatmap(rep_ids: Select[Any], today: date, *, by_team: bool) -> Heatmap:
    """Per rep (or team) and plan week: the milestones due before today and those done on
    time. The plans' tallies count every milestone; those due today or later are taken away."""
    group: Any = User.team_id if by_team else User.id
    kept = (Plan.archived_at.is_(None), Plan.rep_id.in_(rep_ids))
    every = (
        select(group, *_TALLY_SUMS)
        .select_from(plan_week_tallies)
        .join(Plan, Plan.id == plan_week_tallies.c.plan_id)
        .join(User, User.id == Plan.rep_id)
        .where(*kept)
        .group_by(group)
    )
    week = plan_week()
    not_yet_due = (
        select(group, week, func.count(), func.count(case((on_time(), 1))))
        .select_from(Milestone)
        .join(Plan, Plan.id == Milestone.plan_id)
        .join(User, User.id == Plan.rep_id)
        .where(*kept, Milestone.due_date >= literal(today, Date))
        .group_by(group, week)
    )
    later: dict[tuple[Any, int], tuple[int, int]] = {
        (key, number): (due, done) for key, number, due, done in db.session.execute(not_yet_due)
    }
    cells: dict[Any, tuple[HeatCell, ...]] = {}
    for key, *counts in db.session.execute(every):
        row = []
        for n in WEEKS:
            gone_due, gone_done = later.get((key, n), (0, 0))
            row.append(HeatCell(counts[n - 1] - gone_due, counts[PLAN_WEEKS + n - 1] - gone_done))
        if any(cell.due for cell in row):
            cells[key] = tuple(row)
    labels = _labels(list(cells), by_team)
    rows = [HeatRow(label=labels[key], cells=cells[key]) for key in cells]
    rows.sort(key=lambda row: row.label.lower())
    return Heatmap(by="team" if by_team else "rep", rows=tuple(rows))


def _labels(keys: list[Any], by_team: bool) -> dict[Any, str]:
    """Names for the heatmap's rows: the teams' or the reps' (one query)."""
    named = [key for key in keys if key is not None]
    model: Any = Team if by_team else User
    column = Team.name if by_team else User.full_name
    query = select(model.id, column).where(model.id.in_(named))
    found = {key: name for key, name in db.session.execute(query)}
    return {key: found.get(key, "No team") for key in keys}


def _certifications(rep_ids: Select[Any], reps: int, today: date) -> tuple[StageProgress, ...]:
    """Per sales stage, the reps with a valid pass, those who tried without one, the rest."""
    valid_pass = and_(
        CertificationAttempt.passed.is_(True),
        func.coalesce(CertificationAttempt.expires_on, literal(today, Date))
        >= literal(today, Date),
    )
    query = (
        select(
            CertificationAttempt.stage,
            func.count(func.distinct(case((valid_pass, CertificationAttempt.rep_id)))),
            func.count(func.distinct(CertificationAttempt.rep_id)),
        )
        .where(CertificationAttempt.rep_id.in_(rep_ids))
        .group_by(CertificationAttempt.stage)
    )
    counts = {stage: (passed, tried) for stage, passed, tried in db.session.execute(query)}
    return tuple(
        StageProgress(
            stage=key,
            name=name,
            passed=counts.get(key, (0, 0))[0],
            attempted=counts.get(key, (0, 0))[1] - counts.get(key, (0, 0))[0],
            not_yet=reps - counts.get(key, (0, 0))[1],
        )
        for key, name in stage_names().items()
    )


def _commitments(rep_ids: Select[Any], today: date) -> CommitmentsKept:
    """Commitments due in the last 90 days, by outcome (none yet: open)."""
    query = (
        select(Commitment.outcome, func.count())
        .where(
            Commitment.rep_id.in_(rep_ids),
            Commitment.due_on >= today - timedelta(days=COMMITMENT_DAYS),
            Commitment.due_on <= today,
        )
        .group_by(Commitment.outcome)
    )
    by_outcome = {key: value for key, value in db.session.execute(query)}
    return CommitmentsKept(
        kept=by_outcome.get(Outcome.KEPT, 0),
        partly=by_outcome.get(Outcome.PARTLY, 0),
        missed=by_outcome.get(Outcome.MISSED, 0),
        open=by_outcome.get(None, 0),
    )
