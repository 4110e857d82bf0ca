"""The ramp dashboard: the funnel, the plan-week heatmap, certification progress, commitments
kept and who needs attention this week, for the reps an actor may see.

Everything is counted in SQL over the same reps as the team list (``plans.reps_seen``), in a
fixed number of queries whatever the number of reps: the statuses from the plan summaries by
the team list's own expression (:mod:`app.plans.service.statuses`, the rules of
:mod:`app.plans.status`), who needs attention ranked in SQL (:mod:`.attention`), the rest
from GROUP BY queries.

Each is counted per team, and the dashboard is the sum of the teams' shares: their counts
added, their heatmap rows put together, the first ten of each team merged into the first ten
of all. The shares are kept (:func:`app.generation.kept_by_team`): after a rep's milestone is
ticked, only that rep's team is counted again, not a thousand reps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import chain
from typing import Any

from sqlalchemy import Date, Select, and_, bindparam, case, func, select

from app.accounts.models import Team, User
from app.certification.models import CertificationAttempt
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment
from app.curriculum.service import stage_names
from app.dashboards.models import PLAN_WEEKS, plan_week_tallies
from app.dashboards.service.attention import (
    ATTENTION,
    ATTENTION_SHOWN,
    Attention,
    AttentionList,
    attention_by_team,
)
from app.dashboards.service.cohorts import CohortComparison, compare_cohorts
from app.dashboards.service.filters import Filters
from app.dashboards.service.tallies import WEEKS, on_time, plan_week
from app.dashboards.service.teams import TEAM, of_teams, teams_shown
from app.extensions import db
from app.generation import NO_TEAM
from app.plans import service as plans
from app.plans.models import Milestone, Plan
from app.plans.status import RepStatus
from app.teamshares import TeamTokens, kept_by_team

COMMITMENT_DAYS = 90  # commitments kept: those due in the last 90 days
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
    """A row of the heatmap: per plan week (1 to PLAN_WEEKS), the milestones due and those
    done on time. Kept as numbers: a thousand reps' rows are summed by team, and only the
    rows shown are made into cells."""

    label: str
    due: tuple[int, ...]
    on_time: tuple[int, ...]

    @property
    def cells(self) -> tuple[HeatCell, ...]:
        return tuple(map(HeatCell, self.due, self.on_time))


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
class TeamShare:
    """One team's share of the dashboard: what the whole is summed and merged from."""

    funnel: dict[RepStatus, int] = field(default_factory=lambda: dict.fromkeys(RepStatus, 0))
    heat: HeatRow | None = None  # the team's heatmap row (none: nothing due yet)
    rep_heat: list[HeatRow] = field(default_factory=list)  # its reps' (nothing due: left out)
    team_name: str = "No team"
    certifications: dict[str, tuple[int, int]] = field(default_factory=dict)  # passed, tried
    commitments: dict[Outcome | None, int] = field(default_factory=dict)
    attention: AttentionList = field(default_factory=lambda: AttentionList((), 0))


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


def ramp_dashboard(
    actor: User, filters: Filters, now: datetime | None = None, tokens: TeamTokens | None = None
) -> RampDashboard:
    """The dashboard of the reps ``actor`` may see (a coach's own, HR's and admins' all): the
    sum of their teams' shares, each worked out again only when its team was written to.
    ``tokens``: the teams' tokens, when the caller has read them already."""
    moment = now or datetime.now(UTC)
    today = moment.astimezone(UTC).date()
    team_filters = filters.team_filters()
    plans.rep_ids_seen(actor, team_filters)  # checks the actor may see a team
    every_team = plans.TeamFilters(role=filters.role, cohort=filters.cohort)
    key = (plans.reps_seen_key(actor, every_team), today)

    def shares_of(teams: list[int]) -> dict[int, TeamShare]:
        return team_shares(actor, every_team, teams, moment)

    teams = teams_shown(filters.team_id, tokens)
    shares = kept_by_team("dashboards.ramp", key, teams, shares_of, tokens, moment).values()
    funnel = {status: sum(share.funnel[status] for share in shares) for status in RepStatus}
    count = sum(funnel.values())
    attention = sorted(chain.from_iterable(share.attention.shown for share in shares), key=_rank)
    return RampDashboard(
        filters=filters,
        today=today,
        reps=count,
        funnel=funnel,
        heatmap=_heatmap(shares, by_team=count > HEATMAP_MAX_REPS),
        certifications=_certifications(shares, count),
        commitments=_commitments(shares),
        attention=tuple(attention[:ATTENTION_SHOWN]),
        attention_total=sum(share.attention.total for share in shares),
        comparison=compare_cohorts(actor, filters, moment),
    )


def _rank(item: Attention) -> tuple[int, int, str, int]:
    """The attention list's order (as :mod:`.attention` ranks each team's in SQL)."""
    return (-item.weight, -item.overdue, item.rep_name, item.rep_id)


def team_shares(
    actor: User, filters: plans.TeamFilters, teams: list[int], moment: datetime
) -> dict[int, TeamShare]:
    """The shares of ``teams`` (those with a rep the actor sees), a fixed number of
    statements whatever the number of teams or reps, each built once per whose reps and
    which filters (the teams and the dates are parameters)."""
    today = moment.astimezone(UTC).date()
    key = plans.reps_seen_key(actor, filters)

    def reps() -> Select[Any]:
        return of_teams(plans.reps_seen(actor, filters).order_by(None))

    connection = db.session.connection()
    given = plans.status_parameters(moment) | {"teams": teams}
    shares: dict[int, TeamShare] = {}
    for team, status, count in connection.execute(_FUNNELS.get(key, reps), given):
        _share(shares, team).funnel[RepStatus(status)] = count
    ranking = ATTENTION.get(key, reps)
    for team, attention in attention_by_team(ranking, given, moment, today).items():
        _share(shares, team).attention = attention
    dates = {
        "teams": teams,
        "today": today,
        "commitments_since": today - timedelta(days=COMMITMENT_DAYS),
    }
    every = connection.execute(_HEAT.get(key, reps), dates).all()
    later = connection.execute(_NOT_YET_DUE.get(key, reps), dates)
    for team, row in _heat_rows(every, later):
        _share(shares, team).rep_heat.append(row)
    for share in shares.values():
        share.heat = _summed(share.rep_heat)
    for team, stage, passed, tried in connection.execute(_CERTIFIED.get(key, reps), dates):
        _share(shares, team).certifications[stage] = (passed, tried)
    for team, outcome, count in connection.execute(_COMMITTED.get(key, reps), dates):
        _share(shares, team).commitments[outcome] = count
    named = {"team_ids": [team for team in shares if team != NO_TEAM]}
    for team, name in connection.execute(_TEAM_NAMES, named):
        shares[team].team_name = name
    return shares


def _share(shares: dict[int, TeamShare], team: int) -> TeamShare:
    found = shares.get(team)
    if found is None:
        found = shares[team] = TeamShare()
    return found


def _funnel_query(reps: Select[Any]) -> Select[Any]:
    """Each team's reps counted by status (the team list's expression)."""
    kept = plans.with_active_plan(reps.add_columns(plans.STATUS.label("status")))
    counted = kept.subquery()
    team, status = counted.c.team, counted.c.status
    return select(team, status, func.count()).group_by(team, status)


_TODAY = bindparam("today", type_=Date)
# The sums of every week's two tallies.
_TALLY_SUMS = [
    func.sum(plan_week_tallies.c[f"{kind}_{n}"]) for kind in ("due", "on_time") for n in WEEKS
]


def _active_plans_of(reps: Select[Any]) -> tuple[Any, ...]:
    return (Plan.archived_at.is_(None), Plan.rep_id.in_(reps.with_only_columns(User.id)))


def _heat_query(reps: Select[Any]) -> Select[Any]:
    """Per rep (with their team and name) and plan week: the milestones of their active plan,
    and those done on time."""
    columns: list[Any] = [TEAM, User.id, User.full_name, *_TALLY_SUMS]
    return (
        select(*columns)
        .select_from(plan_week_tallies)
        .join(Plan, Plan.id == plan_week_tallies.c.plan_id)
        .join(User, User.id == Plan.rep_id)
        .where(*_active_plans_of(reps))
        .group_by(TEAM, User.id, User.full_name)
    )


def _not_yet_due_query(reps: Select[Any]) -> Select[Any]:
    """Per rep and plan week: those of :func:`_heat_query` due today or later."""
    week = plan_week()
    return (
        select(Plan.rep_id, week, func.count(), func.count(case((on_time(), 1))))
        .select_from(Milestone)
        .join(Plan, Plan.id == Milestone.plan_id)
        .where(*_active_plans_of(reps), Milestone.due_date >= _TODAY)
        .group_by(Plan.rep_id, week)
    )


def _certified_query(reps: Select[Any]) -> Select[Any]:
    """Per team and sales stage, the reps with a valid pass and those who tried."""
    valid_pass = and_(
        CertificationAttempt.passed.is_(True),
        func.coalesce(CertificationAttempt.expires_on, _TODAY) >= _TODAY,
    )
    columns: list[Any] = [
        TEAM,
        CertificationAttempt.stage,
        func.count(func.distinct(case((valid_pass, CertificationAttempt.rep_id)))),
        func.count(func.distinct(CertificationAttempt.rep_id)),
    ]
    return (
        select(*columns)
        .join(User, User.id == CertificationAttempt.rep_id)
        .where(CertificationAttempt.rep_id.in_(reps.with_only_columns(User.id)))
        .group_by(TEAM, CertificationAttempt.stage)
    )


def _committed_query(reps: Select[Any]) -> Select[Any]:
    """Per team, the commitments due in the last 90 days by outcome (none yet: open)."""
    columns: list[Any] = [TEAM, Commitment.outcome, func.count()]
    return (
        select(*columns)
        .join(User, User.id == Commitment.rep_id)
        .where(
            Commitment.rep_id.in_(reps.with_only_columns(User.id)),
            Commitment.due_on >= bindparam("commitments_since", type_=Date),
            Commitment.due_on <= _TODAY,
        )
        .group_by(TEAM, Commitment.outcome)
    )


# Each part's statement, kept per whose reps and which filters (a query of people with their
# team, :func:`of_teams`).
_FUNNELS = plans.StatementMemo(_funnel_query)
_HEAT = plans.StatementMemo(_heat_query)
_NOT_YET_DUE = plans.StatementMemo(_not_yet_due_query)
_CERTIFIED = plans.StatementMemo(_certified_query)
_COMMITTED = plans.StatementMemo(_committed_query)
_TEAM_NAMES = select(Team.id, Team.name).where(Team.id.in_(bindparam("team_ids", expanding=True)))


def _heat_rows(every: Iterable[Any], later: Iterable[Any]) -> list[tuple[int, HeatRow]]:
    """Per rep (with their team) and plan week, the milestones due before today and those
    done on time: the plans' tallies count every milestone; those due today or later are
    taken away. Reps with nothing due yet are left out."""
    weeks = PLAN_WEEKS
    not_yet: dict[int, list[int]] = {}  # per rep: due, then done on time, week by week
    for rep, number, due, done in later:
        gone = not_yet.get(rep)
        if gone is None:
            gone = not_yet[rep] = [0] * (2 * weeks)
        gone[number - 1], gone[weeks + number - 1] = due, done
    rows = []
    for team, rep, name, *counts in every:
        gone = not_yet.get(rep)
        if gone is not None:
            counts = [count - taken for count, taken in zip(counts, gone, strict=True)]
        due = tuple(counts[:weeks])
        if any(due):
            rows.append((team, HeatRow(name, due, tuple(counts[weeks:]))))
    return rows


def _summed(rows: list[HeatRow]) -> HeatRow | None:
    """A team's row: its reps' rows added up, week by week (none: no rep)."""
    if not rows:
        return None
    due = tuple(map(sum, zip(*(row.due for row in rows), strict=True)))
    on_time = tuple(map(sum, zip(*(row.on_time for row in rows), strict=True)))
    return HeatRow("", due, on_time)


def _heatmap(shares: Iterable[TeamShare], *, by_team: bool) -> Heatmap:
    """Each team's row, or, for a few reps, each rep's."""
    if by_team:
        rows = [replace(share.heat, label=share.team_name) for share in shares if share.heat]
    else:
        rows = [row for share in shares for row in share.rep_heat]
    rows.sort(key=lambda row: row.label.lower())
    return Heatmap(by="team" if by_team else "rep", rows=tuple(rows))


def _certifications(shares: Iterable[TeamShare], reps: int) -> tuple[StageProgress, ...]:
    """Per sales stage, the reps with a valid pass, those who tried without one, the rest."""
    passed: dict[str, int] = {}
    tried: dict[str, int] = {}
    for share in shares:
        for stage, (valid, any_attempt) in share.certifications.items():
            passed[stage] = passed.get(stage, 0) + valid
            tried[stage] = tried.get(stage, 0) + any_attempt
    return tuple(
        StageProgress(
            stage=key,
            name=name,
            passed=passed.get(key, 0),
            attempted=tried.get(key, 0) - passed.get(key, 0),
            not_yet=reps - tried.get(key, 0),
        )
        for key, name in stage_names().items()
    )


def _commitments(shares: Iterable[TeamShare]) -> CommitmentsKept:
    by_outcome: dict[Outcome | None, int] = {}
    for share in shares:
        for outcome, count in share.commitments.items():
            by_outcome[outcome] = by_outcome.get(outcome, 0) + count
    return CommitmentsKept(
        kept=by_outcome.get(Outcome.KEPT, 0),
        partly=by_outcome.get(Outcome.PARTLY, 0),
        missed=by_outcome.get(Outcome.MISSED, 0),
        open=by_outcome.get(None, 0),
    )
