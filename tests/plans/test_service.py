"""The plans service: assigning plans, recording progress, verifying, and tracking completion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.accounts.service import update_organisation
from app.curriculum.models import PlanTemplate
from app.curriculum.service import store_curriculum
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.plans import service
from app.plans.models import MeasureKind, Milestone, MilestoneEvent, MilestoneStatus, Plan
from app.plans.status import MilestoneState, RepStatus
from tests.conftest import shipped_curriculum

MONDAY = date(2025, 3, 3)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return datetime.now(UTC).date()


def pick(plan: Plan, kind: MeasureKind, verify: bool = False) -> Milestone:
    """The first milestone of the plan with this measure and verification rule."""
    return next(
        m for m in plan.milestones if m.measure_kind == kind and m.requires_verification == verify
    )


def plan_of(rep) -> Plan:
    plan = service.active_plan(rep)
    assert plan is not None
    return plan


def template_spec(key: str):
    return next(t for t in shipped_curriculum().plans if t.id == key)


# --- assigning ------------------------------------------------------------------------------


def test_assign_copies_every_milestone_with_a_concrete_due_date(make_user, curriculum):
    coach = make_user(Role.COACH)
    rep = make_user(Role.REP, coach=coach)

    plan = service.assign_plan(coach, rep, "sdr-ramp", MONDAY)
    db.session.commit()

    spec = template_spec("sdr-ramp")
    expected = {
        m.key: (phase, m.title, m.due_day, m.verify, m.measure.kind)
        for phase, m in spec.milestones()
    }
    copied = {
        m.key: (m.phase, m.title, m.due_day, m.requires_verification, m.measure_kind.value)
        for m in plan.milestones
    }
    assert copied == expected
    for milestone in plan.milestones:
        assert milestone.due_date == MONDAY + timedelta(days=milestone.due_day - 1)
        assert milestone.status == MilestoneStatus.OPEN
        assert milestone.events == []
    assert plan.business_days is False
    assert plan.assigned_by == coach
    assert plan.start_date == MONDAY


def test_a_number_milestone_keeps_its_target_and_unit(make_user, curriculum):
    coach = make_user(Role.COACH)
    rep = make_user(Role.REP, coach=coach)
    plan = service.assign_plan(coach, rep, "sdr-ramp", MONDAY)
    numbers = {
        m.key: (m.measure.target, m.measure.unit)
        for _, m in template_spec("sdr-ramp").milestones()
        if m.measure.kind == "number"
    }
    assert numbers
    assert {
        m.key: (m.target, m.unit) for m in plan.milestones if m.measure_kind == MeasureKind.NUMBER
    } == numbers


def test_assign_keeps_the_template_version(make_user, curriculum):
    coach = make_user(Role.COACH)
    rep = make_user(Role.REP, coach=coach)
    plan = service.assign_plan(coach, rep, "sdr-ramp", MONDAY)
    db.session.commit()
    assert (plan.template.template_key, plan.template.version) == ("sdr-ramp", 1)

    # The template changes: a new version is stored, the assigned plan keeps version 1.
    spec = template_spec("sdr-ramp")
    changed = spec.model_copy(update={"title": "SDR ramp, revised"})
    store_curriculum(shipped_curriculum().model_copy(update={"plans": (changed,)}))
    db.session.commit()

    versions = db.session.scalars(
        select(PlanTemplate.version).where(PlanTemplate.template_key == "sdr-ramp")
    ).all()
    assert sorted(versions) == [1, 2]
    db.session.refresh(plan)
    assert plan.template.version == 1
    newer = service.assign_plan(coach, make_user(Role.REP, coach=coach), "sdr-ramp", MONDAY)
    assert newer.template.version == 2
    assert newer.template.title == "SDR ramp, revised"


def test_reassigning_archives_the_old_plan_and_keeps_its_history(make_rep):
    rep = make_rep(day_of_ramp=10)
    coach = rep.coach
    old = plan_of(rep)
    checkbox = pick(old, MeasureKind.CHECKBOX)
    service.record_progress(rep, checkbox)
    db.session.commit()

    new = service.assign_plan(coach, rep, "ae-ramp", today())
    db.session.commit()

    assert old.archived_at is not None
    assert new.archived_at is None
    assert service.active_plan(rep) == new
    assert new.template.template_key == "ae-ramp"
    # The old plan and what the rep did on it stay on record.
    db.session.expire_all()
    kept = db.session.get(Plan, old.id)
    assert kept is not None
    assert db.session.get(Milestone, checkbox.id).status == MilestoneStatus.DONE
    assert (
        db.session.scalar(select(func.count()).select_from(Plan).where(Plan.rep_id == rep.id)) == 2
    )


def test_progress_on_an_archived_plan_is_refused(make_rep):
    rep = make_rep(day_of_ramp=10)
    old = plan_of(rep)
    service.assign_plan(rep.coach, rep, "sdr-ramp", today())
    db.session.commit()
    with pytest.raises(Conflict):
        service.record_progress(rep, pick(old, MeasureKind.CHECKBOX))


def test_business_days_setting_applies_to_plans_assigned_afterwards(make_user, curriculum):
    admin = make_user(Role.ADMIN)
    coach = make_user(Role.COACH)
    before = service.assign_plan(coach, make_user(Role.REP, coach=coach), "sdr-ramp", MONDAY)
    db.session.commit()
    before_dates = [m.due_date for m in before.milestones]

    update_organisation(admin, "Northwind", business_days=True)
    after = service.assign_plan(coach, make_user(Role.REP, coach=coach), "sdr-ramp", MONDAY)
    db.session.commit()

    assert after.business_days is True
    assert all(m.due_date.weekday() < 5 for m in after.milestones)
    last = max(after.milestones, key=lambda m: m.due_day)
    # 90 business days from a Monday end on the Friday of the 18th week.
    assert last.due_date == MONDAY + timedelta(weeks=17, days=4)
    # Plans assigned before the change keep their dates.
    db.session.refresh(before)
    assert before.business_days is False
    assert [m.due_date for m in before.milestones] == before_dates


def test_only_the_reps_coach_hr_or_admin_may_assign(make_user, curriculum):
    coach, other_coach = make_user(Role.COACH), make_user(Role.COACH)
    rep = make_user(Role.REP, coach=coach)
    with pytest.raises(NotAllowed):
        service.assign_plan(other_coach, rep, "sdr-ramp", MONDAY)
    with pytest.raises(NotAllowed):
        service.assign_plan(rep, rep, "sdr-ramp", MONDAY)
    assert service.active_plan(rep) is None
    for overseer in (make_user(Role.HR), make_user(Role.ADMIN)):
        assert service.assign_plan(overseer, rep, "sdr-ramp", MONDAY).assigned_by == overseer


def test_plans_are_only_for_reps(make_user, curriculum):
    admin = make_user(Role.ADMIN)
    with pytest.raises(Invalid):
        service.assign_plan(admin, make_user(Role.COACH), "sdr-ramp", MONDAY)


def test_an_unknown_template_is_not_found(make_user, curriculum):
    coach = make_user(Role.COACH)
    with pytest.raises(NotFound):
        service.assign_plan(coach, make_user(Role.REP, coach=coach), "no-such-plan", MONDAY)


# --- recording progress ---------------------------------------------------------------------


def test_rep_marks_a_checkbox_done(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX)
    before = utc_now()

    service.record_progress(rep, milestone, note="  All set up.  ")
    db.session.commit()

    assert milestone.status == MilestoneStatus.DONE
    assert milestone.is_done
    assert milestone.note == "All set up."
    assert before <= milestone.completed_at <= utc_now()
    [event] = milestone.events
    assert (event.action, event.actor, event.note) == ("completed", rep, "All set up.")
    assert before <= event.at <= utc_now()


def test_a_number_below_target_is_recorded_as_progress_and_stays_open(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.NUMBER)
    below = milestone.target - 1

    service.record_progress(rep, milestone, value=below)
    db.session.commit()

    assert milestone.status == MilestoneStatus.OPEN
    assert milestone.value == below
    assert milestone.completed_at is None
    [event] = milestone.events
    assert (event.action, event.actor, event.value) == ("progress", rep, below)


def test_a_number_reaching_the_target_is_done(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.NUMBER)
    service.record_progress(rep, milestone, value=milestone.target / 2)
    service.record_progress(rep, milestone, value=milestone.target)
    db.session.commit()

    assert milestone.status == MilestoneStatus.DONE
    assert milestone.value == milestone.target
    assert [e.action for e in milestone.events] == ["progress", "completed"]
    assert [e.value for e in milestone.events] == [milestone.target / 2, milestone.target]


def test_a_number_above_the_target_is_done_too(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.NUMBER)
    service.record_progress(rep, milestone, value=milestone.target + 0.5)
    assert milestone.status == MilestoneStatus.DONE


def test_a_milestone_needing_verification_waits_for_the_coach(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX, verify=True)
    service.record_progress(rep, milestone, evidence_url="https://docs.example.com/icp")
    db.session.commit()

    assert milestone.status == MilestoneStatus.SUBMITTED
    assert milestone.submitted_at is not None
    assert milestone.completed_at is None
    assert milestone.evidence_url == "https://docs.example.com/icp"
    assert [(e.action, e.actor) for e in milestone.events] == [("submitted", rep)]
    with pytest.raises(Conflict):
        service.record_progress(rep, milestone)


def test_a_measured_milestone_needing_verification_is_submitted_at_the_target(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.NUMBER, verify=True)
    service.record_progress(rep, milestone, value=milestone.target - 1)
    assert milestone.status == MilestoneStatus.OPEN
    service.record_progress(rep, milestone, value=milestone.target)
    assert milestone.status == MilestoneStatus.SUBMITTED


def test_a_done_milestone_cannot_be_reported_again(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX)
    service.record_progress(rep, milestone)
    with pytest.raises(Conflict):
        service.record_progress(rep, milestone)
    assert len(milestone.events) == 1


def test_the_rep_cannot_tick_off_a_certification(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CERTIFICATION, verify=True)
    with pytest.raises(Conflict):
        service.record_progress(rep, milestone)
    assert milestone.status == MilestoneStatus.OPEN
    assert milestone.events == []


@pytest.mark.parametrize("value", [-1.0, -0.5])
def test_a_negative_number_is_refused(make_rep, value):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.NUMBER)
    with pytest.raises(Invalid) as error:
        service.record_progress(rep, milestone, value=value)
    assert error.value.field == "value"
    assert milestone.value is None
    assert milestone.events == []


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_a_number_that_is_not_finite_is_refused(make_rep, value):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.NUMBER)
    with pytest.raises(Invalid) as error:
        service.record_progress(rep, milestone, value=value)
    assert error.value.field == "value"
    assert milestone.status == MilestoneStatus.OPEN
    assert milestone.value is None


def test_a_measured_milestone_needs_a_number(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.NUMBER)
    with pytest.raises(Invalid) as error:
        service.record_progress(rep, milestone, note="did lots")
    assert error.value.field == "value"


@pytest.mark.parametrize(
    "link", ["ftp://files.example.com/x", "javascript:alert(1)", "www.example.com", "//evil.com"]
)
def test_an_evidence_link_must_be_http_or_https(make_rep, link):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX)
    with pytest.raises(Invalid) as error:
        service.record_progress(rep, milestone, evidence_url=link)
    assert error.value.field == "evidence_url"
    assert milestone.status == MilestoneStatus.OPEN


@pytest.mark.parametrize("link", ["https://crm.example.com/report/1", "http://intranet/doc"])
def test_an_http_evidence_link_is_kept(make_rep, link):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX)
    service.record_progress(rep, milestone, evidence_url=f"  {link} ")
    assert milestone.evidence_url == link


def test_only_the_rep_reports_their_own_progress(make_rep, make_user):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX)
    for someone in (rep.coach, make_user(Role.ADMIN), make_rep()):
        with pytest.raises(NotAllowed):
            service.record_progress(someone, milestone)
    assert milestone.status == MilestoneStatus.OPEN


# --- verifying and sending back -------------------------------------------------------------


def submitted_milestone(rep) -> Milestone:
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX, verify=True)
    service.record_progress(rep, milestone)
    db.session.commit()
    return milestone


def test_the_coach_verifies_a_submitted_milestone(make_rep):
    rep = make_rep()
    milestone = submitted_milestone(rep)

    service.verify(rep.coach, milestone, "Matches our ICP.")
    db.session.commit()

    assert milestone.status == MilestoneStatus.DONE
    assert milestone.verified_by == rep.coach
    assert milestone.completed_at is not None
    assert [(e.action, e.actor) for e in milestone.events] == [
        ("submitted", rep),
        ("verified", rep.coach),
    ]
    assert milestone.events[-1].note == "Matches our ICP."


def test_verifying_twice_is_a_conflict(make_rep):
    rep = make_rep()
    milestone = submitted_milestone(rep)
    service.verify(rep.coach, milestone)
    with pytest.raises(Conflict):
        service.verify(rep.coach, milestone)
    assert len(milestone.events) == 2


def test_nothing_to_verify_before_the_rep_reports_it(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX, verify=True)
    with pytest.raises(Conflict):
        service.verify(rep.coach, milestone)
    assert milestone.status == MilestoneStatus.OPEN


def test_a_certification_milestone_is_not_signed_off_by_hand(make_rep):
    """Only passing the certification completes it (see tests/certification)."""
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CERTIFICATION, verify=True)
    with pytest.raises(Conflict, match="completed by passing the certification"):
        service.verify(rep.coach, milestone, "Passed the role-play.")
    assert milestone.status == MilestoneStatus.OPEN
    assert milestone.events == []


def test_the_coach_sends_back_with_a_comment_and_the_rep_resubmits(make_rep):
    rep = make_rep()
    milestone = submitted_milestone(rep)

    service.send_back(rep.coach, milestone, "  Add the buyer titles.  ")
    db.session.commit()
    assert milestone.status == MilestoneStatus.OPEN
    assert milestone.submitted_at is None
    assert milestone.feedback == "Add the buyer titles."

    service.record_progress(rep, milestone, note="Titles added.")
    assert milestone.status == MilestoneStatus.SUBMITTED
    assert milestone.feedback == ""


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_sending_back_needs_a_comment(make_rep, comment):
    rep = make_rep()
    milestone = submitted_milestone(rep)
    with pytest.raises(Invalid) as error:
        service.send_back(rep.coach, milestone, comment)
    assert error.value.field == "comment"
    assert milestone.status == MilestoneStatus.SUBMITTED
    assert len(milestone.events) == 1


def test_only_a_submitted_milestone_can_be_sent_back(make_rep):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX, verify=True)
    with pytest.raises(Conflict):
        service.send_back(rep.coach, milestone, "Not yet.")


def test_someone_elses_coach_can_neither_verify_nor_send_back(make_rep, make_user):
    rep = make_rep()
    milestone = submitted_milestone(rep)
    other_coach = make_rep().coach
    with pytest.raises(NotAllowed):
        service.verify(other_coach, milestone)
    with pytest.raises(NotAllowed):
        service.send_back(other_coach, milestone, "Looks wrong.")
    assert milestone.status == MilestoneStatus.SUBMITTED
    assert len(milestone.events) == 1


def test_a_rep_cannot_verify_their_own_milestone(make_rep):
    rep = make_rep()
    milestone = submitted_milestone(rep)
    with pytest.raises(NotAllowed):
        service.verify(rep, milestone)
    with pytest.raises(NotAllowed):
        service.send_back(rep, milestone, "Never mind.")
    certification = pick(plan_of(rep), MeasureKind.CERTIFICATION, verify=True)
    with pytest.raises(NotAllowed):
        service.verify(rep, certification)
    assert milestone.status == MilestoneStatus.SUBMITTED
    assert certification.status == MilestoneStatus.OPEN


@pytest.mark.parametrize("role", [Role.HR, Role.ADMIN])
def test_hr_and_admins_may_verify(make_rep, make_user, role):
    rep = make_rep()
    milestone = submitted_milestone(rep)
    overseer = make_user(role)
    service.verify(overseer, milestone)
    assert milestone.verified_by == overseer


def test_every_change_is_recorded_with_who_and_when(make_rep):
    rep = make_rep()
    coach = rep.coach
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX, verify=True)
    started = utc_now()

    service.record_progress(rep, milestone, note="first try")
    service.send_back(coach, milestone, "Needs the titles.")
    service.record_progress(rep, milestone, note="second try")
    service.verify(coach, milestone, "Good.")
    db.session.commit()
    finished = utc_now()

    events = db.session.scalars(
        select(MilestoneEvent)
        .where(MilestoneEvent.milestone_id == milestone.id)
        .order_by(MilestoneEvent.id)
    ).all()
    assert [(e.action, e.actor_id, e.note) for e in events] == [
        ("submitted", rep.id, "first try"),
        ("sent back", coach.id, "Needs the titles."),
        ("submitted", rep.id, "second try"),
        ("verified", coach.id, "Good."),
    ]
    moments = [e.at for e in events]
    assert moments == sorted(moments)
    assert all(started <= moment <= finished for moment in moments)


def test_get_milestone_checks_who_is_asking(make_rep, make_user):
    rep = make_rep()
    milestone = pick(plan_of(rep), MeasureKind.CHECKBOX)
    assert service.get_milestone(rep, milestone.id) == milestone
    assert service.get_milestone(rep.coach, milestone.id) == milestone
    assert service.get_milestone(make_user(Role.HR), milestone.id) == milestone
    for stranger in (make_rep(), make_rep().coach):
        with pytest.raises(NotAllowed):
            service.get_milestone(stranger, milestone.id)
    with pytest.raises(NotFound):
        service.get_milestone(rep, milestone.id + 10_000)


# --- summaries ------------------------------------------------------------------------------


def test_summary_of_a_rep_midway(make_rep):
    rep = make_rep(day_of_ramp=20)
    plan = plan_of(rep)
    now = today()
    checkbox = pick(plan, MeasureKind.CHECKBOX)
    service.record_progress(rep, checkbox)
    awaiting = submitted_milestone(rep)
    db.session.commit()

    summary = service.ramp_of(rep, rep, now)

    assert summary.day == 20
    open_ms = [m for m in plan.milestones if m.status == MilestoneStatus.OPEN]
    assert {m.id for m in summary.overdue} == {m.id for m in open_ms if m.due_date < now}
    assert {m.id for m in summary.due_this_week} == {
        m.id for m in open_ms if now <= m.due_date < now + timedelta(days=7)
    }
    assert [m.id for m in summary.awaiting_verification] == [awaiting.id]
    assert awaiting.due_date < now  # past due, yet waiting on the coach, not overdue
    assert summary.states[awaiting.id] == MilestoneState.AWAITING_VERIFICATION
    assert summary.states[checkbox.id] == MilestoneState.DONE

    phase_one = [m for m in plan.milestones if m.phase == 1]
    first = summary.phases[0]
    assert (first.done, first.total) == (1, len(phase_one))
    assert first.percent == round(100 / len(phase_one))
    assert [p.done for p in summary.phases[1:]] == [0, 0]
    assert summary.total == len(plan.milestones)
    assert summary.done == 1


def test_status_in_the_summary_follows_the_overdue_milestones(make_rep):
    rep = make_rep(day_of_ramp=1)
    plan = plan_of(rep)
    start = plan.start_date
    first_due = min(m.due_date for m in plan.milestones)

    assert service.summarise(rep, plan, start).status == RepStatus.ON_TRACK
    assert service.summarise(rep, plan, first_due + timedelta(days=1)).status == RepStatus.BEHIND
    assert service.summarise(rep, plan, first_due + timedelta(days=15)).status == (
        RepStatus.AT_RISK
    )


def test_summary_of_a_rep_without_a_plan(make_user):
    rep = make_user(Role.REP)
    summary = service.ramp_of(rep, rep)
    assert summary.plan is None
    assert summary.status == RepStatus.NO_PLAN
    assert summary.day == 0


def test_a_complete_plan_says_so(make_rep):
    rep = make_rep(day_of_ramp=5)
    plan = plan_of(rep)
    for milestone in plan.milestones:
        milestone.status = MilestoneStatus.DONE
    db.session.commit()
    summary = service.ramp_of(rep, rep)
    assert summary.status == RepStatus.COMPLETE
    assert [p.percent for p in summary.phases] == [100, 100, 100]
    assert summary.percent == 100


def test_a_rep_cannot_see_another_reps_ramp(make_rep):
    rep, other = make_rep(), make_rep()
    with pytest.raises(NotAllowed):
        service.ramp_of(rep, other)
    with pytest.raises(NotAllowed):
        service.ramp_of(rep.coach, other)


# --- team overview --------------------------------------------------------------------------


@pytest.fixture
def organisation(make_user, make_rep, make_team):
    """Two coaches in two teams; reps on track, behind-or-worse, and without a plan."""
    north, south = make_team("North"), make_team("South")
    coach_a = make_user(Role.COACH, name="Maya Patel")
    coach_b = make_user(Role.COACH, name="Sam Rivera")
    reps = {
        "ava": make_rep(day_of_ramp=2, coach=coach_a, name="Ava Chen"),
        "ben": make_rep(day_of_ramp=40, coach=coach_a, name="Ben Okafor"),
        "chloe": make_rep(day_of_ramp=2, coach=coach_b, name="Chloe Martin"),
        "diego": make_user(Role.REP, coach=coach_b, name="Diego Alvarez"),
    }
    for key, team in (("ava", north), ("ben", south), ("chloe", north), ("diego", south)):
        reps[key].team = team
    db.session.commit()
    return {"coach_a": coach_a, "coach_b": coach_b, "north": north, "south": south, **reps}


def names(summaries) -> list[str]:
    return [s.rep.full_name for s in summaries]


def test_hr_sees_every_active_rep_by_name(organisation, make_user):
    make_user(Role.REP, name="Zed Gone", active=False)
    summaries = service.team_overview(make_user(Role.HR))
    assert names(summaries) == ["Ava Chen", "Ben Okafor", "Chloe Martin", "Diego Alvarez"]


def test_team_overview_rows_carry_day_progress_and_status(organisation, make_user):
    by_name = {s.rep.full_name: s for s in service.team_overview(make_user(Role.ADMIN))}
    ava, ben, diego = by_name["Ava Chen"], by_name["Ben Okafor"], by_name["Diego Alvarez"]
    assert (ava.day, ava.status) == (2, RepStatus.ON_TRACK)
    assert ben.day == 40
    assert len(ben.overdue) == len([m for m in ben.plan.milestones if m.due_date < ben.today])
    assert ben.status == RepStatus.AT_RISK
    assert diego.plan is None
    assert diego.status == RepStatus.NO_PLAN


def test_a_coach_sees_only_their_own_reps(organisation):
    assert names(service.team_overview(organisation["coach_a"])) == ["Ava Chen", "Ben Okafor"]
    # Filtering by another coach does not widen what a coach sees.
    other = service.TeamFilters(coach_id=organisation["coach_b"].id)
    assert service.team_overview(organisation["coach_a"], other) == []


def test_a_rep_may_not_see_the_team(organisation):
    with pytest.raises(NotAllowed):
        service.team_overview(organisation["ava"])


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (lambda o: service.TeamFilters(team_id=o["north"].id), ["Ava Chen", "Chloe Martin"]),
        (
            lambda o: service.TeamFilters(coach_id=o["coach_b"].id),
            ["Chloe Martin", "Diego Alvarez"],
        ),
        (lambda o: service.TeamFilters(status=RepStatus.AT_RISK), ["Ben Okafor"]),
        (lambda o: service.TeamFilters(status=RepStatus.NO_PLAN), ["Diego Alvarez"]),
        (lambda o: service.TeamFilters(search="  cHLo "), ["Chloe Martin"]),
        (
            lambda o: service.TeamFilters(team_id=o["north"].id, status=RepStatus.ON_TRACK),
            ["Ava Chen", "Chloe Martin"],
        ),
        (
            lambda o: service.TeamFilters(team_id=o["north"].id, coach_id=o["coach_a"].id),
            ["Ava Chen"],
        ),
        (lambda o: service.TeamFilters(search="nobody"), []),
    ],
)
def test_team_overview_filters(organisation, make_user, filters, expected):
    summaries = service.team_overview(make_user(Role.HR), filters(organisation))
    assert names(summaries) == expected


def test_status_counts_add_up(organisation, make_user):
    summaries = service.team_overview(make_user(Role.HR))
    counts = service.status_counts(summaries)
    assert sum(counts.values()) == len(summaries)
    assert counts[RepStatus.ON_TRACK] == 2
    assert counts[RepStatus.NO_PLAN] == 1


def test_the_day_of_ramp_is_the_reps_local_day(make_user, curriculum):
    coach = make_user(Role.COACH)
    tokyo = make_user(Role.REP, coach=coach, timezone="Asia/Tokyo")
    hawaii = make_user(Role.REP, coach=coach, timezone="Pacific/Honolulu")
    start = date(2025, 3, 3)
    for rep in (tokyo, hawaii):
        service.assign_plan(coach, rep, "sdr-ramp", start)
    db.session.commit()
    # 20:00 UTC on day 10 is already day 11 in Tokyo and still day 10 in Honolulu.
    now = datetime(2025, 3, 12, 20, 0, tzinfo=UTC)
    days = {s.rep.timezone: s.day for s in service.team_overview(coach, now=now)}
    assert days == {"Asia/Tokyo": 11, "Pacific/Honolulu": 10}
