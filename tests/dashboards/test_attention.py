"""The dashboard's funnel, attention list and cohort day, read in SQL from the plan summaries,
against the rules worked out in Python from every rep's exact row (the dashboard's former way,
kept here as the oracle) on an organisation with a rep for every case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.service import organisation
from app.certification.models import CertificationAttempt
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment, Debrief, DebriefKind
from app.curriculum.models import RubricTemplate
from app.curriculum.service import stage_names
from app.dashboards import service
from app.dashboards.service.attention import ATTENTION_SHOWN
from app.extensions import db
from app.plans import service as plans
from app.plans.models import MilestoneStatus, Plan
from app.plans.status import RepStatus

TODAY = datetime.now(UTC).date()


def _days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def _plan(rep: User) -> Plan:
    plan = plans.active_plan(rep)
    assert plan is not None
    return plan


def _shape(rep: User, overdue: Sequence[int] = (), *, everything: bool = False) -> None:
    """Everything due by today done, then one open milestone for each of ``overdue``'s days
    late; with ``everything``, every milestone done (a complete plan)."""
    milestones = sorted(_plan(rep).milestones, key=lambda m: m.position + 100 * m.phase)
    for milestone in milestones:
        if everything or milestone.due_date < TODAY:
            milestone.status = MilestoneStatus.DONE
    for milestone, late in zip(milestones, overdue, strict=False):
        milestone.status = MilestoneStatus.OPEN
        milestone.due_date = _days_ago(late)


def _debrief(rep: User, days_ago: int, missed: Sequence[int] = ()) -> None:
    """A debrief held ``days_ago``, with a missed commitment due each of ``missed`` days ago."""
    debrief = Debrief(
        rep_id=rep.id,
        coach_id=rep.coach_id,
        held_on=_days_ago(days_ago),
        kind=DebriefKind.ONE_ON_ONE,
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    for n, due in enumerate(missed):
        debrief.commitments.append(
            Commitment(
                rep_id=rep.id,
                action=f"Action {n}",
                measure="Measure",
                due_on=_days_ago(due),
                outcome=Outcome.MISSED,
            )
        )
    db.session.add(debrief)


def _attempt(rep: User, stage: str, days_ago: int, *, passed: bool) -> None:
    rubric_id = db.session.scalar(select(RubricTemplate.id).where(RubricTemplate.stage == stage))
    decided = datetime.combine(_days_ago(days_ago), datetime.min.time()) + timedelta(hours=9)
    db.session.add(
        CertificationAttempt(
            rep_id=rep.id,
            stage=stage,
            rubric_id=rubric_id,
            opened_at=decided - timedelta(days=1),
            decided_at=decided,
            passed=passed,
            assessed_on=decided.date(),
        )
    )


@pytest.fixture
def organisation_of_cases(make_rep, make_user, make_team):
    """A coach's reps in every status and with every reason, and a few of another coach's."""
    coach = make_user(Role.COACH, name="Cora Coach")
    other = make_user(Role.COACH, name="Otto Other")
    north = make_team("North")
    reps: dict[str, User] = {}

    def rep(key: str, day: int, name: str, *, of: User = coach, **shape) -> User:
        reps[key] = made = make_rep(day_of_ramp=day, coach=of, name=name)
        _shape(made, **shape)
        return made

    rep("young", 5, "Ada Young")  # on track, under three weeks: nothing
    rep("quiet", 30, "Bea Quiet")  # no debrief yet
    _debrief(rep("debriefed", 30, "Cal Debriefed"), 3)  # nothing
    _debrief(rep("stale", 60, "Dot Stale"), 25)  # no debrief for 25 days
    _debrief(rep("behind_one", 40, "Eve Behind"), 2)
    reps["behind_one"].team = north
    _shape(reps["behind_one"], overdue=[3])
    _debrief(rep("behind_two", 40, "Fay Behind", overdue=[2, 5]), 2)
    _debrief(rep("many", 50, "Gus Many", overdue=[1, 2, 3, 4, 5]), 2)  # at risk, 5 overdue
    _debrief(rep("late", 50, "Hal Late", overdue=[20]), 2)  # at risk: 20 days late
    _debrief(rep("three", 50, "Ida Three", overdue=[1, 2, 3]), 2)  # at risk, 3 overdue
    _debrief(rep("failed", 30, "Jo Failed"), 2)
    _attempt(reps["failed"], "prospecting", 5, passed=False)
    _debrief(rep("passed_since", 30, "Kim Passed"), 2)
    _attempt(reps["passed_since"], "prospecting", 10, passed=False)
    _attempt(reps["passed_since"], "prospecting", 3, passed=True)
    _debrief(rep("failed_long_ago", 60, "Lou Long"), 2)
    _attempt(reps["failed_long_ago"], "prospecting", 40, passed=False)
    _debrief(rep("much", 45, "Max Much", overdue=[4]), 30, missed=[3, 12, 45])
    for stage in ("prospecting", "discovery"):
        _attempt(reps["much"], stage, 8, passed=False)
    _debrief(rep("missed", 20, "Ned Missed"), 1, missed=[10])
    _debrief(rep("kept_old_miss", 60, "Oli Old"), 1, missed=[31])  # too long ago
    paused = rep("paused", 50, "Pam Paused", overdue=[1, 2, 3, 20])
    _plan(paused).paused_from, _plan(paused).paused_until = _days_ago(2), _days_ago(-5)
    _attempt(paused, "prospecting", 2, passed=False)
    done = rep("complete", 70, "Quin Complete", everything=True)
    _debrief(done, 40, missed=[5])
    reps["no_plan"] = make_user(Role.REP, coach=coach, name="Ray Noplan")
    _debrief(reps["no_plan"], 50, missed=[5])
    # Zones: day 21 by UTC is day 22 where it is already tomorrow, and day 22 day 21 where it
    # is still yesterday (on some hours of the day).
    rep("east", 21, "Sam East").timezone = "Pacific/Kiritimati"
    rep("west", 22, "Tia West").timezone = "Pacific/Honolulu"
    # Business-day plans: day 25 by the calendar is under day 21 in business days.
    organisation().business_days = True
    rep("weekdays_short", 25, "Uma Weekdays")
    rep("weekdays_long", 35, "Vic Weekdays")
    organisation().business_days = False
    rep("others", 40, "Wyn Others", of=other, overdue=[2])
    inactive = rep("inactive", 40, "Xan Gone", overdue=[2])
    inactive.active = False
    db.session.commit()
    return {"coach": coach, "other": other, "north": north, **reps}


def _expected(actor: User, filters: plans.TeamFilters, now: datetime) -> list[tuple]:
    """The attention list by the rules in Python over every rep's exact row (the oracle)."""
    today = now.astimezone(UTC).date()
    rows = plans.team_rows(actor, filters, now, details=False)
    ids = [row.rep_id for row in rows]
    since = datetime.combine(today - timedelta(days=30), datetime.min.time())
    failed: dict[int, list[str]] = {}
    for attempt in db.session.scalars(
        select(CertificationAttempt).order_by(CertificationAttempt.stage)
    ):
        later_pass = any(
            other.rep_id == attempt.rep_id
            and other.stage == attempt.stage
            and other.passed
            and other.decided_at > attempt.decided_at
            for other in db.session.scalars(select(CertificationAttempt))
        )
        recent = attempt.decided_at is not None and attempt.decided_at >= since
        if attempt.rep_id in ids and attempt.passed is False and recent and not later_pass:
            stages = failed.setdefault(attempt.rep_id, [])
            if attempt.stage not in stages:
                stages.append(attempt.stage)
    missed: dict[int, int] = {}
    for commitment in db.session.scalars(select(Commitment)):
        if commitment.outcome == Outcome.MISSED and commitment.due_on >= today - timedelta(30):
            missed[commitment.rep_id] = missed.get(commitment.rep_id, 0) + 1
    last: dict[int, date] = {}
    for debrief in db.session.scalars(select(Debrief)):
        last[debrief.rep_id] = max(last.get(debrief.rep_id, debrief.held_on), debrief.held_on)
    found = []
    for row in rows:
        if not row.has_plan or row.status in (RepStatus.COMPLETE, RepStatus.PAUSED):
            continue
        reasons, weight = [], 0
        if row.overdue:
            plural = "s" if row.overdue != 1 else ""
            at_risk = row.status is RepStatus.AT_RISK
            reasons.append(f"{row.overdue} overdue milestone{plural}{' (at risk)' * at_risk}")
            weight += 3 if at_risk else 1
        for stage in failed.get(row.rep_id, ()):
            reasons.append(f"Did not pass {stage_names().get(stage, stage)} certification")
            weight += 2
        if missed.get(row.rep_id):
            count = missed[row.rep_id]
            reasons.append(f"{count} missed commitment{'s' if count != 1 else ''}")
            weight += count
        seen = last.get(row.rep_id)
        if row.day > 21 and (seen is None or (today - seen).days > 21):
            reasons.append(
                "No debrief yet" if seen is None else f"No debrief for {(today - seen).days} days"
            )
            weight += 1
        if reasons:
            found.append((row.rep_id, row.full_name, row.status, row.overdue, reasons, weight))
    found.sort(key=lambda a: (-a[5], -a[3], a[1], a[0]))
    return found


def _shown(dashboard: service.RampDashboard) -> list[tuple]:
    return [
        (a.rep_id, a.rep_name, a.status, a.overdue, a.reasons, a.weight)
        for a in dashboard.attention
    ]


@pytest.mark.parametrize("hours", [0, 11, 23])
@pytest.mark.parametrize("who", ["coach", "hr", "hr of north"])
def test_the_dashboard_equals_the_rules_over_every_reps_exact_row(
    organisation_of_cases, make_user, who, hours
):
    cases = organisation_of_cases
    now = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=hours)
    actor = cases["coach"] if who == "coach" else make_user(Role.HR)
    team_id = cases["north"].id if who == "hr of north" else None

    dashboard = service.ramp_dashboard(actor, service.Filters(team_id=team_id), now)

    filters = plans.TeamFilters(team_id=team_id)
    expected = _expected(actor, filters, now)
    assert _shown(dashboard) == expected[:ATTENTION_SHOWN]
    assert dashboard.attention_total == len(expected)
    rows = plans.team_rows(actor, filters, now, details=False)
    assert dashboard.funnel == plans.status_counts(rows)
    assert dashboard.reps == len(rows)


def test_the_attention_list_in_words(organisation_of_cases):
    """The coach's list at noon UTC, as the page shows it."""
    cases = organisation_of_cases
    now = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=12)

    dashboard = service.ramp_dashboard(cases["coach"], service.Filters(), now)

    names = stage_names()
    assert [(a.rep_name, a.reasons) for a in dashboard.attention] == [
        (
            "Max Much",
            [
                "1 overdue milestone",
                f"Did not pass {names['discovery']} certification",
                f"Did not pass {names['prospecting']} certification",
                "2 missed commitments",
                "No debrief for 30 days",
            ],
        ),
        ("Gus Many", ["5 overdue milestones (at risk)"]),
        ("Ida Three", ["3 overdue milestones (at risk)"]),
        ("Hal Late", ["1 overdue milestone (at risk)"]),
        ("Jo Failed", [f"Did not pass {names['prospecting']} certification"]),
        ("Fay Behind", ["2 overdue milestones"]),
        ("Eve Behind", ["1 overdue milestone"]),
        ("Bea Quiet", ["No debrief yet"]),
        ("Dot Stale", ["No debrief for 25 days"]),
        ("Ned Missed", ["1 missed commitment"]),
    ]
    assert [a.weight for a in dashboard.attention] == [8, 3, 3, 3, 2, 1, 1, 1, 1, 1]
    # Then Sam East (day 22 in Kiritimati at noon UTC), Tia West and Vic Weekdays; not Uma
    # Weekdays (day 25 by the calendar, under 21 in business days) nor the paused, complete,
    # planless, inactive or other coach's reps, nor a fail since passed or long ago.
    assert dashboard.attention_total == 13
    assert dashboard.funnel[RepStatus.PAUSED] == 1
    assert dashboard.funnel[RepStatus.COMPLETE] == 1
    assert dashboard.funnel[RepStatus.NO_PLAN] == 1


def test_the_cohort_is_compared_at_the_day_its_newest_rep_reached(organisation_of_cases):
    cases = organisation_of_cases
    coach = cases["coach"]
    now = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=23)
    starts = db.session.scalars(select(Plan.start_date).where(Plan.archived_at.is_(None)))
    for month in {start.replace(day=1) for start in starts}:
        rows = plans.team_rows(coach, plans.TeamFilters(cohort=month), now, details=False)
        if not rows:
            continue
        expected = max(1, min(row.day for row in rows if row.has_plan))

        dashboard = service.ramp_dashboard(coach, service.Filters(cohort=month), now)

        comparison = dashboard.comparison

        assert comparison is not None and comparison.day == expected
