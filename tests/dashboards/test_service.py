"""The dashboards' figures, through the services, on small worlds whose answers are known."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import Role
from app.accounts.service import organisation
from app.certification.service import AssessmentEntry, submit_assessment
from app.coaching import service as coaching
from app.coaching.followthrough import Outcome
from app.coaching.models import Commitment, DebriefKind
from app.dashboards import service
from app.dashboards.service.cohorts import months_back
from app.errors import NotAllowed, NotFound
from app.extensions import db
from app.pagination import PageRequest
from app.plans import service as plans
from app.plans.models import Milestone, MilestoneStatus, Plan
from app.plans.status import RepStatus
from tests.conftest import shipped_curriculum

NOW = datetime.now(UTC)
TODAY = NOW.date()


def _milestones(rep) -> list[Milestone]:
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    return list(plan.milestones)


def _do_on_time(rep, *, up_to_day: int) -> None:
    """Mark every milestone due by ``up_to_day`` done on its due date."""
    for milestone in _milestones(rep):
        if milestone.due_day <= up_to_day:
            milestone.status = MilestoneStatus.DONE
            milestone.completed_at = datetime.combine(milestone.due_date, datetime.min.time())
    db.session.commit()


def _debrief(coach, rep, held_on: date, commitments: int = 1):
    setup = coaching.DebriefSetup(held_on=held_on, kind=DebriefKind.ONE_ON_ONE, stage=None)
    debrief = coaching.create_debrief(coach, rep, setup, held_on)
    entries = [
        coaching.CommitmentEntry(f"Action {n}", "Measure", held_on + timedelta(days=7), None, n)
        for n in range(commitments)
    ]
    coaching.record_debrief(coach, debrief, coaching.DebriefRecord(commitments=entries), held_on)
    db.session.commit()
    return debrief


def _pass(coach, rep, stage: str, passed: bool = True) -> None:
    rubric = shipped_curriculum().rubric(stage)
    level = 3 if passed else 1
    entry = AssessmentEntry(
        scores={c.key: level for c in rubric.criteria},
        evidence_kind=rubric.evidence.kinds[0],
        assessed_on=TODAY,
    )
    submit_assessment(coach, rep, stage, entry, TODAY)
    db.session.commit()


def test_the_funnel_counts_reps_by_the_team_lists_rules(make_rep, make_user):
    coach = make_user(Role.COACH)
    make_rep(day_of_ramp=1, coach=coach)  # nothing due yet: on track
    make_rep(day_of_ramp=60, coach=coach)  # nothing done in 60 days: at risk
    done = make_rep(day_of_ramp=60, coach=coach)
    _do_on_time(done, up_to_day=90)  # everything done: complete

    dashboard = service.ramp_dashboard(coach, service.Filters(), NOW)

    assert dashboard.reps == 3
    assert dashboard.funnel[RepStatus.ON_TRACK] == 1
    assert dashboard.funnel[RepStatus.AT_RISK] == 1
    assert dashboard.funnel[RepStatus.COMPLETE] == 1
    rows = plans.team_rows(coach, plans.TeamFilters(), NOW)
    assert dashboard.funnel == plans.status_counts(rows)


def test_the_heatmap_shows_each_plan_weeks_share_done_on_time(make_rep, make_user):
    coach = make_user(Role.COACH)
    keen = make_rep(day_of_ramp=30, coach=coach, name="Kim Keen")
    late = make_rep(day_of_ramp=30, coach=coach, name="Lee Late")
    _do_on_time(keen, up_to_day=30)
    for milestone in _milestones(late):  # done, but a day after it was due
        if milestone.due_day <= 7:
            milestone.status = MilestoneStatus.DONE
            milestone.completed_at = datetime.combine(
                milestone.due_date + timedelta(days=1), datetime.min.time()
            )
    db.session.commit()

    heatmap = service.ramp_dashboard(coach, service.Filters(), NOW).heatmap

    assert heatmap.by == "rep"
    rows = {row.label: row for row in heatmap.rows}
    week_one = [m for m in _milestones(keen) if m.due_day <= 7]
    assert rows["Kim Keen"].cells[0].percent == 100
    assert rows["Kim Keen"].cells[0].due == len(week_one)
    assert rows["Lee Late"].cells[0].percent == 0
    assert rows["Lee Late"].cells[12].due == 0  # week 13 has not come yet
    assert rows["Lee Late"].cells[12].percent is None


def test_certification_progress_counts_passed_attempted_and_not_yet(make_rep, make_user):
    coach = make_user(Role.COACH)
    passer, failer, _waiting = (make_rep(day_of_ramp=30, coach=coach) for _ in range(3))
    _pass(coach, passer, "prospecting")
    _pass(coach, failer, "prospecting", passed=False)

    dashboard = service.ramp_dashboard(coach, service.Filters(), NOW)

    prospecting = next(s for s in dashboard.certifications if s.stage == "prospecting")
    assert (prospecting.passed, prospecting.attempted, prospecting.not_yet) == (1, 1, 1)
    attention = {a.rep_id: a for a in dashboard.attention}
    assert any("Did not pass" in reason for reason in attention[failer.id].reasons)


def test_commitments_kept_and_missed_reps_need_attention(make_rep, make_user):
    coach = make_user(Role.COACH)
    rep = make_rep(day_of_ramp=1, coach=coach)
    _debrief(coach, rep, TODAY, commitments=3)
    db.session.execute(update(Commitment).values(due_on=TODAY - timedelta(days=2)))
    kept, missed, _open = db.session.scalars(select(Commitment).order_by(Commitment.id))
    coaching.review_commitment(coach, kept, Outcome.KEPT, "")
    coaching.review_commitment(coach, missed, Outcome.MISSED, "Did not call")
    db.session.commit()

    dashboard = service.ramp_dashboard(coach, service.Filters(), NOW)

    assert (dashboard.commitments.kept, dashboard.commitments.missed) == (1, 1)
    assert dashboard.commitments.open == 1
    assert dashboard.commitments.kept_rate == 0.5
    assert dashboard.attention[0].reasons == ["1 missed commitment"]


def test_attention_puts_the_at_risk_first_with_their_reasons(make_rep, make_user):
    coach = make_user(Role.COACH)
    fine = make_rep(day_of_ramp=30, coach=coach, name="Fran Fine")
    _do_on_time(fine, up_to_day=40)
    _debrief(coach, fine, TODAY - timedelta(days=3))
    risky = make_rep(day_of_ramp=40, coach=coach, name="Riley Risk")
    quiet = make_rep(day_of_ramp=30, coach=coach, name="Quinn Quiet")
    _do_on_time(quiet, up_to_day=40)

    attention = service.ramp_dashboard(coach, service.Filters(), NOW).attention

    assert [a.rep_name for a in attention] == ["Riley Risk", "Quinn Quiet"]
    assert attention[0].status is RepStatus.AT_RISK
    assert "overdue milestones (at risk)" in attention[0].reasons[0]
    assert attention[0].reasons[-1] == "No debrief yet"
    assert attention[1].reasons == ["No debrief yet"]
    assert risky.id == attention[0].rep_id


def test_filters_narrow_to_a_team_a_role_and_a_start_cohort(make_rep, make_user, make_team):
    hr = make_user(Role.HR)
    north = make_team("North")
    in_north = make_rep(day_of_ramp=5)
    in_north.team = north
    make_rep(day_of_ramp=5, plan="ae-ramp")
    make_rep(day_of_ramp=200)
    db.session.commit()

    def reps(**filters) -> int:
        return service.ramp_dashboard(hr, service.Filters(**filters), NOW).reps

    assert reps() == 3
    assert reps(team_id=north.id) == 1
    roles = service.role_choices()
    assert {"SDR", "AE"} <= set(roles)
    assert reps(role="AE") == 1
    started = (TODAY - timedelta(days=4)).replace(day=1)  # the two day-5 reps' month
    assert reps(cohort=started) == 2
    assert reps(cohort=(TODAY - timedelta(days=199)).replace(day=1)) == 1
    assert reps(cohort=started, role="AE", team_id=north.id) == 0
    assert started in service.cohort_choices(hr)


def test_a_cohort_is_compared_with_the_three_before_at_the_same_plan_day(make_rep, make_user):
    hr = make_user(Role.HR)
    cohort = TODAY.replace(day=1)
    day = (TODAY - cohort).days + 1
    new = make_rep(day_of_ramp=day)  # started on the 1st of this month
    earlier_start = months_back(cohort, 2) + timedelta(days=4)
    earlier = make_rep(day_of_ramp=(TODAY - earlier_start).days + 1)
    # The earlier rep did everything due by the compared day on time, nothing after it, and
    # passed a certification long after that day; the new rep passed one by it.
    _do_on_time(earlier, up_to_day=day)
    _pass(earlier.coach, earlier, "prospecting")
    _pass(new.coach, new, "prospecting")

    dashboard = service.ramp_dashboard(hr, service.Filters(cohort=cohort), NOW)

    comparison = dashboard.comparison
    assert comparison is not None and comparison.day == day
    assert [c.month for c in comparison.cohorts] == [months_back(cohort, n) for n in range(4)]
    chosen, older = comparison.cohorts[0], comparison.cohorts[2]
    assert (chosen.reps, older.reps, comparison.cohorts[1].reps) == (1, 1, 0)
    # Read at its own current day, the chosen cohort's funnel is today's.
    assert chosen.funnel == dashboard.funnel
    assert older.funnel[RepStatus.ON_TRACK] + older.funnel[RepStatus.COMPLETE] == 1
    assert chosen.passed == {"prospecting": 1}
    assert older.passed == {}


def test_without_a_chosen_cohort_nothing_is_compared(make_rep, make_user):
    coach = make_user(Role.COACH)
    make_rep(day_of_ramp=10, coach=coach)
    assert service.ramp_dashboard(coach, service.Filters(), NOW).comparison is None


def test_reps_and_strangers_have_no_dashboard(make_rep, make_user):
    rep = make_rep(day_of_ramp=10)
    with pytest.raises(NotAllowed):
        service.ramp_dashboard(rep, service.Filters(), NOW)


def test_a_coach_is_measured_against_the_organisations_targets(make_rep, make_user):
    organisation().debriefs_per_rep_month = 1
    coach = make_user(Role.COACH, name="Casey Coach")
    rep = make_rep(day_of_ramp=30, coach=coach)
    for weeks in (1, 3, 5):
        _debrief(coach, rep, TODAY - timedelta(weeks=weeks), commitments=1)
    milestone = next(m for m in _milestones(rep) if m.requires_verification)
    plans.record_progress(rep, milestone, note="Done")
    milestone.submitted_at = NOW.replace(tzinfo=None) - timedelta(days=3)
    plans.verify(coach, milestone)
    db.session.execute(update(Commitment).values(due_on=TODAY - timedelta(days=10)))
    first, second, _third = db.session.scalars(select(Commitment).order_by(Commitment.id))
    coaching.review_commitment(coach, first, Outcome.KEPT, "")
    first.reviewed_at = NOW.replace(tzinfo=None) - timedelta(days=9)  # a day after: on time
    coaching.review_commitment(coach, second, Outcome.KEPT, "")  # ten days after: late
    db.session.commit()

    page = service.coach_page(coach, coach.id, NOW)

    row = page.row
    assert row.reps == 1 and row.debriefs == 3
    assert row.cadence == pytest.approx(1.0)
    assert row.meets_cadence
    assert row.verify_median == 3
    assert (row.commitments_due, row.reviewed_on_time, row.not_reviewed) == (3, 1, 1)
    assert row.reviewed_late == 1
    assert sum(point.debriefs for point in page.months) == 3


def test_a_coachs_figures_are_for_them_hr_and_admins(make_user):
    coach, other = make_user(Role.COACH), make_user(Role.COACH)
    assert service.coach_page(make_user(Role.HR), coach.id, NOW).row.coach_id == coach.id
    assert service.coach_page(coach, coach.id, NOW).row.reps == 0
    with pytest.raises(NotAllowed):
        service.coach_page(other, coach.id, NOW)
    with pytest.raises(NotFound):
        service.coach_page(make_user(Role.ADMIN), make_user(Role.HR).id, NOW)
    with pytest.raises(NotAllowed):
        service.coaches_page(coach, PageRequest())


def test_the_coaches_overview_sorts_and_searches(make_rep, make_user):
    busy = make_user(Role.COACH, name="Bo Busy")
    idle = make_user(Role.COACH, name="Ida Idle")
    rep = make_rep(day_of_ramp=30, coach=busy)
    _debrief(busy, rep, TODAY - timedelta(days=2))
    hr = make_user(Role.HR)

    by_cadence = service.coaches_page(hr, PageRequest(sort="cadence", descending=True))
    found = service.coaches_page(hr, PageRequest(search="idle"))

    assert [row.name for row in by_cadence.items][:1] == ["Bo Busy"]
    assert [row.name for row in found.items] == ["Ida Idle"]
    assert idle.id == found.items[0].coach_id


@pytest.mark.parametrize(
    ("histogram", "median"),
    [({}, None), ({3: 1}, 3), ({1: 1, 5: 1}, 3), ({0: 2, 9: 1}, 0), ({1: 1, 2: 2, 10: 1}, 2)],
)
def test_the_median_of_a_histogram(histogram, median):
    assert service.median_of(histogram) == median
