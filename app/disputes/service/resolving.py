"""The other side: the coach, HR or an admin decides a dispute, and the rep is told why."""

from __future__ import annotations

from sqlalchemy import select

from app import once
from app.accounts.access import can_coach_rep, can_view_person
from app.accounts.models import Role, User
from app.certification.models import Assessment, Score, ScoreCorrection
from app.disputes.models import Dispute, DisputeStatus, ItemKind
from app.disputes.service.items import find_item
from app.disputes.service.raising import dispute_link, now
from app.errors import Conflict, Invalid, NotAllowed
from app.extensions import db
from app.lookup import get_or_not_found
from app.notifications.service import notify

OUTCOMES = (DisputeStatus.UPHELD, DisputeStatus.CHANGED, DisputeStatus.REJECTED)
RESOLUTION_LENGTH = 2000


def can_resolve(actor: User, rep: User) -> bool:
    """The rep's coach, HR or an admin; never the rep, and only while active."""
    if actor.id == rep.id or not actor.is_active:
        return False
    return actor.has_role(Role.HR, Role.ADMIN) or can_coach_rep(actor, rep)


def require_resolve(actor: User, dispute: Dispute) -> None:
    if not can_resolve(actor, dispute.rep):
        raise NotAllowed("Only the rep's coach, HR or an admin can resolve a dispute.")


def get_dispute(actor: User, dispute_id: int) -> Dispute:
    dispute = get_or_not_found(Dispute, dispute_id, "No such dispute.")
    if not can_view_person(actor, dispute.rep):
        raise NotAllowed("You can only see your own disputes or those of reps you coach.")
    return dispute


def correction_choices(dispute: Dispute) -> list[ScoreCorrection]:
    """The corrections a "changed" outcome may link to: on the disputed attempt, made since."""
    if dispute.item_kind == ItemKind.DEBRIEF:
        return []
    attempt = find_item(dispute.item_kind, dispute.item_id).attempt
    if attempt is None:
        return []
    query = (
        select(ScoreCorrection)
        .join(Score, Score.id == ScoreCorrection.score_id)
        .join(Assessment, Assessment.id == Score.assessment_id)
        .where(Assessment.attempt_id == attempt.id, ScoreCorrection.at >= dispute.opened_at)
        .order_by(ScoreCorrection.id)
    )
    return list(db.session.scalars(query))


def resolve_dispute(
    actor: User,
    dispute: Dispute,
    outcome: DisputeStatus | None,
    resolution: str,
    correction_id: int | None = None,
    key: str | None = None,
) -> Dispute:
    """Record the outcome and why, once: a second decision (another tab, another person) is
    refused, because the first one is what the rep was told."""
    require_resolve(actor, dispute)
    if once.repeated(key, dispute, Dispute.status):
        return dispute
    if not dispute.is_open:  # as the request that held the row first left it
        raise Conflict("This dispute is already resolved.")
    if outcome not in OUTCOMES:
        raise Invalid("Choose the outcome.", field="outcome")
    resolution = resolution.strip()
    if not resolution:
        raise Invalid("Say why; the rep will read it.", field="resolution")
    if len(resolution) > RESOLUTION_LENGTH:
        message = f"Keep it under {RESOLUTION_LENGTH} characters."
        raise Invalid(message, field="resolution")
    dispute.correction = _correction_for(dispute, outcome, correction_id)
    dispute.status, dispute.resolution = outcome, resolution
    dispute.resolved_by, dispute.resolved_at = actor, now()
    message = (
        f"{actor.full_name} decided your dispute of the {dispute.item_label}: "
        f"{outcome.label.lower()}. {resolution}"
    )
    notify(dispute.rep, "dispute-resolved", message, dispute_link(dispute.id))
    db.session.flush()
    return dispute


def _correction_for(
    dispute: Dispute, outcome: DisputeStatus, correction_id: int | None
) -> ScoreCorrection | None:
    """A certification changed on dispute names the correction made; other outcomes none."""
    if outcome != DisputeStatus.CHANGED or dispute.item_kind == ItemKind.DEBRIEF:
        return None
    choices = {c.id: c for c in correction_choices(dispute)}
    if not choices:
        raise Invalid(
            "Correct the score first (from the certification), then record the change.",
            field="correction",
        )
    if correction_id not in choices:
        raise Invalid("Choose the correction you made.", field="correction")
    return choices[correction_id]
