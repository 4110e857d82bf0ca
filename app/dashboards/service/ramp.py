"""The ramp dashboard: the funnel, the plan-week heatmap, certification progress, commitments
kept and who needs attention this week, for the reps an actor may see.

Everything is counted in SQL over the same reps as the team list (``plans.reps_seen``), in a
fixed number of queries whatever the number of reps: the statuses come from the team list's
own per-plan counts (the rules of :mod:`app.plans.status`), the rest from GROUP BY queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Select, and_, case, exists, func, literal, select
from sqlalchemy.orm import aliased

from app.accounts.models import Team, User
from app.certification.models import CertificationAttempt
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment, Debrief
from app.curriculum.service import stage_names
from app.dashboards.models import PLAN_WEEKS, plan_week_tallies
from app.dashboards.service.cohorts import CohortComparison, compare_cohorts
from app.dashboards.service.filters import Filters
from app.dashboards.service.tallies import WEEKS, on_time, plan_week
from app.extensions import db
from app.plans import service as plans
from app.plans.models import Milestone, Plan
from app.plans.status import RepStatus

COMMITMENT_DAYS = 90  # commitments kept: those due in the last 90 days
RECENT_DAYS = 30  # a failed certification or missed commitment this recent needs attention
NO_DEBRIEF_DAYS = 21  # three weeks without a debrief needs attention
ATTENTION_SHOWN = 10
HEATMAP_MAX_REPS = 60  # more reps than this are shown by team

FUNNEL = (RepStatus.ON_TRACK, RepStatus.BEHIND, RepStatus.AT_RISK)


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


@dataclass
class Attention:
    """A rep who needs attention this week, and why (most pressing first)."""

    rep_id: int
    rep_name: str
    status: RepStatus
    overdue: int = 0
    reasons: list[str] = field(default_factory=list)
    weight: int = 0


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
    rows = plans.team_rows(actor, team_filters, moment, details=False)
    rep_ids = plans.rep_ids_seen(actor, team_filters)
    attention = _attention(rows, rep_ids, today)
    return RampDashboard(
        filters=filters,
        today=today,
        reps=len(rows),
        funnel=plans.status_counts(rows),
        heatmap=_heatmap(rep_ids, today, by_team=len(rows) > HEATMAP_MAX_REPS),
        certifications=_certifications(rep_ids, len(rows), today),
        commitments=_commitments(rep_ids, today),
        attention=tuple(attention[:ATTENTION_SHOWN]),
        attention_total=len(attention),
        comparison=compare_cohorts(actor, filters, rows),
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


def _attention(rows: Sequence[plans.RepRow], rep_ids: Select[Any], today: date) -> list[Attention]:
    """Reps with overdue milestones, a recent failed certification, recent missed commitments
    or no debrief for three weeks: the at-risk first, then by how many reasons weigh."""
    failed = _recently_failed(rep_ids, today)
    missed = _recently_missed(rep_ids, today)
    last_debrief = _last_debriefs(rep_ids)
    found = []
    for row in rows:
        if not row.has_plan or row.status in (RepStatus.COMPLETE, RepStatus.PAUSED):  # on leave
            continue
        item = Attention(row.rep_id, row.full_name, row.status, row.overdue)
        if row.overdue:
            plural = "s" if row.overdue != 1 else ""
            late = " (at risk)" if row.status is RepStatus.AT_RISK else ""
            item.reasons.append(f"{row.overdue} overdue milestone{plural}{late}")
            item.weight += 3 if row.status is RepStatus.AT_RISK else 1
        for stage in failed.get(row.rep_id, ()):
            item.reasons.append(f"Did not pass {stage_names().get(stage, stage)} certification")
            item.weight += 2
        if missed.get(row.rep_id):
            count = missed[row.rep_id]
            item.reasons.append(f"{count} missed commitment{'s' if count != 1 else ''}")
            item.weight += count
        last = last_debrief.get(row.rep_id)
        if row.day > NO_DEBRIEF_DAYS and (last is None or (today - last).days > NO_DEBRIEF_DAYS):
            since = (
                "No debrief yet" if last is None else f"No debrief for {(today - last).days} days"
            )
            item.reasons.append(since)
            item.weight += 1
        if item.reasons:
            found.append(item)
    found.sort(key=lambda a: (-a.weight, -a.overdue, a.rep_name, a.rep_id))
    return found


def _recently_failed(rep_ids: Select[Any], today: date) -> dict[int, list[str]]:
    """Stages whose attempt failed in the last 30 days, with no pass since."""
    later = aliased(CertificationAttempt)
    decided_since = datetime.combine(today - timedelta(days=RECENT_DAYS), datetime.min.time())
    passed_later = exists().where(
        later.rep_id == CertificationAttempt.rep_id,
        later.stage == CertificationAttempt.stage,
        later.passed.is_(True),
        later.decided_at > CertificationAttempt.decided_at,
    )
    query = (
        select(CertificationAttempt.rep_id, CertificationAttempt.stage)
        .where(
            CertificationAttempt.rep_id.in_(rep_ids),
            CertificationAttempt.passed.is_(False),
            CertificationAttempt.decided_at >= decided_since,
            ~passed_later,
        )
        .group_by(CertificationAttempt.rep_id, CertificationAttempt.stage)
        .order_by(CertificationAttempt.stage)
    )
    found: dict[int, list[str]] = {}
    for rep_id, stage in db.session.execute(query):
        found.setdefault(rep_id, []).append(stage)
    return found


def _recently_missed(rep_ids: Select[Any], today: date) -> dict[int, int]:
    query = (
        select(Commitment.rep_id, func.count())
        .where(
            Commitment.rep_id.in_(rep_ids),
            Commitment.outcome == Outcome.MISSED,
            Commitment.due_on >= today - timedelta(days=RECENT_DAYS),
        )
        .group_by(Commitment.rep_id)
    )
    return {key: value for key, value in db.session.execute(query)}


def _last_debriefs(rep_ids: Select[Any]) -> dict[int, date]:
    query = (
        select(Debrief.rep_id, func.max(Debrief.held_on))
        .where(Debrief.rep_id.in_(rep_ids))
        .group_by(Debrief.rep_id)
    )
    return {key: value for key, value in db.session.execute(query)}
