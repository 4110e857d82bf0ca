"""What a disputed record's own page says about its dispute: open, or decided and how.

The certification attempt and debrief pages belong to features below disputes, which may not
import it; ``app.disputes.views`` registers :func:`dispute_on` as a template global instead,
and those pages ask for it only when it is defined (so they still render without disputes).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from app.accounts.access import can_view_person
from app.accounts.models import User
from app.coaching import service as coaching
from app.coaching.models import Debrief
from app.disputes.models import Dispute, DisputeStatus, ItemKind
from app.disputes.service.raising import dispute_link, open_dispute_of
from app.extensions import db


@dataclass(frozen=True)
class DisputeNote:
    """The item's open dispute, or else its latest decided one, as the item's page shows it."""

    dispute_id: int
    status: DisputeStatus
    link: str

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN


def dispute_on(actor: User, kind: ItemKind | str, item_id: int) -> DisputeNote | None:
    """The dispute to mention on the item's page, when the actor may read it: one query."""
    query = (
        select(Dispute)
        .where(Dispute.item_kind == ItemKind(kind), Dispute.item_id == item_id)
        .order_by(
            case((Dispute.status == DisputeStatus.OPEN, 0), else_=1),
            Dispute.opened_at.desc(),
            Dispute.id.desc(),
        )
        .options(joinedload(Dispute.rep))
        .limit(1)
    )
    dispute = db.session.scalar(query)
    if dispute is None or not can_view_person(actor, dispute.rep):
        return None
    return DisputeNote(dispute.id, dispute.status, dispute_link(dispute.id))


def _disputed_notes(debrief: Debrief) -> str | None:
    """While the rep disputes a debrief's notes they do not also acknowledge them."""
    if open_dispute_of(ItemKind.DEBRIEF, debrief.id) is None:
        return None
    return "You dispute these notes: acknowledge them once the dispute is decided."


coaching.hold_acknowledgement_when("disputes", _disputed_notes)
