"""``app.derived.batched``: the summaries rewritten from their rows wait for the end of the
block (or a commit inside it) and are then what a rewrite after every flush would have left;
the outcome stamps, a counter, wait too and still count every flush."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.derived import batched
from app.extensions import db
from app.plans.models import Milestone, MilestoneStatus, Plan, PlanSummary
from tests.conftest import create_rep
from tests.test_derived import _stamp, assert_in_step


def _milestones(rep_id: int, count: int) -> list[Milestone]:
    query = select(Milestone).join(Plan).where(Plan.rep_id == rep_id).order_by(Milestone.id)
    return list(db.session.scalars(query.limit(count)))


def _unfinished(rep_id: int) -> int:
    query = select(PlanSummary.unfinished).join(Plan).where(Plan.rep_id == rep_id)
    return db.session.execute(query).scalar_one()


def _finish(milestone: Milestone) -> None:
    milestone.status = MilestoneStatus.DONE
    milestone.completed_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.flush()


def test_a_batch_rewrites_the_summaries_once_at_its_end(app, curriculum):
    rep = create_rep(day_of_ramp=40)
    unfinished, stamp = _unfinished(rep.id), _stamp(rep.id)
    with batched(db.session()):
        for milestone in _milestones(rep.id, 3):
            _finish(milestone)
        assert _unfinished(rep.id) == unfinished  # held back until the block ends
        assert _stamp(rep.id) == stamp
    assert _unfinished(rep.id) == unfinished - 3
    assert_in_step()
    assert _stamp(rep.id) == stamp + 3  # one bump per flush, as without the batch


def test_a_counter_counts_each_flush_that_noted_a_key(app, curriculum):
    one, two = create_rep(day_of_ramp=40), create_rep(day_of_ramp=40)
    stamps = _stamp(one.id), _stamp(two.id)
    with batched(db.session()):
        first, second = _milestones(one.id, 2)
        _finish(first)
        _finish(_milestones(two.id, 1)[0])
        _finish(second)
    assert (_stamp(one.id), _stamp(two.id)) == (stamps[0] + 2, stamps[1] + 1)


def test_a_commit_inside_a_batch_commits_the_summaries_in_step(app, curriculum):
    rep = create_rep(day_of_ramp=40)
    unfinished = _unfinished(rep.id)
    with batched(db.session()):
        first, second = _milestones(rep.id, 2)
        _finish(first)
        second.status = MilestoneStatus.DONE  # not flushed yet: the commit flushes it
        db.session.commit()
        assert _unfinished(rep.id) == unfinished - 2
        assert_in_step()
