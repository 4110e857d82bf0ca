"""Signing: reading evidence, the rep's signature or decline, countersignatures; then sealing.

Every check happens here, whatever the page did: the consent box, the typed name, a fresh
login, and that the actor is the one whose signature is due. ``claim`` makes a second
submission of the same signature fail without a second event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.accounts.models import Role, User
from app.accounts.passwords import verify_password
from app.accounts.service import active_people_with
from app.agreements import audit
from app.agreements.audit import Evidence
from app.agreements.consent import consent_version_for
from app.agreements.document import names_match
from app.agreements.models import (
    Agreement,
    AgreementSignature,
    AgreementStatus,
    SignerRole,
)
from app.agreements.service.access import pending_role, require_sign
from app.agreements.service.drafting import claim, close, sign_link
from app.agreements.service.sealing import queue_sealing
from app.errors import Conflict, Invalid
from app.extensions import db
from app.notifications.service import notify, preferences_for, resolve
from app.webhooks.models import EventType
from app.webhooks.service import record_event

# The notification every HR person gets when a rep's signature makes an agreement wait for HR.
HR_COUNTERSIGN = "agreement-hr-countersign"

SIGNED_ACTIONS = {
    SignerRole.REP: "signed by rep",
    SignerRole.HR: "countersigned by HR",
    SignerRole.COACH: "countersigned by coach",
}


@dataclass(frozen=True)
class SignatureInput:
    """What the signer submitted, and when they last proved who they are."""

    typed_name: str
    consent: bool
    consent_version: str | None = None  # the version shown; None: the signer's role's current one
    password: str = ""
    signed_in_at: datetime | None = None  # the last password entry in this session (UTC)


def needs_password(signed_in_at: datetime | None, now: datetime, window: timedelta) -> bool:
    """Signing needs a fresh login: a password entered within ``window``."""
    return signed_in_at is None or now - signed_in_at > window


def record_opened(actor: User, agreement: Agreement, evidence: Evidence) -> None:
    """The signer opened the document to sign it: evidence that it was put in front of them."""
    if pending_role(actor, agreement) is not None:
        audit.record(agreement, actor, "opened", evidence, _hash(agreement))


def record_reached_end(actor: User, agreement: Agreement, evidence: Evidence) -> bool:
    """The signer scrolled to the end of the document; recorded once per opening."""
    if pending_role(actor, agreement) is None:
        return False
    own = [e for e in audit.events_of(agreement) if e.actor_id == actor.id]
    if own and own[-1].action == "read to the end":
        return False
    audit.record(agreement, actor, "read to the end", evidence, _hash(agreement))
    return True


def has_reached_end(actor: User, agreement: Agreement) -> bool:
    """The signer reached the end since last opening the document: a refused submit keeps it."""
    return _reading_times(agreement, actor)[1] is not None


def name_mismatch_advice(actor: User) -> str:
    """Who corrects a wrong name on record: admins edit people; HR asks an admin, not HR."""
    if actor.has_role(Role.ADMIN):
        return "If your name on record is wrong, correct it under People before you sign."
    if actor.has_role(Role.HR):
        return "If your name on record is wrong, ask an admin to correct it before you sign."
    return "If your name on record is wrong, ask HR to correct it before you sign."


def sign(
    actor: User,
    agreement: Agreement,
    given: SignatureInput,
    evidence: Evidence,
    reauth_window: timedelta,
) -> AgreementSignature:
    """Sign as the rep, or countersign as HR or the coach; the last signature seals it."""
    role = require_sign(actor, agreement)
    moment = audit.now()
    if needs_password(given.signed_in_at, moment, reauth_window):
        if not given.password:
            raise Invalid("For your security, enter your password again to sign.", "password")
        if not verify_password(actor.password_hash, given.password):
            raise Invalid("That password is not right.", field="password")
    consent_version = consent_version_for(role)
    if given.consent_version not in (None, consent_version):
        raise Invalid("The consent text changed; reload the page and read it again.", "consent")
    if not given.consent:
        raise Invalid("Tick the box to agree to sign electronically.", field="consent")
    if not given.typed_name.strip():
        raise Invalid("Type your full legal name to sign.", field="typed_name")
    if not names_match(given.typed_name, actor.full_name):
        raise Invalid(
            f"The name you typed does not match the name on record ({actor.full_name}). "
            + name_mismatch_advice(actor),
            field="typed_name",
        )
    expected = AgreementStatus.SENT if role == SignerRole.REP else AgreementStatus.SIGNED_BY_REP
    changes: dict[str, object] = {"updated_at": moment}
    if role == SignerRole.REP:
        changes |= {"status": AgreementStatus.SIGNED_BY_REP, "rep_signed_at": moment}
    claim(agreement, expected, **changes)
    opened, reached = _reading_times(agreement, actor)
    signature = AgreementSignature(
        agreement=agreement,
        role=role,
        signer_id=actor.id,
        name_on_record=actor.full_name,
        typed_name=" ".join(given.typed_name.split()),
        consent_version=consent_version,
        opened_at=opened,
        reached_end_at=reached,
        signed_at=moment,
        ip_address=evidence.ip_address[:64],
        user_agent=evidence.user_agent[:300],
        content_hash=_hash(agreement),
    )
    db.session.add(signature)
    db.session.flush()
    detail = f'Typed name "{signature.typed_name}"; consent {consent_version}'
    audit.record(agreement, actor, SIGNED_ACTIONS[role], evidence, _hash(agreement), detail, moment)
    db.session.refresh(agreement, ["signatures"])
    if all(agreement.signature_by(r) for r in agreement.required_signers):
        _complete(agreement, moment)
    elif role == SignerRole.REP:
        _ask_for_countersignatures(actor, agreement)
    if role == SignerRole.HR:
        _hr_countersigned(actor, agreement)
    return signature


def _ask_for_countersignatures(rep: User, agreement: Agreement) -> None:
    """The rep signed: HR (every active HR person: any one of them countersigns) and, when
    the agreement asks for it, the coach. Admins stand in for HR in an organisation without.
    """
    message = f"{rep.full_name} signed {agreement.title}: it waits for your countersignature."
    link = sign_link(agreement.id)
    if agreement.countersign_coach and agreement.coach is not None:
        notify(agreement.coach, "agreement-to-countersign", message, link, waits_on_recipient=True)
    hr = active_people_with(Role.HR) or active_people_with(Role.ADMIN)
    preferences = preferences_for(hr)
    hr_message = f"{message[:-1]} as HR (any one of HR countersigns)."
    for person in hr:
        if person.id == rep.id:
            continue  # nobody countersigns their own agreement
        notify(
            person,
            HR_COUNTERSIGN,
            hr_message,
            link,
            waits_on_recipient=True,
            preferences=preferences[person.id],
        )


def _hr_countersigned(actor: User, agreement: Agreement) -> None:
    """Once one HR person countersigned, the others' notifications say it waits on nobody."""
    resolve(
        HR_COUNTERSIGN,
        sign_link(agreement.id),
        f"{agreement.title} ({agreement.rep.full_name}) was countersigned for HR by "
        f"{actor.full_name}: nothing waits on you.",
        done_by=actor,
    )


def sealed_pdf_of(agreement: Agreement) -> bytes:
    """The stored sealed PDF, byte for byte; it exists once everyone has signed."""
    if agreement.status != AgreementStatus.COMPLETED:
        raise Conflict("The signed PDF is available once everyone has signed.")
    if agreement.pdf is None:
        raise Conflict("Everyone has signed; the PDF is being sealed. Try again in a minute.")
    return agreement.pdf


def decline(actor: User, agreement: Agreement, reason: str, evidence: Evidence) -> Agreement:
    """The rep declines to sign, saying why; HR sees the reason and can send a new one."""
    role = require_sign(actor, agreement)
    if role != SignerRole.REP:
        raise Conflict("Only the rep can decline; to stop an agreement, void it with a reason.")
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why you decline, so HR can follow up.", field="reason")
    close(agreement, (AgreementStatus.SENT,), AgreementStatus.DECLINED, reason, actor, evidence)
    return agreement


def _complete(agreement: Agreement, moment: datetime) -> None:
    """All signatures are in: completed now; the job worker renders and seals the PDF."""
    claim(
        agreement,
        AgreementStatus.SIGNED_BY_REP,
        status=AgreementStatus.COMPLETED,
        completed_at=moment,
        updated_at=moment,
    )
    system = Evidence.system("sealing")
    audit.record(agreement, None, "completed", system, _hash(agreement), at=moment)
    record_event(
        EventType.AGREEMENT_COMPLETED,
        {
            "agreement_id": agreement.id,
            "rep_id": agreement.rep_id,
            "template_id": agreement.template_id,
            "title": agreement.title,
            "completed_at": moment.isoformat(),
        },
    )
    queue_sealing(agreement)


def _hash(agreement: Agreement) -> str:
    assert agreement.content_hash is not None, "only a sent agreement is signed"
    return agreement.content_hash


def _reading_times(agreement: Agreement, actor: User) -> tuple[datetime | None, datetime | None]:
    """When the signer last opened the document, and reached its end after that."""
    opened = reached = None
    for event in audit.events_of(agreement):
        if event.actor_id != actor.id:
            continue
        if event.action == "opened":
            opened, reached = event.at, None
        elif event.action == "read to the end" and opened is not None:
            reached = event.at
    return opened, reached
