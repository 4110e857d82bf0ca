"""The stored judgements and the drivers' milestone facts always equal a recomputation from the
raw rows, after every kind of write: figures imported or logged, a plan replaced or its start
moved, a milestone reported, a commitment reviewed, a rep's own start date corrected."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, func, or_, select

from app.accounts.models import Role, User
from app.coaching import service as coaching
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment
from app.curriculum.models import PlanTemplate
from app.errors import DomainError
from app.extensions import db
from app.metrics import service as metrics
from app.metrics.models import ActivitySource
from app.outcomes import service
from app.outcomes.cohorts import RepRamp
from app.outcomes.drivers import Doing, compare_all
from app.outcomes.models import OutcomeJudgement
from app.outcomes.service.definition import current_definition
from app.outcomes.service.drivers import CERTIFICATION, MILESTONE, minimum_of, plan_drivers
from app.outcomes.service.gathering import gather, reps_query
from app.outcomes.service.judging import OutcomeRow, outcome_of
from app.outcomes.service.sqldates import day_after
from app.outcomes.service.summary import outcomes_summary
from app.outcomes.summary import ramp_summary
from app.plans.models import MeasureKind, Milestone, MilestoneStatus, Plan
from app.plans.service import assign_plan, record_progress
from tests.coaching.conftest import commitment, make_debrief  # noqa: F401 (a fixture)
from tests.outcomes.conftest import import_days, import_reps_days

EVERYONE = service.RepFilters()


def recomputed(actor: User, today: date) -> list[OutcomeRow]:
    """Every rep's outcomes judged from the raw rows, nothing stored read."""
    definition = current_definition()
    assert definition is not None
    found = gather(reps_query(actor, EVERYONE), today, definition.target_metrics)
    return [replace(outcome_of(rep, definition, today), score=None) for rep in found]


def stored(actor: User, today: date) -> list[OutcomeRow]:
    """The page's rows once every judgement is stored: the second read judges nobody."""
    service.outcome_rows(actor, EVERYONE, today)
    judged = db.session.scalar(select(func.count()).select_from(OutcomeJudgement))
    rows = service.outcome_rows(actor, EVERYONE, today)
    assert db.session.scalar(select(func.count()).select_from(OutcomeJudgement)) == judged
    return rows


def drivers_recomputed(actor: User, today: date, rows: list[OutcomeRow]) -> list[object]:
    """The comparisons from every active plan's milestones, as the page worked them out
    before the facts were stored."""
    ramped_day = {row.rep_id: row.ramped_day for row in rows if row.attainments is not None}
    acted = Milestone.status != MilestoneStatus.OPEN
    acted_at = func.coalesce(Milestone.submitted_at, Milestone.completed_at)
    statement = (
        select(
            Plan.rep_id,
            PlanTemplate.role,
            Milestone.key,
            Milestone.title,
            Milestone.measure_kind,
            Milestone.certification_stage,
            and_(acted, acted_at < day_after(Milestone.due_date)),
        )
        .join(Plan, Plan.id == Milestone.plan_id)
        .join(PlanTemplate, PlanTemplate.id == Plan.template_id)
        .where(Plan.archived_at.is_(None), or_(acted, Milestone.due_date <= today))
        .order_by(Plan.rep_id, Milestone.id)
    )
    parts: dict[tuple[str, str], list[Doing]] = {}
    labels: dict[tuple[str, str], str] = {}
    for rep_id, role, key, title, kind, stage, on_time in db.session.execute(statement):
        if rep_id not in ramped_day:
            continue
        if kind == MeasureKind.CERTIFICATION and stage:
            part = (CERTIFICATION, stage)
            labels[part] = stage.title()
        else:
            part = (MILESTONE, f"{role or ''}:{key}")
            labels[part] = f"{title} ({role})" if role else title
        parts.setdefault(part, []).append(Doing(rep_id, bool(on_time), ramped_day[rep_id]))
    found = compare_all(parts, labels, minimum_of(current_definition()))
    return [(c.kind, c.key, c.on_time, c.late, c.enough) for c in found]


def assert_in_step(hr: User) -> None:
    today = date.today()
    rows = stored(hr, today)
    again = recomputed(hr, today)
    assert [replace(row, score=None) for row in rows] == again
    comparisons = plan_drivers(hr, EVERYONE, today).comparisons
    assert [(c.kind, c.key, c.on_time, c.late, c.enough) for c in comparisons] == (
        drivers_recomputed(hr, today, again)
    )
    ramps = [
        RepRamp(r.rep_id, r.start, r.ramped_day)
        for r in again
        if r.start and r.attainments is not None
    ]
    assert outcomes_summary(hr, EVERYONE, today) == ramp_summary(ramps, today)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["import", "log", "replan", "restart", "report", "review", "own start"]),
        st.integers(min_value=0, max_value=1),  # which rep
        st.integers(min_value=1, max_value=150),  # a ramp day, or days back
        st.integers(min_value=0, max_value=12),  # a figure
    ),
    min_size=1,
    max_size=6,
)


def _write(
    kind: str,
    rep: User,
    day: int,
    value: int,
    source: ActivitySource,
    debrief: Callable[..., object],
) -> None:
    today = date.today()
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id, Plan.archived_at.is_(None)))
    if kind == "import" and plan is not None:
        import_days(source, rep, [(day, {"meetings_booked": value, "meetings_held": value % 3})])
    elif kind == "log":
        values = {"dials": value, "meetings_booked": value, "meetings_held": value % 2}
        metrics.log_day(rep, today - timedelta(days=day % 5), values, today)
    elif kind == "replan":
        assign_plan(
            rep.coach, rep, "ae-ramp" if value % 2 else "sdr-ramp", today - timedelta(days=day)
        )
    elif kind == "restart" and plan is not None:
        plan.start_date = today - timedelta(days=day)
    elif kind == "report" and plan is not None:
        open_ones = [m for m in plan.milestones if m.status == MilestoneStatus.OPEN]
        reportable = [m for m in open_ones if m.measure_kind != MeasureKind.CERTIFICATION]
        if reportable:
            milestone = reportable[day % len(reportable)]
            record_progress(rep, milestone, value=float(value * 10))
    elif kind == "review":
        found = debrief(rep.coach, rep, commitments=[commitment(today=today)])
        entry = db.session.scalar(select(Commitment).where(Commitment.debrief_id == found.id))
        outcome = (Outcome.KEPT, Outcome.PARTLY, Outcome.MISSED)[value % 3]
        coaching.review_commitment(rep.coach, entry, outcome, "Reviewed")
    elif kind == "own start":
        rep.start_date = today - timedelta(days=day)
    db.session.commit()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_the_judgements_in_step(
    make_rep,
    make_user,
    make_debrief,  # noqa: F811 (the fixture imported above)
    source,
    operations,
):
    hr = make_user(Role.HR)
    reps = [make_rep(day_of_ramp=95), make_rep(day_of_ramp=140)]
    assert_in_step(hr)
    for kind, which, day, value in operations:
        try:
            _write(kind, reps[which], day, value, source, make_debrief)
        except DomainError:  # refused (a day too far back, say): nothing changes
            db.session.rollback()
        assert_in_step(hr)


def _peers_medians(rep: User, hr: User) -> list[float | None]:
    """The ramped peers' median of each month, recomputed from the raw rows."""
    definition = current_definition()
    assert definition is not None
    rows = recomputed(hr, date.today())
    role = next(row.role for row in rows if row.rep_id == rep.id)
    targets = definition.spec.targets_for(role)
    assert targets is not None and role is not None
    ramped = [
        row.attainments
        for row in rows
        if row.rep_id != rep.id
        and row.ramped_on
        and row.attainments
        and (row.role or "").upper() == role.upper()
    ]
    medians: list[float | None] = []
    for month in range(1, len(service.rep_numbers(hr, rep, date.today()).months) + 1):
        shares = [found[month] for found in ramped if month in found]
        median = statistics.median(shares) if len(shares) >= service.MIN_PEERS else None
        medians.append(
            None if median is None else round(median * targets.target_in_month(month), 1)
        )
    return medians


def test_a_reps_numbers_compare_with_the_ramped_peers_as_recomputed(
    make_rep: Callable[..., User], make_user: Callable[..., User], source: ActivitySource
) -> None:
    hr = make_user(Role.HR)
    peers = [make_rep(day_of_ramp=130) for _ in range(4)]
    # One file for all: a file replaces the days it covers, and they started the same day.
    import_reps_days(
        source,
        [
            (p, [(70, {"meetings_booked": 8 + n}), (95, {"meetings_booked": 9})])
            for n, p in enumerate(peers)
        ],
    )
    rep = make_rep(day_of_ramp=100)
    shown = [line.ramped_median for line in service.rep_numbers(hr, rep, date.today()).months]
    assert shown == _peers_medians(rep, hr)
    assert any(median is not None for median in shown)
    db.session.commit()
    import_days(source, peers[0], [(40, {"meetings_booked": 30})])  # a peer's month 2 changes
    shown = [line.ramped_median for line in service.rep_numbers(hr, rep, date.today()).months]
    assert shown == _peers_medians(rep, hr)
