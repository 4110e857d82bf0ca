"""The certification service: assessing, deciding, multiple assessors, corrections, access."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.certification import service
from app.certification.models import CertificationAttempt
from app.certification.status import CertificationStatus
from app.curriculum.loader import load_curriculum
from app.curriculum.service import store_curriculum
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.plans.models import MeasureKind, MilestoneStatus
from app.plans.service import active_plan

from .conftest import levels_for, today


def entry(rubric, level=3, **overrides):
    return service.AssessmentEntry(
        scores=levels_for(rubric, level, **overrides),
        evidence_kind=rubric.evidence.kinds[0],
        assessed_on=today(),
    )


def status_of(actor, rep, stage="prospecting"):
    return service.certification_of(actor, rep, stage, today())


def cert_milestone(rep, stage="prospecting"):
    return next(
        m
        for m in active_plan(rep).milestones
        if m.measure_kind == MeasureKind.CERTIFICATION and m.certification_stage == stage
    )


# --- deciding ------------------------------------------------------------------------------


def test_a_pass_is_stored_with_the_rubric_version_expiry_and_completes_the_milestone(
    make_rep, assess, rubric
):
    rep = make_rep(day_of_ramp=20)
    assessment = assess(rep.coach, rep, "prospecting", level=3)

    attempt = assessment.attempt
    assert attempt.passed is True
    assert attempt.rubric.rubric_key == "prospecting" and attempt.rubric.version == 1
    assert attempt.expires_on == today() + timedelta(days=rubric("prospecting").validity_days)
    assert attempt.explanation.startswith("Passed: weighted average 3 ")
    milestone = cert_milestone(rep)
    assert milestone.status == MilestoneStatus.DONE
    assert [(e.action, e.actor) for e in milestone.events] == [("certified", rep.coach)]
    cert = status_of(rep, rep)
    assert (cert.status, cert.reading.expires_on) == ("passed", attempt.expires_on)
    assert cert.best_average == 3


def test_a_fail_names_the_criterion_and_sets_the_next_attempt_date(make_rep, assess, rubric):
    rep = make_rep(day_of_ramp=20)
    attempt = assess(rep.coach, rep, "prospecting", level=3, objection_handling=1).attempt

    assert attempt.passed is False
    assert attempt.explanation == (
        "Not passed: Objection handling scored 1, at least 2 needed on every criterion."
    )
    cooldown = rubric("prospecting").cooldown_days
    assert attempt.next_attempt_from == today() + timedelta(days=cooldown)
    assert cert_milestone(rep).status == MilestoneStatus.OPEN
    assert status_of(rep, rep).status == CertificationStatus.NOT_PASSED


def test_no_new_attempt_during_the_cooldown(make_rep, assess, rubric):
    rep = make_rep(day_of_ramp=40)
    spec = rubric("discovery")
    assess(rep.coach, rep, "prospecting", on=today() - timedelta(days=2), objection_handling=1)

    with pytest.raises(Invalid) as refused:
        service.submit_assessment(
            rep.coach, rep, "prospecting", entry(rubric("prospecting")), today()
        )
    assert refused.value.field == "assessed_on"
    assert "the next attempt is possible from" in refused.value.message
    # other stages are not affected
    service.submit_assessment(rep.coach, rep, "discovery", entry(spec), today())


def test_after_the_cooldown_a_new_attempt_is_fine(make_rep, assess, rubric):
    rep = make_rep(day_of_ramp=40)
    cooldown = rubric("prospecting").cooldown_days
    assess(
        rep.coach, rep, "prospecting", on=today() - timedelta(days=cooldown), objection_handling=1
    )
    assess(rep.coach, rep, "prospecting")
    cert = status_of(rep, rep)
    assert [a.passed for a in cert.decided_attempts] == [False, True]
    assert cert.status == "passed"


def test_an_old_pass_expires(make_rep, assess, rubric):
    rep = make_rep(day_of_ramp=40)
    valid = rubric("prospecting").validity_days
    assess(rep.coach, rep, "prospecting", on=today() - timedelta(days=valid + 1))
    cert = status_of(rep.coach, rep)
    assert cert.status == CertificationStatus.EXPIRED
    assert cert.reading.expires_on == today() - timedelta(days=1)


def test_the_date_cannot_be_in_the_future(make_rep, rubric):
    rep = make_rep()
    future = entry(rubric("prospecting"))
    future.assessed_on = today() + timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        service.submit_assessment(rep.coach, rep, "prospecting", future, today())
    assert refused.value.field == "assessed_on"


# --- what an assessment must contain -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"scores": {"research": None}}, "score-research", "Score Account and persona research"),
        ({"scores": {"opener": 5}}, "score-opener", "not a level of this rubric's scale (1-4)"),
        ({"scores": {"opener": 0}}, "score-opener", "not a level"),
        ({"evidence_kind": ""}, "evidence_kind", "needs evidence"),
        ({"evidence_kind": "live-observation"}, "evidence_kind", "This rubric accepts"),
        ({"evidence_kind": "recorded-call"}, "evidence_url", "Link the recorded call"),
        ({"evidence_url": "ftp://calls/1"}, "evidence_url", "starting with https://"),
    ],
)
def test_bad_input_is_refused_with_the_field_to_blame(make_rep, rubric, change, field, message):
    rep = make_rep()
    bad = entry(rubric("prospecting"))
    for name, value in change.items():
        if name == "scores":
            bad.scores = {**bad.scores, **value}
        else:
            setattr(bad, name, value)
    with pytest.raises(Invalid) as refused:
        service.submit_assessment(rep.coach, rep, "prospecting", bad, today())
    assert refused.value.field == field
    assert message in refused.value.message
    assert db.session.scalars(db.select(CertificationAttempt)).all() == []


def test_a_criterion_the_rubric_does_not_have_is_refused(make_rep, rubric):
    rep = make_rep()
    bad = entry(rubric("prospecting"))
    bad.scores = {**bad.scores, "charisma": 4}
    with pytest.raises(Invalid, match="no criterion charisma"):
        service.submit_assessment(rep.coach, rep, "prospecting", bad, today())


def test_a_recorded_call_with_its_link_is_evidence(make_rep, rubric):
    rep = make_rep()
    good = entry(rubric("prospecting"))
    good.evidence_kind, good.evidence_url = "recorded-call", "https://calls.example.com/1"
    assessment = service.submit_assessment(rep.coach, rep, "prospecting", good, today())
    assert assessment.evidence_url == "https://calls.example.com/1"


# --- who may assess ------------------------------------------------------------------------


def test_the_rep_cannot_assess_themselves(make_rep, rubric):
    rep = make_rep()
    with pytest.raises(NotAllowed, match="cannot assess yourself"):
        service.submit_assessment(rep, rep, "prospecting", entry(rubric("prospecting")), today())


@pytest.mark.parametrize("roles", [(Role.COACH,), (Role.HR,), (Role.REP,)])
def test_only_the_reps_coach_or_an_admin_assesses(make_rep, make_user, rubric, roles):
    rep = make_rep()
    other = make_user(*roles)
    with pytest.raises(NotAllowed):
        service.submit_assessment(other, rep, "prospecting", entry(rubric("prospecting")), today())
    admin = make_user(Role.ADMIN)
    service.submit_assessment(admin, rep, "prospecting", entry(rubric("prospecting")), today())


def test_unknown_stage_is_not_found(make_rep, rubric):
    rep = make_rep()
    with pytest.raises(NotFound):
        service.submit_assessment(rep.coach, rep, "golf", entry(rubric("prospecting")), today())
    with pytest.raises(NotFound):
        service.certification_of(rep, rep, "golf", today())


# --- self-assessment -----------------------------------------------------------------------


def test_self_assessment_then_the_coach_on_the_same_attempt(make_rep, rubric, assess):
    rep = make_rep(day_of_ramp=20)
    spec = rubric("prospecting")
    mine = service.submit_self_assessment(rep, "prospecting", entry(spec, 4, research=2), today())
    db.session.commit()
    assert mine.is_self and mine.weighted_average is not None
    assert status_of(rep, rep).status == CertificationStatus.SELF_ASSESSED

    coach = assess(rep.coach, rep, "prospecting", level=3)
    assert coach.attempt is mine.attempt
    attempt = coach.attempt
    assert attempt.self_assessment is mine
    finals = service.final_scores(attempt)
    gaps = {key: finals[key] - level for key, level in mine.levels().items()}
    assert gaps["research"] == 1 and gaps["opener"] == -1


def test_self_assessment_rules(make_rep, make_user, rubric, assess):
    rep = make_rep(day_of_ramp=20)
    spec = rubric("prospecting")
    with pytest.raises(Conflict, match="no self-assessment"):  # closing: coach only
        service.submit_self_assessment(rep, "closing", entry(rubric("closing")), today())
    with pytest.raises(NotAllowed):
        service.submit_self_assessment(rep.coach, "prospecting", entry(spec), today())
    service.submit_self_assessment(rep, "prospecting", entry(spec), today())
    with pytest.raises(Conflict, match="already self-assessed"):
        service.submit_self_assessment(rep, "prospecting", entry(spec), today())
    assess(rep.coach, rep, "prospecting", objection_handling=1)  # failed: cooldown starts
    with pytest.raises(Conflict, match="next attempt is possible from"):
        service.submit_self_assessment(rep, "prospecting", entry(spec), today())


# --- several assessors ---------------------------------------------------------------------


def test_a_two_assessor_rubric_needs_the_second_assessor(make_rep, rubric):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    with pytest.raises(Invalid) as refused:
        service.submit_assessment(
            rep.coach, rep, "negotiation", entry(rubric("negotiation")), today()
        )
    assert refused.value.field == "second_assessor"


def test_blind_scoring_until_everyone_has_submitted(make_rep, make_user, rubric, assess):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    second = make_user(Role.COACH, name="Second Coach")
    first = assess(rep.coach, rep, "negotiation", level=3, second=second)
    attempt = first.attempt
    assert not attempt.is_decided
    assert status_of(rep, rep, "negotiation").status == CertificationStatus.BEING_ASSESSED
    assert [a.assessor for a in service.waiting_for(second)] == [second]

    # the invited assessor sees the attempt but nobody's scores; the rep sees none either
    assert service.get_attempt(second, attempt.id) is attempt
    assert service.visible_assessments(second, attempt) == []
    assert service.visible_assessments(rep, attempt) == []
    assert service.visible_assessments(rep.coach, attempt) == [first]
    # ... and nothing else of the rep's
    with pytest.raises(NotAllowed):
        service.certifications_of(second, rep, today())

    later = assess(second, rep, "negotiation", level=3, trading_concessions=2)
    assert later.attempt is attempt and attempt.is_decided
    assert attempt.passed is False  # all must pass, and the second assessor did not
    assert attempt.explanation.startswith("Not passed: all assessors must pass it. Second Coach:")
    assert set(service.visible_assessments(rep, attempt)) == {first, later}
    # the invitation was for that attempt only
    with pytest.raises(NotAllowed):
        service.assessment_rubric(second, rep, "negotiation")


def test_the_average_rule_with_a_second_assessor(make_rep, make_user, assess):
    rep = make_rep(day_of_ramp=50, plan="ae-ramp")
    admin = make_user(Role.ADMIN)
    assess(rep.coach, rep, "demo", level=3, tailoring=2, second=admin)  # alone: fails must-pass
    attempt = assess(admin, rep, "demo", level=3, tailoring=4).attempt  # average 3: passes
    assert attempt.passed is True
    assert service.final_scores(attempt)["tailoring"] == 3
    assert cert_milestone(rep, "demo").status == MilestoneStatus.DONE


@pytest.mark.parametrize("who", ["rep", "self", "a rep", "twice"])
def test_the_second_assessor_must_be_another_coach_or_admin(make_rep, make_user, rubric, who):
    rep = make_rep(day_of_ramp=70, plan="ae-ramp")
    person = {
        "rep": rep,
        "self": rep.coach,
        "a rep": make_user(Role.REP),
        "twice": make_user(Role.ADMIN),
    }[who]
    spec = rubric("negotiation")
    if who == "twice":
        service.submit_assessment(rep.coach, rep, "negotiation", entry(spec), today(), person)
        db.session.commit()
        other = make_user(Role.ADMIN)
        with pytest.raises(Invalid) as refused:
            service.submit_assessment(other, rep, "negotiation", entry(spec), today(), person)
    else:
        with pytest.raises(Invalid) as refused:
            service.submit_assessment(rep.coach, rep, "negotiation", entry(spec), today(), person)
    assert refused.value.field == "second_assessor"


# --- corrections ---------------------------------------------------------------------------


def test_a_correction_is_audited_and_can_turn_a_fail_into_a_pass(make_rep, assess):
    rep = make_rep(day_of_ramp=20)
    attempt = assess(rep.coach, rep, "prospecting", objection_handling=1).attempt
    score = next(
        s for s in attempt.assessments[0].scores if s.criterion_key == "objection-handling"
    )

    correction = service.correct_score(rep.coach, score, 2, "Misread my notes: she did ask back.")
    db.session.commit()
    assert (correction.old_level, correction.new_level, correction.actor) == (1, 2, rep.coach)
    assert correction.reason == "Misread my notes: she did ask back."
    assert score.level == 2 and attempt.assessments[0].was_corrected
    assert attempt.passed is True and attempt.next_attempt_from is None
    assert cert_milestone(rep).status == MilestoneStatus.DONE

    service.correct_score(rep.coach, score, 1, "Second look at the recording: she did not.")
    assert attempt.passed is False
    milestone = cert_milestone(rep)
    assert milestone.status == MilestoneStatus.OPEN
    assert [e.action for e in milestone.events] == ["certified", "reopened"]
    assert [(c.old_level, c.new_level) for c in score.corrections] == [(1, 2), (2, 1)]


def test_correction_rules(make_rep, make_user, assess):
    rep = make_rep(day_of_ramp=20)
    attempt = assess(rep.coach, rep, "prospecting").attempt
    score = attempt.assessments[0].scores[0]
    for intruder in (make_user(Role.COACH), rep, make_user(Role.HR)):
        with pytest.raises(NotAllowed):
            service.correct_score(intruder, score, 2, "No.")
    with pytest.raises(Invalid) as refused:
        service.correct_score(rep.coach, score, 3, "Same")
    assert refused.value.field == "level"
    with pytest.raises(Invalid) as refused:
        service.correct_score(rep.coach, score, 7, "Out of scale")
    assert refused.value.field == "level"
    with pytest.raises(Invalid) as refused:
        service.correct_score(rep.coach, score, 2, "   ")
    assert refused.value.field == "reason"
    service.correct_score(make_user(Role.ADMIN), score, 2, "Admin fixing a typo.")


def test_self_assessment_scores_are_not_corrected(make_rep, rubric):
    rep = make_rep()
    mine = service.submit_self_assessment(rep, "prospecting", entry(rubric("prospecting")), today())
    with pytest.raises(Conflict):
        service.correct_score(rep, mine.scores[0], 2, "Changed my mind")


# --- reading and overseeing ----------------------------------------------------------------


def test_who_sees_whose_certifications(make_rep, make_user, assess):
    rep = make_rep()
    other_rep = make_rep()
    attempt = assess(rep.coach, rep).attempt
    assert service.certifications_of(rep, rep, today())
    assert service.certifications_of(rep.coach, rep, today())
    assert service.certifications_of(make_user(Role.HR), rep, today())
    for intruder in (other_rep, other_rep.coach):
        with pytest.raises(NotAllowed):
            service.certifications_of(intruder, rep, today())
        with pytest.raises(NotAllowed):
            service.get_attempt(intruder, attempt.id)
    with pytest.raises(NotFound):
        service.get_attempt(rep, attempt.id + 1000)


def test_my_certifications_are_those_in_my_plan_in_stage_order(make_rep):
    sdr = make_rep(plan="sdr-ramp")
    ae = make_rep(plan="ae-ramp")
    assert [c.stage for c in service.certifications_of(sdr, sdr, today())] == [
        "prospecting",
        "qualification",
    ]
    certs = service.certifications_of(ae, ae, today())
    assert [c.stage for c in certs] == ["discovery", "demo", "negotiation", "closing"]
    assert all(c.status == "not started" and c.due_date and c.rubric for c in certs)


def test_the_team_view(make_rep, make_user, assess):
    coach = make_user(Role.COACH)
    passed = make_rep(day_of_ramp=20, coach=coach, name="Passing Rep")
    failing = make_rep(day_of_ramp=20, coach=coach, name="Failing Rep")
    stranger = make_rep(day_of_ramp=20, name="Someone Else")
    assess(coach, passed)
    assess(coach, failing, objection_handling=1)

    team = service.team_certifications(coach, today())
    assert [r.full_name for r in team.reps] == ["Failing Rep", "Passing Rep"]
    assert len(team.stage_keys) == 7
    rate = next(r for r in team.pass_rates if r.stage == "prospecting")
    assert (rate.decided, rate.passed, rate.reps_certified, rate.percent) == (2, 1, 1, 50)
    assert team.cells[(passed.id, "prospecting")].status == "passed"
    # prospecting is due on day 28: in the next 14 days for the rep who has not passed
    assert [(u.certification.rep.full_name, u.kind) for u in team.upcoming] == [
        ("Failing Rep", "due")
    ]
    everyone = service.team_certifications(make_user(Role.HR), today())
    assert stranger in everyone.reps
    with pytest.raises(NotAllowed):
        service.team_certifications(passed, today())


def test_calibration_report(make_rep, make_user, assess):
    coach = make_user(Role.COACH, name="Coach A")
    peer = make_user(Role.COACH, name="Coach B")
    for _ in range(2):
        rep = make_rep(day_of_ramp=40, plan="ae-ramp", coach=coach)
        assess(coach, rep, "discovery", level=3, second=peer)
        assess(peer, rep, "discovery", level=4)
    report = service.calibration_report(coach, "discovery")
    assert report.attempts == 2
    assert {s.key: s.mean for s in report.spreads}["questioning"] == 1
    assert {name: lean.label for name, lean in report.leans} == {
        "Coach A": "scores lower than peers",
        "Coach B": "scores higher than peers",
    }
    assert service.calibration_report(make_user(Role.COACH), "discovery").attempts == 0
    with pytest.raises(NotAllowed):
        service.calibration_report(rep, "discovery")


def test_an_open_attempt_keeps_its_rubric_version(make_rep, rubric, tmp_path):
    import shutil

    from tests.conftest import PROJECT_ROOT

    rep = make_rep(day_of_ramp=20)
    mine = service.submit_self_assessment(rep, "prospecting", entry(rubric("prospecting")), today())
    copy = tmp_path / "curriculum"
    shutil.copytree(PROJECT_ROOT / "curriculum", copy)
    path = copy / "rubrics" / "prospecting.yaml"
    path.write_text(path.read_text().replace("cooldown_days: 3", "cooldown_days: 5"))
    store_curriculum(load_curriculum(copy))
    db.session.commit()
    assert service.rubric_for(rep, "prospecting").version == 2
    coach = service.submit_assessment(
        rep.coach, rep, "prospecting", entry(rubric("prospecting")), today()
    )
    assert coach.attempt is mine.attempt and coach.attempt.rubric.version == 1


def test_the_certificate_gets_plain_values(make_rep, assess):
    rep = make_rep(day_of_ramp=20)
    attempt = assess(rep.coach, rep).attempt
    context = service.certificate_context(rep, attempt)

    def plain(value):
        if isinstance(value, dict):
            return all(plain(v) for v in value.values())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return isinstance(value, str | int | float)

    assert plain(context)
    assert context["rep_name"] == rep.full_name and context["stage_name"] == "Prospecting"
    assert context["assessors"] == [rep.coach.full_name]
    failed = assess(rep.coach, make_rep(day_of_ramp=20, coach=rep.coach), objection_handling=1)
    with pytest.raises(Conflict):
        service.certificate_context(rep.coach, failed.attempt)


def test_a_role_specific_rubric_wins_for_reps_of_that_role(make_rep, tmp_path):
    import shutil

    from tests.conftest import PROJECT_ROOT

    copy = tmp_path / "curriculum"
    shutil.copytree(PROJECT_ROOT / "curriculum", copy)
    general = (copy / "rubrics" / "discovery.yaml").read_text()
    for_aes = general.replace("id: discovery\n", "id: discovery-ae\n").replace(
        "stage: discovery\n", "stage: discovery\nrole: AE\n"
    )
    (copy / "rubrics" / "discovery-ae.yaml").write_text(
        for_aes.replace("title: Discovery certification", "title: Discovery certification (AE)")
    )
    store_curriculum(load_curriculum(copy))
    db.session.commit()

    ae = make_rep(plan="ae-ramp")
    sdr = make_rep(plan="sdr-ramp")
    assert service.rubric_for(ae, "discovery").rubric_key == "discovery-ae"
    assert service.rubric_for(sdr, "discovery").rubric_key == "discovery"
    (cert,) = [c for c in service.certifications_of(ae, ae, today()) if c.stage == "discovery"]
    assert cert.rubric.title == "Discovery certification (AE)"


def test_a_pass_expiring_within_14_days_is_listed(make_rep, assess, rubric):
    rep = make_rep(day_of_ramp=40)
    valid = rubric("prospecting").validity_days
    assess(rep.coach, rep, "prospecting", on=today() - timedelta(days=valid - 10))
    team = service.team_certifications(rep.coach, today())
    expiring = [u for u in team.upcoming if u.kind == "expiring"]
    assert [(u.certification.stage, u.on) for u in expiring] == [
        ("prospecting", today() + timedelta(days=10))
    ]
