"""The demo organisation shows the work queue and the digests working."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.reminders.digest import digests_for
from app.reminders.workqueue import WaitingKind, work_queue


def _person(email: str) -> User:
    person = db.session.scalar(select(User).where(User.email == email))
    assert person is not None
    return person


def test_the_demo_coaches_have_work_waiting_on_time_and_late(demo_snapshot, app):
    queue = work_queue(_person("coach1@demo.salesramp"))
    kinds = {item.kind for item in queue.items}

    assert {WaitingKind.VERIFICATION, WaitingKind.ASSESSMENT} <= kinds
    assert 0 < queue.late < len(queue.items)
    assert work_queue(_person("coach2@demo.salesramp")).at_risk


def test_every_demo_rep_has_something_in_their_digest(demo_snapshot, app):
    reps = db.session.scalars(select(User).where(User.email.like("rep%@demo.salesramp"))).all()

    digests = digests_for([(rep, "day x") for rep in reps], datetime.now(UTC))

    assert len(digests) == 10 and all(digest.count for digest in digests)
    titles = {section.title for digest in digests for section in digest.sections}
    assert {"Overdue", "Due this week", "Agreements to sign", "Your commitments"} <= titles
