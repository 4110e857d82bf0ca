"""The coach's work queue: what waits on them, oldest first, aged against the turnaround."""

from __future__ import annotations

import pytest

from app.accounts.models import Organisation, Role
from app.accounts.service import organisation
from app.errors import NotAllowed
from app.extensions import db
from app.plans.service import verify
from app.reminders.workqueue import WaitingKind, work_queue, work_queues
from tests.conftest import create_rep, create_user

from .conftest import self_assess, utc_now


def _summary(queue):
    return [(item.kind, item.rep_name, item.age_days, item.late) for item in queue.items]


def test_the_queue_lists_everything_waiting_on_the_coach_oldest_first(waiting):
    world = waiting()
    queue = work_queue(world.coach)

    assert _summary(queue) == [
        (WaitingKind.COMMITMENT_REVIEW, "Riley Rep", 5, True),
        (WaitingKind.VERIFICATION, "Riley Rep", 3, True),
        (WaitingKind.DEBRIEF_NOTES, "Olive Other", 1, False),
        (WaitingKind.ASSESSMENT, "Olive Other", 0, False),
    ]
    assert queue.late == 2
    verification = queue.items[1]
    assert verification.what == world.verification.title
    assert (verification.endpoint, verification.url_values) == (
        "plans.milestone",
        {"milestone_id": world.verification.id},
    )
    # Riley, on day 20, has five milestones overdue: at risk. Olive, on day 2, is not.
    assert [(r.rep_name, r.overdue) for r in queue.at_risk] == [("Riley Rep", 4)]


def test_the_turnaround_target_is_the_organisations(waiting):
    world = waiting()
    organisation().turnaround_days = 4
    db.session.commit()

    queue = work_queue(world.coach)

    assert [(i.kind, i.late) for i in queue.items if i.age_days >= 3] == [
        (WaitingKind.COMMITMENT_REVIEW, True),
        (WaitingKind.VERIFICATION, False),
    ]
    assert queue.turnaround_days == 4


def test_done_work_leaves_the_queue(waiting):
    world = waiting()
    verify(world.coach, world.verification)
    db.session.commit()

    kinds = [item.kind for item in work_queue(world.coach).items]

    assert WaitingKind.VERIFICATION not in kinds


def test_another_coachs_work_is_not_in_the_queue(waiting, curriculum):
    world = waiting()
    stranger = create_rep(day_of_ramp=20, name="Sam Stranger")
    self_assess(stranger, curriculum)
    db.session.commit()

    names = {item.rep_name for item in work_queue(world.coach).items}
    theirs = work_queue(stranger.coach)

    assert names == {"Riley Rep", "Olive Other"}
    assert [(i.kind, i.rep_name) for i in theirs.items] == [
        (WaitingKind.ASSESSMENT, "Sam Stranger")
    ]


def test_a_named_second_assessor_has_the_assessment_in_their_queue(waiting, curriculum):
    from app.certification import service as certification
    from tests.certification.conftest import levels_for

    world = waiting()
    second = create_user(Role.COACH, name="Second Sasha")
    rubric = next(r for r in curriculum.rubrics if r.stage == "discovery")
    entry = certification.AssessmentEntry(
        scores=levels_for(rubric, 3),
        evidence_kind=rubric.evidence.kinds[0],
        evidence_url="https://example.com/call",
        assessed_on=utc_now().date(),
    )
    certification.submit_assessment(
        world.coach, world.rep, "discovery", entry, utc_now().date(), second_assessor=second
    )
    db.session.commit()

    queue = work_queue(second)

    assert [(i.kind, i.rep_name, i.endpoint) for i in queue.items] == [
        (WaitingKind.ASSESSMENT, "Riley Rep", "certification.assess")
    ]


def test_several_coaches_queues_cost_the_same_queries_as_one(waiting):
    from tests.querycount import counting_queries

    world = waiting()
    others = [create_rep(day_of_ramp=20).coach for _ in range(4)]
    for coach in [world.coach, *others]:
        db.session.refresh(coach)  # the people are at hand, as a digest batch has them
    work_queues([world.coach], utc_now())  # what is read once per transaction (stage names)
    with counting_queries() as one:
        work_queues([world.coach], utc_now())
    with counting_queries() as five:
        found = work_queues([world.coach, *others], utc_now())

    assert len(five) == len(one)
    assert all(len(found[c.id].at_risk) == 1 for c in others)


def test_reps_have_no_work_queue(make_rep):
    rep = make_rep()
    with pytest.raises(NotAllowed):
        work_queue(rep)


def test_an_old_organisation_row_defaults_to_two_days(app):
    assert db.session.get(Organisation, 1) is None or organisation().turnaround_days == 2
    assert work_queue(create_user(Role.COACH)).turnaround_days == 2


def test_the_queue_is_the_coachs_home_page(waiting, login, client):
    world = waiting()
    login(world.coach)

    home = client.get("/")
    page = client.get("/work")

    assert home.status_code == 302 and home.location.endswith("/work")
    text = page.text
    assert page.status_code == 200
    assert text.index("Review a commitment") < text.index("Verify a milestone")
    assert text.index("Verify a milestone") < text.index("Write debrief notes")
    assert text.count(">Late<") == 2 and text.count(">On time<") == 2
    assert "2 late" in text and "Riley Rep" in text.split("Reps at risk")[1]


def test_reps_are_refused_the_work_queue_page(make_rep, login, client):
    login(make_rep())
    assert client.get("/work").status_code == 403
    assert client.get("/").location.endswith("/ramp")
