"""Who may do what with agreements: the rules every agreements service checks.

``can_<verb>`` answers yes or no (for pages deciding what to show); ``require_<verb>`` refuses
with ``NotAllowed`` (or ``Conflict`` when the agreement's state, not the person, is the reason).
"""

from __future__ import annotations

from app.accounts.models import Role, User
from app.agreements.models import Agreement, AgreementStatus, SignerRole
from app.errors import Conflict, NotAllowed

FROZEN_MESSAGE = (
    "This agreement has been sent, so its content is frozen. To change it, void it with a "
    "reason and send a new one."
)


def can_manage(actor: User) -> bool:
    """Drafting, sending, voiding, listing everyone's and exporting: HR and admins."""
    return actor.sees_everyone


def require_manage(actor: User) -> None:
    if not can_manage(actor):
        raise NotAllowed("Only HR and admins prepare and send agreements.")


def can_list(actor: User) -> bool:
    """Agreement lists are for HR and admins (everyone's) and coaches (their reps')."""
    return can_manage(actor) or actor.has_role(Role.COACH)


def require_list(actor: User) -> None:
    if not can_list(actor):
        raise NotAllowed("Only HR, admins and coaches see agreement lists.")


def can_view(actor: User, agreement: Agreement) -> bool:
    if can_manage(actor):
        return True
    if agreement.status == AgreementStatus.DRAFT:
        return False  # a draft is HR's work in progress, not yet the rep's
    if agreement.rep_id == actor.id or agreement.coach_id == actor.id:
        return True
    return actor.has_role(Role.COACH) and agreement.rep.coach_id == actor.id


def require_view(actor: User, agreement: Agreement) -> None:
    if not can_view(actor, agreement):
        raise NotAllowed("You can only see your own agreements or those of reps you coach.")


def can_edit(actor: User, agreement: Agreement) -> bool:
    """Only a draft's values change; once sent, the content is frozen."""
    return can_manage(actor) and agreement.status == AgreementStatus.DRAFT


def require_edit(actor: User, agreement: Agreement) -> None:
    require_manage(actor)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(FROZEN_MESSAGE)


def pending_role(actor: User, agreement: Agreement) -> SignerRole | None:
    """The signature the actor still owes on this agreement, if any."""
    if agreement.status == AgreementStatus.SENT and agreement.rep_id == actor.id:
        return SignerRole.REP
    if agreement.status != AgreementStatus.SIGNED_BY_REP or agreement.rep_id == actor.id:
        return None
    if actor.sees_everyone and agreement.signature_by(SignerRole.HR) is None:
        return SignerRole.HR
    if (
        agreement.countersign_coach
        and agreement.coach_id == actor.id
        and agreement.signature_by(SignerRole.COACH) is None
    ):
        return SignerRole.COACH
    return None


def can_sign(actor: User, agreement: Agreement) -> bool:
    return pending_role(actor, agreement) is not None


def require_sign(actor: User, agreement: Agreement) -> SignerRole:
    """The signature the actor owes now, or why they cannot sign."""
    role = pending_role(actor, agreement)
    if role is not None:
        return role
    if any(signature.signer_id == actor.id for signature in agreement.signatures):
        raise Conflict("You have signed this agreement already; nothing was changed.")
    if actor.id not in (agreement.rep_id, agreement.coach_id) and not actor.sees_everyone:
        raise NotAllowed("This agreement is not yours to sign.")
    if agreement.status == AgreementStatus.SENT:
        raise NotAllowed("The rep signs first; the countersignature comes after.")
    if agreement.status == AgreementStatus.SIGNED_BY_REP:
        raise NotAllowed("This agreement is waiting for someone else's signature, not yours.")
    messages = {
        AgreementStatus.DRAFT: "This agreement has not been sent yet.",
        AgreementStatus.COMPLETED: "This agreement is completed already.",
        AgreementStatus.DECLINED: "This agreement was declined.",
        AgreementStatus.VOIDED: "This agreement was voided.",
    }
    raise Conflict(messages[agreement.status])
