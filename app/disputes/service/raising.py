"""The rep's side: acknowledging an item, or disputing it with a reason (once per item)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app import once
from app.accounts.models import User
from app.coaching import service as coaching
from app.coaching.models import Debrief
from app.disputes.models import Acknowledgement, Dispute, DisputeStatus, ItemKind
from app.disputes.service.items import LABEL_LENGTH, Item, find_item, require_own_item
from app.errors import Conflict, Invalid
from app.extensions import db
from app.notifications.service import notify

REASON_LENGTH = 2000


def now() -> datetime:
    """Naive UTC, as timestamps are stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def dispute_link(dispute_id: int) -> str:
    """Where a notification about a dispute points (tests check it matches the route)."""
    return f"/disputes/{dispute_id}"


def open_dispute_of(kind: ItemKind, item_id: int) -> Dispute | None:
    return db.session.scalars(
        select(Dispute).where(
            Dispute.item_kind == kind,
            Dispute.item_id == item_id,
            Dispute.status == DisputeStatus.OPEN,
        )
    ).first()


def is_acknowledged(item: Item) -> bool:
    if item.kind == ItemKind.DEBRIEF:
        debrief = db.session.get(Debrief, item.id)
        return debrief is not None and debrief.acknowledged_at is not None
    found = db.session.scalar(
        select(Acknowledgement.id).where(
            Acknowledgement.item_kind == item.kind, Acknowledgement.item_id == item.id
        )
    )
    return found is not None


def acknowledge(actor: User, kind: ItemKind, item_id: int) -> Item:
    """The rep has read the item and accepts it; acknowledging twice changes nothing."""
    item = find_item(kind, item_id)
    require_own_item(actor, item)
    once.lock(actor, User.full_name)  # the rep's two tabs take turns
    if open_dispute_of(kind, item_id) is not None:
        raise Conflict("You have disputed this; it is acknowledged once the dispute is resolved.")
    if kind == ItemKind.DEBRIEF:
        debrief = db.session.get(Debrief, item_id)
        if debrief is not None and debrief.acknowledged_at is None:
            coaching.acknowledge(actor, debrief)
        return item
    if not is_acknowledged(item):
        db.session.add(Acknowledgement(item_kind=kind, item_id=item_id, rep_id=actor.id, at=now()))
        db.session.flush()
    return item


def open_dispute(
    actor: User, kind: ItemKind, item_id: int, reason: str, key: str | None = None
) -> Dispute:
    """The rep disputes an item, saying why; the coach (or HR, without one) is told.

    One open dispute per item: a repeat of the same form answers with the first dispute, and
    two forms sent at once take turns on the rep's row, so the second sees the first.
    """
    item = find_item(kind, item_id)
    require_own_item(actor, item)
    earlier = once.earlier_result(key, Dispute)
    if earlier is not None:
        return earlier
    once.lock(actor, User.full_name)
    if open_dispute_of(kind, item_id) is not None:
        raise Conflict("You have already disputed this; it is waiting for a decision.")
    reason = reason.strip()
    if not reason:
        raise Invalid("Say what you dispute and why.", field="reason")
    if len(reason) > REASON_LENGTH:
        raise Invalid(f"Keep the reason under {REASON_LENGTH} characters.", field="reason")
    dispute = Dispute(
        item_kind=kind,
        item_id=item_id,
        item_label=item.label[:LABEL_LENGTH],
        rep=actor,
        reason=reason,
        opened_at=now(),
        status=DisputeStatus.OPEN,
    )
    db.session.add(dispute)
    db.session.flush()
    coach = actor.coach
    if coach is not None and coach.active:
        message = f"{actor.full_name} disputes the {item.label}: {reason}"
        notify(coach, "dispute-opened", message, dispute_link(dispute.id), waits_on_recipient=True)
    once.remember_result(key, dispute.id)
    return dispute
