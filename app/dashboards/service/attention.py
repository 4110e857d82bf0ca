"""Who needs attention this week: the reps the dashboard lists first, ranked in SQL.

A rep needs attention for overdue milestones (weighing 3 when at risk, else 1), each stage
whose certification they failed in the last 30 days without passing it since (2 each), the
commitments they missed in the last 30 days (1 each), and no debrief for three weeks once
past day 21 of their plan (1). Reps without a plan, with a complete plan or on leave are left
out. The most pressing come first: by weight, then by overdue count, then by name.

A thousand reps are not read for ten: one statement weighs every kept rep (their status from
the plan summaries, :mod:`app.plans.service.statuses`, and their reasons from their own
attempts, commitments and debriefs, read rep by rep through indexes), ranks them within
their team and keeps each team's first ten with the team's total and the names of the stages
they failed (stage keys are slugs: a space separates them). The dashboard merges the teams'
first tens (kept per team) into the first ten of all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, DateTime, Select, and_, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.certification.models import CertificationAttempt
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment, Debrief
from app.curriculum.service import stage_names
from app.extensions import db
from app.plans import service as plans
from app.plans.models import UNFINISHED, Milestone, MilestoneStatus, Plan, PlanSummary
from app.plans.schedule import day_of_ramp
from app.plans.status import RepStatus

RECENT_DAYS = 30  # a failed certification or missed commitment this recent needs attention
NO_DEBRIEF_DAYS = 21  # three weeks without a debrief needs attention
ATTENTION_SHOWN = 10
_LEFT_OUT = (RepStatus.NO_PLAN, RepStatus.COMPLETE, RepStatus.PAUSED)  # done, or on leave


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
class AttentionList:
    shown: tuple[Attention, ...]  # the first ATTENTION_SHOWN
    total: int  # every rep who needs attention


def _failed_since(since: Any) -> Select[Any]:
    """(rep, stage) of the attempts failed since ``since`` with no pass decided after them."""
    attempt, later = CertificationAttempt, aliased(CertificationAttempt)
    passed_later = exists().where(
        later.rep_id == attempt.rep_id,
        later.stage == attempt.stage,
        later.passed.is_(True),
        later.decided_at > attempt.decided_at,
    )
    columns: list[Any] = [attempt.rep_id, attempt.stage]
    return select(*columns).where(
        attempt.passed.is_(False), attempt.decided_at >= since, ~passed_later
    )


def _figures() -> tuple[Any, ...]:
    """Each rep's status, plan and reasons' figures, as columns over a query of people joined
    to their active plan (:func:`plans.with_active_plan`). Built once: the reasons are
    subqueries of the rep's own rows (read through their indexes, by rep), the dates
    parameters; a coach's twenty reps are not counted among a thousand."""
    failed = (
        _failed_since(bindparam("failed_since", type_=DateTime))
        .with_only_columns(func.count(func.distinct(CertificationAttempt.stage)))
        .where(CertificationAttempt.rep_id == User.id)
        .scalar_subquery()
    )
    missed = (
        select(func.count())
        .where(
            Commitment.rep_id == User.id,
            Commitment.outcome == Outcome.MISSED,
            Commitment.due_on >= bindparam("missed_since", type_=Date),
        )
        .scalar_subquery()
    )
    last_debrief = (
        select(func.max(Debrief.held_on)).where(Debrief.rep_id == User.id).scalar_subquery()
    )
    # Past day 21 of the plan on the rep's own today: started by the latest start date that
    # is (parameters, one per possible today, for calendar and for business-day plans).
    started_by = case(
        (Plan.business_days, plans.on_own_day("business_start")),
        else_=plans.on_own_day("calendar_start"),
    )
    return (
        plans.STATUS.label("status"),
        Plan.id.label("plan_id"),
        plans.on_own_day("day").label("today"),
        PlanSummary.second_open_due,
        case((Plan.start_date <= started_by, 1), else_=0).label("past_day"),
        failed.label("failed"),
        missed.label("missed"),
        last_debrief.label("last_debrief"),
    )


_FIGURES = _figures()


def _ranked(reps: Select[Any]) -> Select[Any]:
    """The reps who need attention, weighed, most pressing first within their team: each
    team's first ten, with the team's total and the names of the stages they failed.
    ``reps``: a query of people with their ``team`` (:func:`..ramp.of_teams`)."""
    # Materialized: each rep's figures worked out once, not again where the ranking reads them.
    weighed = plans.with_active_plan(reps.add_columns(*_FIGURES))
    kept = weighed.cte("weighed").prefix_with("MATERIALIZED")
    status = kept.c.status
    overdue_weight = case(
        (status == RepStatus.AT_RISK.value, 3), (status == RepStatus.BEHIND.value, 1), else_=0
    )
    last_debrief = kept.c.last_debrief
    quiet = case(
        (
            and_(
                kept.c.past_day == 1,
                or_(
                    last_debrief.is_(None),
                    last_debrief < bindparam("debriefed_since", type_=Date),
                ),
            ),
            1,
        ),
        else_=0,
    ).label("quiet")
    weight = (overdue_weight + 2 * kept.c.failed + kept.c.missed + quiet).label("weight")
    # The exact overdue count. Behind is one or two overdue (the second earliest open due
    # date tells which); at risk may be any number, counted from their open milestones due
    # before their own today (only theirs: some hundreds of plans, not a thousand).
    at_risk_overdue = (
        select(func.count())
        .where(
            Milestone.plan_id == kept.c.plan_id,
            UNFINISHED,
            Milestone.status == MilestoneStatus.OPEN,
            Milestone.due_date < kept.c.today,
        )
        .scalar_subquery()
    )
    second_late = case((kept.c.second_open_due < kept.c.today, 2), else_=1)
    overdue = case(
        (status == RepStatus.AT_RISK.value, at_risk_overdue),
        (status == RepStatus.BEHIND.value, second_late),
        else_=0,
    ).label("overdue")
    on_a_plan = status.in_([s.value for s in RepStatus if s not in _LEFT_OUT])
    needing = (
        select(
            kept.c.id,
            kept.c.full_name,
            kept.c.team,
            status,
            weight,
            overdue,
            kept.c.failed,
            kept.c.missed,
            last_debrief,
            quiet,
        )
        .where(on_a_plan, weight > 0)
        .subquery("needing")
    )
    # By the columns: each figure is worked out once per rep, not again to rank.
    order = (needing.c.weight.desc(), needing.c.overdue.desc(), needing.c.full_name, needing.c.id)
    ranked = select(
        needing,
        func.row_number().over(partition_by=needing.c.team, order_by=order).label("place"),
        func.count().over(partition_by=needing.c.team).label("total"),
    ).subquery("ranked")
    # The failed stages' names for the first ten only (a stage failed twice is named twice).
    stages = (
        _failed_since(bindparam("failed_since", type_=DateTime))
        .with_only_columns(func.aggregate_strings(CertificationAttempt.stage, " "))
        .where(CertificationAttempt.rep_id == ranked.c.id)
        .scalar_subquery()
    )
    return (
        select(ranked, stages.label("failed_stages"))
        .where(ranked.c.place <= ATTENTION_SHOWN)
        .order_by(ranked.c.team, ranked.c.place)
    )


# The ranking of a query of people (unordered), kept per whose reps and which filters.
ATTENTION = plans.StatementMemo(_ranked)


def attention_by_team(
    ranking: Select[Any], statuses: dict[str, Any], moment: datetime, today: date
) -> dict[int, AttentionList]:
    """Each team's first ten reps of ``ranking`` (from :data:`ATTENTION`) who need attention,
    and how many do. ``statuses``: :func:`plans.status_parameters` at ``moment``, and the
    ``teams``. ``today`` is the UTC date the recent reasons count back from; the statuses,
    the overdue counts and the day of each plan are on each rep's own today."""
    given = dict(statuses)
    for position, day in enumerate(plans.possible_todays(moment)):
        given[f"calendar_start_{position}"] = _latest_start_past(NO_DEBRIEF_DAYS, day, False)
        given[f"business_start_{position}"] = _latest_start_past(NO_DEBRIEF_DAYS, day, True)
    given["failed_since"] = datetime.combine(
        today - timedelta(days=RECENT_DAYS), datetime.min.time()
    )
    given["missed_since"] = today - timedelta(days=RECENT_DAYS)
    given["debriefed_since"] = today - timedelta(days=NO_DEBRIEF_DAYS)
    by_team: dict[int, list[Any]] = {}
    for line in db.session.connection().execute(ranking, given):
        by_team.setdefault(line.team, []).append(line)
    names = stage_names()
    return {
        team: AttentionList(tuple(_item(line, today, names) for line in lines), lines[0].total)
        for team, lines in by_team.items()
    }


def _latest_start_past(day: int, today: date, business_days: bool) -> date:
    """The latest start date whose plan is past day ``day`` on ``today``: the rules of
    :func:`day_of_ramp`, which never give an earlier start a smaller day."""
    start = today - timedelta(days=day)  # day ``day + 1`` by the calendar
    while day_of_ramp(start, today, business_days) <= day:  # business days lag behind
        start -= timedelta(days=1)
    return start


def _item(line: Any, today: date, names: dict[str, str]) -> Attention:
    """A ranked line as the list shows it: the reasons in words, most pressing first."""
    status = RepStatus(line.status)
    item = Attention(line.id, line.full_name, status, line.overdue, weight=line.weight)
    if line.overdue:
        plural = "s" if line.overdue != 1 else ""
        late = " (at risk)" if status is RepStatus.AT_RISK else ""
        item.reasons.append(f"{line.overdue} overdue milestone{plural}{late}")
    for stage in sorted(set(line.failed_stages.split(" ")) if line.failed_stages else ()):
        item.reasons.append(f"Did not pass {names.get(stage, stage)} certification")
    if line.missed:
        item.reasons.append(f"{line.missed} missed commitment{'s' if line.missed != 1 else ''}")
    if line.quiet:
        last = line.last_debrief
        since = "No debrief yet" if last is None else f"No debrief for {(today - last).days} days"
        item.reasons.append(since)
    return item
