"""Disputes through the service: who may raise and resolve them, once, and on the record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Role, User
from app.disputes import service
from app.disputes.models import Dispute, DisputeStatus, ItemKind
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.notifications.models import Notification
from app.pagination import PageRequest
from tests.disputes.conftest import Disputable, corrected, recorded_debrief

CERTIFICATION = ItemKind.CERTIFICATION


def inbox(user: User) -> list[Notification]:
    query = select(Notification).where(Notification.recipient_id == user.id)
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_a_rep_disputes_a_result_with_a_reason_and_the_coach_is_told(
    disputable: Disputable,
) -> None:
    rep, attempt = disputable.rep, disputable.attempt
    dispute = service.open_dispute(rep, CERTIFICATION, attempt.id, "  I did handle it.  ")
    db.session.commit()

    assert (dispute.status, dispute.reason, dispute.rep_id) == (
        DisputeStatus.OPEN,
        "I did handle it.",
        rep.id,
    )
    assert "Prospecting certification" in dispute.item_label and "not passed" in dispute.item_label
    told = inbox(disputable.coach)[-1]
    assert told.kind == "dispute-opened" and told.link == service.dispute_link(dispute.id)
    assert service.item_link(CERTIFICATION, attempt.id) == f"/certifications/attempts/{attempt.id}"


def test_one_open_dispute_per_item_and_a_reason_is_required(disputable: Disputable) -> None:
    rep, attempt = disputable.rep, disputable.attempt
    with pytest.raises(Invalid) as refused:
        service.open_dispute(rep, CERTIFICATION, attempt.id, "   ")
    assert refused.value.field == "reason"
    first = service.open_dispute(rep, CERTIFICATION, attempt.id, "Wrong", key="k1")
    assert service.open_dispute(rep, CERTIFICATION, attempt.id, "Wrong", key="k1").id == first.id
    with pytest.raises(Conflict):
        service.open_dispute(rep, CERTIFICATION, attempt.id, "Wrong again", key="k2")
    db.session.commit()
    # Once decided, the rep may dispute again (a new record; the first stays as it was).
    service.resolve_dispute(disputable.coach, first, DisputeStatus.REJECTED, "The call shows it.")
    again = service.open_dispute(rep, CERTIFICATION, attempt.id, "Please look at minute 12")
    assert again.id != first.id and first.status == DisputeStatus.REJECTED


def test_only_the_rep_disputes_and_only_a_decided_result(
    disputable: Disputable, make_rep: Callable[..., User], assess: Callable[..., object]
) -> None:
    attempt = disputable.attempt
    for someone in (disputable.coach, make_rep()):
        with pytest.raises(NotAllowed):
            service.open_dispute(someone, CERTIFICATION, attempt.id, "Not mine")
    with pytest.raises(NotFound):
        service.open_dispute(disputable.rep, CERTIFICATION, 999_999, "None")
    other = make_rep()
    debrief = recorded_debrief(other, other.coach)
    debrief.recorded_at = None
    with pytest.raises(Conflict):
        service.open_dispute(other, ItemKind.DEBRIEF, debrief.id, "Not yet recorded")


def test_rejecting_needs_a_reason_and_the_rep_is_told_the_outcome(
    disputable: Disputable, make_user: Callable[..., User]
) -> None:
    rep = disputable.rep
    dispute = service.open_dispute(rep, CERTIFICATION, disputable.attempt.id, "Wrong")
    with pytest.raises(Invalid) as refused:
        service.resolve_dispute(disputable.coach, dispute, DisputeStatus.REJECTED, "  ")
    assert refused.value.field == "resolution"
    with pytest.raises(Invalid) as refused:
        service.resolve_dispute(disputable.coach, dispute, None, "Why")
    assert refused.value.field == "outcome"
    hr = make_user(Role.HR)

    service.resolve_dispute(hr, dispute, DisputeStatus.REJECTED, "The recording shows no answer.")
    db.session.commit()

    assert dispute.status == DisputeStatus.REJECTED
    assert (dispute.resolved_by, dispute.resolution) == (hr, "The recording shows no answer.")
    assert dispute.resolved_at is not None and dispute.correction is None
    told = inbox(rep)[-1]
    assert told.kind == "dispute-resolved" and "rejected" in told.message
    assert "The recording shows no answer." in told.message
    with pytest.raises(Conflict):
        service.resolve_dispute(disputable.coach, dispute, DisputeStatus.UPHELD, "Second thoughts")


def test_who_resolves_the_coach_hr_or_an_admin_never_the_rep(
    disputable: Disputable, make_user: Callable[..., User]
) -> None:
    dispute = service.open_dispute(disputable.rep, CERTIFICATION, disputable.attempt.id, "Wrong")
    other_coach = make_user(Role.COACH)
    for someone in (disputable.rep, other_coach):
        assert not service.can_resolve(someone, disputable.rep)
        with pytest.raises(NotAllowed):
            service.resolve_dispute(someone, dispute, DisputeStatus.UPHELD, "Yes")
    for someone in (disputable.coach, make_user(Role.HR), make_user(Role.ADMIN)):
        assert service.can_resolve(someone, disputable.rep)
    with pytest.raises(NotAllowed):
        service.get_dispute(other_coach, dispute.id)


def test_changed_links_the_correction_made_since_the_dispute(disputable: Disputable) -> None:
    rep, coach = disputable.rep, disputable.coach
    dispute = service.open_dispute(rep, CERTIFICATION, disputable.attempt.id, "I handled it")
    with pytest.raises(Invalid) as refused:  # nothing corrected yet
        service.resolve_dispute(coach, dispute, DisputeStatus.CHANGED, "Corrected")
    assert refused.value.field == "correction"
    correction_id = corrected(disputable, level=2)
    assert [c.id for c in service.correction_choices(dispute)] == [correction_id]
    with pytest.raises(Invalid):
        service.resolve_dispute(coach, dispute, DisputeStatus.CHANGED, "Corrected", 999_999)

    service.resolve_dispute(coach, dispute, DisputeStatus.CHANGED, "You did.", correction_id)
    db.session.commit()

    assert dispute.status == DisputeStatus.CHANGED and dispute.correction_id == correction_id
    assert disputable.attempt.passed is True  # the correction, not the dispute, changed it


def test_a_correction_and_debrief_notes_can_be_disputed_too(disputable: Disputable) -> None:
    rep, coach = disputable.rep, disputable.coach
    correction_id = corrected(disputable, level=2)
    about_correction = service.open_dispute(rep, ItemKind.CORRECTION, correction_id, "Should be 3")
    assert "score corrected from 1 to 2" in about_correction.item_label
    debrief = recorded_debrief(rep, coach)
    about_notes = service.open_dispute(rep, ItemKind.DEBRIEF, debrief.id, "I slowed down")
    # Debrief notes change without a score correction to link.
    service.resolve_dispute(coach, about_notes, DisputeStatus.CHANGED, "Notes amended.")
    assert about_notes.correction is None
    assert service.item_link(ItemKind.DEBRIEF, debrief.id) == f"/coaching/debriefs/{debrief.id}"
    attempt_link = f"/certifications/attempts/{disputable.attempt.id}"
    assert service.item_link(ItemKind.CORRECTION, correction_id) == attempt_link


def test_acknowledging_is_recorded_once_and_not_while_disputed(disputable: Disputable) -> None:
    rep, attempt = disputable.rep, disputable.attempt
    item = service.find_item(CERTIFICATION, attempt.id)
    assert not service.is_acknowledged(item)
    service.acknowledge(rep, CERTIFICATION, attempt.id)
    service.acknowledge(rep, CERTIFICATION, attempt.id)
    assert service.is_acknowledged(item)
    with pytest.raises(NotAllowed):
        service.acknowledge(disputable.coach, CERTIFICATION, attempt.id)
    debrief = recorded_debrief(rep, disputable.coach)
    service.open_dispute(rep, ItemKind.DEBRIEF, debrief.id, "Not what I said")
    with pytest.raises(Conflict):
        service.acknowledge(rep, ItemKind.DEBRIEF, debrief.id)


def test_the_lists_show_whose_disputes_and_their_age_against_the_target(
    app: Flask,
    disputable: Disputable,
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
) -> None:
    mine = service.open_dispute(disputable.rep, CERTIFICATION, disputable.attempt.id, "Wrong")
    other_rep = make_rep()
    theirs = service.open_dispute(
        other_rep, ItemKind.DEBRIEF, recorded_debrief(other_rep, other_rep.coach).id, "No"
    )
    mine.opened_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=7)
    db.session.commit()

    def shown(actor: User, which: str = "open") -> list[int]:
        return [d.id for d in service.disputes_page(actor, which, PageRequest()).items]

    assert shown(disputable.coach) == [mine.id]
    assert shown(disputable.rep) == [mine.id]
    assert shown(make_user(Role.HR)) == [mine.id, theirs.id]  # oldest first
    assert shown(disputable.coach, "resolved") == []
    age = service.age_of(mine, date.today())
    assert (age.days, age.target, age.over) == (7, 5, True)
    assert age.text == "7 days, 2 days over the 5-day target"
    fresh = service.age_of(theirs, date.today())
    assert (fresh.over, fresh.text) == (False, "0 days of 5")
    app.config["DISPUTE_TURNAROUND_DAYS"] = 10
    assert not service.age_of(mine, date.today()).over


def test_the_database_allows_one_open_dispute_per_item(disputable: Disputable) -> None:
    """The rule holds even past the service (two tabs that slipped by each other)."""
    service.open_dispute(disputable.rep, CERTIFICATION, disputable.attempt.id, "Wrong")
    db.session.add(
        Dispute(
            item_kind=CERTIFICATION,
            item_id=disputable.attempt.id,
            item_label="x",
            rep=disputable.rep,
            reason="again",
            opened_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
