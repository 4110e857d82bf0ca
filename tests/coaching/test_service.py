"""Coaching services: SMART commitments, the reflection first, notifications, acknowledgement,
follow-through, who may see and do what, and repeated gaps mixing debriefs and assessments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import url_for

from app.accounts.models import Role, User
from app.certification.service import AssessmentEntry, submit_assessment
from app.coaching import service
from app.coaching.followthrough import Outcome
from app.coaching.models import Debrief, DebriefKind
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from tests.coaching.conftest import commitment
from tests.conftest import shipped_curriculum

TODAY = date.today()


# --- SMART commitments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (commitment(action="  "), "commitments-0-action", "Say what the rep will do."),
        (commitment(measure=""), "commitments-0-measure", "Say how you will both know"),
        (
            service.CommitmentEntry("Do it", "Count it", None, row=1),
            "commitments-1-due_on",
            "Give the date it is due.",
        ),
        (commitment(due_in=0), "commitments-0-due_on", "must be in the future"),
        (commitment(due_in=-3), "commitments-0-due_on", "must be in the future"),
        (commitment(criterion="no-such"), "commitments-0-criterion", "criterion of this stage"),
    ],
)
def test_a_commitment_must_be_smart(entry, field, message) -> None:
    rubric = shipped_curriculum().rubric("discovery")
    with pytest.raises(Invalid) as caught:
        service.check_commitment(entry, TODAY, rubric)
    assert caught.value.field == field
    assert message in caught.value.message


def test_a_smart_commitment_passes() -> None:
    rubric = shipped_curriculum().rubric("discovery")
    service.check_commitment(commitment(due_in=1, criterion="questioning"), TODAY, rubric)


def test_recording_needs_at_least_one_commitment(coach, rep, make_debrief) -> None:
    debrief = make_debrief(coach, rep, record=False)
    with pytest.raises(Invalid, match="at least one commitment"):
        service.record_debrief(coach, debrief, service.DebriefRecord(commitments=[]), TODAY)
    assert not debrief.is_recorded


def test_a_recorded_debrief_keeps_scores_commitments_and_rubric_version(
    coach, rep, make_debrief
) -> None:
    debrief = make_debrief(
        coach,
        rep,
        scores={"questioning": 2, "active-listening": 3},
        commitments=[commitment(), commitment(action="Summarise before pitching", row=1)],
    )
    assert debrief.is_recorded
    assert debrief.levels() == {"questioning": 2, "active-listening": 3}
    assert [c.action for c in debrief.commitments][1] == "Summarise before pitching"
    assert debrief.rubric is not None and debrief.rubric.rubric_key == "discovery"
    with pytest.raises(Conflict):
        service.record_debrief(
            coach, debrief, service.DebriefRecord(commitments=[commitment()]), TODAY
        )


def test_scores_outside_the_scale_are_refused(coach, rep, make_debrief) -> None:
    debrief = make_debrief(coach, rep, record=False)
    record = service.DebriefRecord(scores={"questioning": 7}, commitments=[commitment()])
    with pytest.raises(Invalid) as caught:
        service.record_debrief(coach, debrief, record, TODAY)
    assert caught.value.field == "score-questioning"


def test_a_role_play_needs_a_stage_and_a_scenario_of_that_stage(coach, rep) -> None:
    with pytest.raises(Invalid) as caught:
        service.create_debrief(
            coach, rep, service.DebriefSetup(TODAY, DebriefKind.ROLE_PLAY), TODAY
        )
    assert caught.value.field == "stage"
    wrong = service.DebriefSetup(TODAY, DebriefKind.ROLE_PLAY, "discovery", "closing-silent-buyer")
    with pytest.raises(Invalid) as caught:
        service.create_debrief(coach, rep, wrong, TODAY)
    assert caught.value.field == "scenario"
    right = service.DebriefSetup(
        TODAY, DebriefKind.ROLE_PLAY, "discovery", "discovery-first-call-cfo"
    )
    debrief = service.create_debrief(coach, rep, right, TODAY)
    assert debrief.scenario is not None and debrief.scenario.version == 1
    assert service.scenario_spec(debrief.scenario).objections


# --- the rep answers first, is notified, acknowledges and follows up --------------------------


def test_the_rep_answers_first_and_the_coach_sees_it(coach, rep, make_debrief) -> None:
    debrief = make_debrief(coach, rep, record=False)
    assert service.unread_count(rep) == 1  # asked to answer the questions
    with pytest.raises(Invalid):
        service.answer_reflection(rep, debrief, {"went_well": " "})
    with pytest.raises(NotAllowed):
        service.answer_reflection(coach, debrief, {"went_well": "Not mine to answer"})
    service.answer_reflection(rep, debrief, {"went_well": "Opening", "better": "Pricing talk"})
    assert debrief.rep_answered and debrief.rep_better == "Pricing talk"
    assert service.unread_count(coach) == 1
    service.record_debrief(coach, debrief, service.DebriefRecord(commitments=[commitment()]), TODAY)
    with pytest.raises(Conflict):
        service.answer_reflection(rep, debrief, {"went_well": "Too late"})


def test_notification_acknowledgement_and_follow_up(app, coach, rep, make_debrief) -> None:
    debrief = make_debrief(coach, rep)
    messages = [n.message for n in service.notifications_of(rep)]
    assert any(m.startswith("New debrief from Casey Coach") for m in messages)
    assert service.unread_count(rep) == 2
    with app.test_request_context():
        assert service.debrief_link(debrief.id) == url_for(
            "coaching.debrief", debrief_id=debrief.id
        )
    assert service.mark_read(rep, service.debrief_link(debrief.id)) == 2
    assert service.unread_count(rep) == 0

    with pytest.raises(NotAllowed):
        service.acknowledge(coach, debrief)
    service.acknowledge(rep, debrief)
    acknowledged = debrief.acknowledged_at
    assert acknowledged is not None
    service.acknowledge(rep, debrief)  # a second click (or tab) changes nothing
    assert debrief.acknowledged_at == acknowledged

    with pytest.raises(Invalid) as caught:
        service.add_follow_up(rep, debrief, "   ")
    assert caught.value.field == "follow_up"
    service.add_follow_up(rep, debrief, "You coached me on impact; I asked it on 6 calls.")
    assert debrief.follow_up.startswith("You coached me")
    assert service.unread_count(coach) == 1


def test_an_unrecorded_debrief_cannot_be_acknowledged(coach, rep, make_debrief) -> None:
    debrief = make_debrief(coach, rep, record=False)
    with pytest.raises(Conflict):
        service.acknowledge(rep, debrief)
    with pytest.raises(Conflict):
        service.add_follow_up(rep, debrief, "Something")


def test_someone_elses_notification_does_not_exist_for_you(coach, rep, make_debrief) -> None:
    make_debrief(coach, rep)
    theirs = service.notifications_of(rep)[0]
    with pytest.raises(NotFound):
        service.open_notification(coach, theirs.id)
    assert service.open_notification(rep, theirs.id).read_at is not None
    assert service.mark_all_read(rep) == 1


# --- follow-through --------------------------------------------------------------------------


def test_kept_and_partly_kept_close_a_commitment_missed_stays_until_closed(
    coach, rep, make_debrief
) -> None:
    debrief = make_debrief(
        coach,
        rep,
        commitments=[
            commitment(row=0),
            commitment(action="B", row=1),
            commitment(action="C", row=2),
        ],
    )
    kept, partly, missed = debrief.commitments
    service.review_commitment(coach, kept, Outcome.KEPT, "")
    with pytest.raises(Invalid) as caught:
        service.review_commitment(coach, partly, Outcome.PARTLY, "")
    assert caught.value.field == "note"
    with pytest.raises(Invalid):
        service.review_commitment(coach, partly, None, "note")
    service.review_commitment(coach, partly, Outcome.PARTLY, "Did three calls of five")
    service.review_commitment(coach, missed, Outcome.MISSED, "Forgot")
    assert not kept.is_open and not partly.is_open and missed.is_open
    still_open = service.open_commitments(coach, rep, TODAY)
    assert [item.commitment for item in still_open] == [missed]
    with pytest.raises(Conflict):
        service.review_commitment(coach, kept, Outcome.MISSED, "changed my mind")
    service.review_commitment(coach, missed, Outcome.MISSED, "Dropped: new territory", close=True)
    assert service.open_commitments(coach, rep, TODAY) == []


def test_open_commitments_show_how_due_they_are(coach, rep, make_debrief) -> None:
    earlier = TODAY - timedelta(days=30)
    make_debrief(coach, rep, held_on=earlier, commitments=[commitment(today=earlier, due_in=10)])
    make_debrief(coach, rep, commitments=[commitment(due_in=3), commitment(due_in=40, row=1)])
    states = [item.due.value for item in service.open_commitments(coach, rep, TODAY)]
    assert states == ["overdue", "due soon", "later"]


def test_progress_kept_rate(coach, rep, make_debrief) -> None:
    debrief = make_debrief(
        coach, rep, commitments=[commitment(), commitment(row=1), commitment(row=2)]
    )
    for item, outcome in zip(debrief.commitments, Outcome, strict=True):
        service.review_commitment(coach, item, outcome, "note")
    progress = service.progress_of(coach, rep)
    assert progress.kept_rate == pytest.approx(0.5)
    assert progress.reviewed == 3


# --- who may see and do what ------------------------------------------------------------------


@pytest.fixture
def others(make_user, make_rep) -> dict[str, User]:
    other_coach = make_user(Role.COACH, name="Other Coach")
    return {
        "other_coach": other_coach,
        "other_rep": make_rep(coach=other_coach, name="Other Rep"),
        "hr": make_user(Role.HR),
        "admin": make_user(Role.ADMIN),
    }


def test_a_rep_sees_only_their_debriefs_a_coach_only_their_reps(
    coach, rep, others, make_debrief
) -> None:
    debrief = make_debrief(coach, rep)
    for name in ("other_coach", "other_rep"):
        with pytest.raises(NotAllowed):
            service.get_debrief(others[name], debrief.id)
        with pytest.raises(NotAllowed):
            service.debriefs_of(others[name], rep)
        with pytest.raises(NotAllowed):
            service.one_on_one_prep(others[name], rep, TODAY)
    for viewer in (rep, coach, others["hr"], others["admin"]):
        assert service.get_debrief(viewer, debrief.id) is debrief
    with pytest.raises(NotFound):
        service.get_debrief(coach, debrief.id + 1000)


def test_only_the_coach_or_an_admin_records_and_reviews(coach, rep, others, make_debrief) -> None:
    setup = service.DebriefSetup(TODAY, DebriefKind.ONE_ON_ONE)
    for name in ("other_coach", "hr", "other_rep"):
        with pytest.raises(NotAllowed):
            service.create_debrief(others[name], rep, setup, TODAY)
    with pytest.raises(NotAllowed):
        service.create_debrief(rep, rep, setup, TODAY)
    debrief = service.create_debrief(others["admin"], rep, setup, TODAY)
    assert debrief.stage is None and debrief.rubric is None
    record = service.DebriefRecord(commitments=[commitment()])
    with pytest.raises(NotAllowed):
        service.record_debrief(others["hr"], debrief, record, TODAY)
    service.record_debrief(coach, debrief, record, TODAY)
    with pytest.raises(NotAllowed):
        service.review_commitment(others["other_coach"], debrief.commitments[0], Outcome.KEPT, "")
    with pytest.raises(NotAllowed):
        service.review_commitment(rep, debrief.commitments[0], Outcome.KEPT, "")


# --- repeated gaps across debriefs and certification assessments -------------------------------


def _assess(coach: User, rep: User, on: date, levels: dict[str, int]) -> None:
    rubric = shipped_curriculum().rubric("discovery")
    entry = AssessmentEntry(
        scores={c.key: levels.get(c.key, 3) for c in rubric.criteria},
        evidence_kind=rubric.evidence.kinds[0],
        evidence_url="https://calls.example.com/1",
        assessed_on=on,
    )
    submit_assessment(coach, rep, "discovery", entry, on)
    db.session.commit()


def test_a_repeated_gap_mixes_an_assessment_and_a_debrief(coach, rep, make_debrief) -> None:
    first, second = TODAY - timedelta(days=14), TODAY - timedelta(days=7)
    _assess(coach, rep, first, {"questioning": 2})
    make_debrief(
        coach,
        rep,
        held_on=second,
        scores={"questioning": 2, "active-listening": 4},
        commitments=[commitment(today=second, criterion="questioning", action="Layer questions")],
    )
    (gap,) = service.repeated_gaps_of(coach, rep)
    assert (gap.stage, gap.criterion, gap.level, gap.top) == ("discovery", "questioning", 2, 4)
    assert gap.dates == (first, second)
    assert gap.summary.startswith(f"Same gap as {first.day} ")
    assert gap.summary.endswith(": Questioning, 2/4")
    assert [c.action for c in gap.commitments] == ["Layer questions"]

    make_debrief(coach, rep, scores={"questioning": 3})
    assert service.repeated_gaps_of(coach, rep) == []  # the gap closed


def test_the_one_on_one_prep_has_everything(coach, rep, make_debrief) -> None:
    for days in (20, 10):
        held_on = TODAY - timedelta(days=days)
        make_debrief(
            coach,
            rep,
            held_on=held_on,
            scores={"questioning": 1},
            commitments=[commitment(today=held_on, due_in=5, criterion="questioning")],
        )
    make_debrief(coach, rep)
    make_debrief(coach, rep, kind=DebriefKind.ONE_ON_ONE, stage=None)
    prep = service.one_on_one_prep(coach, rep, TODAY)
    assert len(prep.last_debriefs) == 3
    assert len(prep.open_commitments) == 4
    assert [g.criterion for g in prep.gaps] == ["questioning"]
    assert prep.overdue_milestones == service_overdue(coach, rep)
    assert isinstance(prep.certifications_due, list)


def service_overdue(coach: User, rep: User) -> list:
    from app.plans.service import ramp_of

    return ramp_of(coach, rep, TODAY).overdue


def test_hr_reads_but_does_not_prepare_one_on_ones(coach, rep, others, make_debrief) -> None:
    make_debrief(coach, rep)
    assert service.progress_of(others["hr"], rep).debriefs
    with pytest.raises(NotAllowed):
        service.one_on_one_prep(others["hr"], rep, TODAY)


def test_kinds_are_listed(make_debrief: Callable[..., Debrief]) -> None:
    assert [k.label for k in DebriefKind] == [
        "Role-play",
        "Live call review",
        "Deal review",
        "One-on-one",
    ]


def test_a_rep_asks_their_coach_for_a_debrief_answering_first(coach, rep, others) -> None:
    setup = service.DebriefSetup(TODAY, DebriefKind.CALL_REVIEW, "discovery")
    with pytest.raises(Invalid):
        service.start_debrief(rep, setup, {}, TODAY)
    too_old = service.DebriefSetup(TODAY - timedelta(days=40), DebriefKind.CALL_REVIEW)
    with pytest.raises(Invalid) as caught:
        service.start_debrief(rep, too_old, {"went_well": "x"}, TODAY)
    assert caught.value.field == "held_on"
    for name in ("admin", "hr"):
        with pytest.raises(NotAllowed):
            service.start_debrief(others[name], setup, {"went_well": "x"}, TODAY)
    debrief = service.start_debrief(rep, setup, {"better": "The pricing question"}, TODAY)
    assert debrief.coach is coach and debrief.rep_answered and not debrief.is_recorded
    assert service.unread_count(coach) == 1
    service.record_debrief(coach, debrief, service.DebriefRecord(commitments=[commitment()]), TODAY)
