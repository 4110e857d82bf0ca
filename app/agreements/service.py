"""Agreements: templates as loaded, drafting from the rep's record, sending, voiding, finding.

What is pulled from the rep's record is in ``record.py``, sending to many in ``bulk.py``,
signing, declining and sealing in ``signing.py``. Every function takes the acting user,
checks what they may do, raises domain errors, and flushes; the caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import selectinload

from app.accounts.access import require_view_person
from app.accounts.models import Role, User
from app.agreements import audit
from app.agreements.audit import Evidence
from app.agreements.document import (
    build_document,
    content_hash,
    default_values,
    parse_values,
)
from app.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AgreementTemplate,
    SignerRole,
)
from app.agreements.record import rep_record
from app.curriculum.schema import AgreementTemplate as TemplateSpec
from app.curriculum.service import current_version, current_versions
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db

OPEN_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.SENT, AgreementStatus.SIGNED_BY_REP)
FROZEN_MESSAGE = (
    "This agreement has been sent, so its content is frozen. To change it, void it with a "
    "reason and send a new one."
)


# --- templates --------------------------------------------------------------------------------


def current_templates() -> list[AgreementTemplate]:
    order = (AgreementTemplate.kind, AgreementTemplate.title)
    return current_versions(AgreementTemplate, order_by=order)


def current_template(key: str) -> AgreementTemplate:
    missing = f"There is no agreement template '{key}'."
    return current_version(AgreementTemplate, key, missing)


def spec_of(template: AgreementTemplate) -> TemplateSpec:
    """The validated template as stored (the version the agreement was drafted from)."""
    return TemplateSpec.model_validate(template.content)


# --- who may do what ---------------------------------------------------------------------------


def can_manage(actor: User) -> bool:
    """Drafting, sending, voiding, listing everyone's and exporting: HR and admins."""
    return actor.sees_everyone


def require_manage(actor: User) -> None:
    if not can_manage(actor):
        raise NotAllowed("Only HR and admins prepare and send agreements.")


def can_view(actor: User, agreement: Agreement) -> bool:
    if can_manage(actor):
        return True
    if agreement.status == AgreementStatus.DRAFT:
        return False  # a draft is HR's work in progress, not yet the rep's
    if agreement.rep_id == actor.id or agreement.coach_id == actor.id:
        return True
    return actor.has_role(Role.COACH) and agreement.rep.coach_id == actor.id


def get_agreement(actor: User, agreement_id: int) -> Agreement:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound("There is no such agreement.")
    if not can_view(actor, agreement):
        raise NotAllowed("You can only see your own agreements or those of reps you coach.")
    return agreement


def find_by_code(code: str) -> Agreement | None:
    normal = code.strip().upper()
    return db.session.scalar(select(Agreement).where(Agreement.verification_code == normal))


# --- drafting and sending ---------------------------------------------------------------------


def initial_values(template_key: str) -> dict[str, str | None]:
    return default_values(spec_of(current_template(template_key)))


def checked_values(spec: TemplateSpec, raw: Mapping[str, str | None]) -> dict[str, str | None]:
    """HR's values in stored form; the first problem is raised, naming its field."""
    values, errors = parse_values(spec, raw)
    if errors:
        name, message = next(iter(errors.items()))
        label = next(v.label for v in spec.variables if v.name == name)
        more = f" ({len(errors) - 1} more to fix)" if len(errors) > 1 else ""
        raise Invalid(f"{label}: {message}{more}", field=name)
    return values


def require_rep(rep: User) -> None:
    """Agreements are for active people with the Rep role."""
    if not rep.has_role(Role.REP):
        raise Invalid("Agreements are for people with the Rep role.", field="rep_id")
    if not rep.active:
        raise Invalid("This person is deactivated.", field="rep_id")


def create_draft(
    actor: User,
    rep: User,
    template_key: str,
    raw_values: Mapping[str, str | None],
    evidence: Evidence,
) -> Agreement:
    """A draft agreement for ``rep`` from the current version of a template."""
    require_manage(actor)
    require_rep(rep)
    template = current_template(template_key)
    spec = spec_of(template)
    values = checked_values(spec, raw_values)
    moment = audit.now()
    agreement = Agreement(
        rep=rep,
        template=template,
        kind=template.kind,
        title=template.title,
        status=AgreementStatus.DRAFT,
        revision=0,
        verification_code=_new_code(),
        values=values,
        countersign_coach="coach" in spec.countersign,
        created_by=actor,
        created_at=moment,
        updated_at=moment,
        close_reason="",
    )
    db.session.add(agreement)
    db.session.flush()
    audit.record(agreement, actor, "drafted", evidence, content_hash(document_of(agreement)))
    return agreement


def update_draft(
    actor: User, agreement: Agreement, raw_values: Mapping[str, str | None], evidence: Evidence
) -> Agreement:
    """Change HR's values; only a draft can change, a sent agreement's content is frozen."""
    require_manage(actor)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(FROZEN_MESSAGE)
    values = checked_values(spec_of(agreement.template), raw_values)
    claim(agreement, AgreementStatus.DRAFT, values=values, updated_at=audit.now())
    audit.record(agreement, actor, "edited", evidence, content_hash(document_of(agreement)))
    return agreement


def document_of(agreement: Agreement, today: date | None = None) -> dict[str, Any]:
    """The document: frozen once sent; for a draft, built afresh from the rep's record."""
    if agreement.document is not None:
        return agreement.document
    issued = today or audit.now().date()
    return build_document(
        spec_of(agreement.template),
        agreement.template.version,
        agreement.values or {},
        rep_record(agreement.rep, issued),
        issued,
    )


def document_hash(agreement: Agreement) -> str:
    return agreement.content_hash or content_hash(document_of(agreement))


def send(actor: User, agreement: Agreement, evidence: Evidence) -> Agreement:
    """Freeze the content and ask the rep to sign."""
    require_manage(actor)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict("This agreement has been sent already.")
    rep = agreement.rep
    require_rep(rep)
    if agreement.countersign_coach and rep.coach_id is None:
        raise Invalid("This agreement is countersigned by the coach, but the rep has no coach.")
    document = document_of(agreement)
    moment = audit.now()
    claim(
        agreement,
        AgreementStatus.DRAFT,
        status=AgreementStatus.SENT,
        document=document,
        content_hash=content_hash(document),
        coach_id=rep.coach_id if agreement.countersign_coach else None,
        sent_at=moment,
        updated_at=moment,
    )
    audit.record(agreement, actor, "sent", evidence, content_hash(document), at=moment)
    return agreement


def void(actor: User, agreement: Agreement, reason: str, evidence: Evidence) -> Agreement:
    """Withdraw an agreement that is not completed, with the reason on record."""
    require_manage(actor)
    reason = reason.strip()
    if agreement.status == AgreementStatus.COMPLETED:
        raise Conflict("A completed agreement cannot be voided; it is signed and sealed.")
    if agreement.status not in OPEN_STATUSES:
        raise Conflict(f"This agreement is {agreement.status.short_label.lower()} already.")
    if not reason:
        raise Invalid("Say why the agreement is voided.", field="reason")
    moment = audit.now()
    claim(
        agreement,
        *OPEN_STATUSES,
        status=AgreementStatus.VOIDED,
        closed_at=moment,
        close_reason=reason,
        updated_at=moment,
    )
    audit.record(agreement, actor, "voided", evidence, document_hash(agreement), reason, moment)
    return agreement


def _new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    while True:
        raw = "".join(secrets.choice(alphabet) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if find_by_code(code) is None:
            return code


def claim(agreement: Agreement, *expected: AgreementStatus, **changes: Any) -> None:
    """Apply ``changes`` only if nobody changed the agreement since it was loaded.

    A conditional UPDATE on the revision and status: of two submissions of the same action
    (two tabs, a double click) the second finds the revision moved on and is refused. It also
    takes the row's write lock first, so the rest of the transaction is serialised (on SQLite
    the database's, on PostgreSQL the row's).
    """
    statement = (
        update(Agreement)
        .where(
            Agreement.id == agreement.id,
            Agreement.revision == agreement.revision,
            Agreement.status.in_(expected),
        )
        .values(revision=agreement.revision + 1, **changes)
        .execution_options(synchronize_session=False)
    )
    try:
        result = db.session.execute(statement)
    except OperationalError as exc:  # SQLite: another writer kept the lock too long
        raise Conflict("Someone else is changing this agreement; reload and try again.") from exc
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_moved_on(agreement))
    db.session.refresh(agreement)


def _moved_on(agreement: Agreement) -> str:
    status = db.session.scalar(select(Agreement.status).where(Agreement.id == agreement.id))
    if status in (AgreementStatus.SIGNED_BY_REP, AgreementStatus.COMPLETED):
        return "This agreement has been signed already; nothing was changed."
    if status == AgreementStatus.SENT:
        return FROZEN_MESSAGE
    if status in (AgreementStatus.DECLINED, AgreementStatus.VOIDED):
        return f"This agreement was {status.short_label.lower()}; nothing was changed."
    return "This agreement was changed meanwhile; reload the page and try again."


def sealed_pdf_of(agreement: Agreement) -> bytes:
    """The stored sealed PDF, byte for byte; it exists once everyone has signed."""
    if agreement.status != AgreementStatus.COMPLETED or agreement.pdf is None:
        raise Conflict("The signed PDF is available once everyone has signed.")
    return agreement.pdf


# --- finding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementFilters:
    status: AgreementStatus | None = None
    kind: AgreementKind | None = None
    team_id: int | None = None
    rep_id: int | None = None
    date_from: date | None = None  # sent (or drafted) on or after
    date_to: date | None = None


def agreements_query(actor: User, filters: AgreementFilters = AgreementFilters()) -> Select[Any]:
    """The agreements the actor may see that match the filters, newest first."""
    query = select(Agreement).join(User, Agreement.rep_id == User.id)
    if not can_manage(actor):
        if not actor.has_role(Role.COACH):
            raise NotAllowed("Only HR, admins and coaches see agreement lists.")
        query = query.where(
            Agreement.status != AgreementStatus.DRAFT,
            or_(User.coach_id == actor.id, Agreement.coach_id == actor.id),
        )
    if filters.status:
        query = query.where(Agreement.status == filters.status)
    if filters.kind:
        query = query.where(Agreement.kind == filters.kind)
    if filters.team_id:
        query = query.where(User.team_id == filters.team_id)
    if filters.rep_id:
        query = query.where(Agreement.rep_id == filters.rep_id)
    moment = func.coalesce(Agreement.sent_at, Agreement.created_at)
    if filters.date_from:
        query = query.where(moment >= datetime.combine(filters.date_from, datetime.min.time()))
    if filters.date_to:
        query = query.where(moment < datetime.combine(filters.date_to, datetime.max.time()))
    return query.order_by(moment.desc(), Agreement.id.desc())


def list_agreements(actor: User, filters: AgreementFilters = AgreementFilters()) -> list[Agreement]:
    query = agreements_query(actor, filters).options(
        selectinload(Agreement.rep).selectinload(User.team)
    )
    return list(db.session.scalars(query))


def agreements_of(actor: User, rep: User) -> list[Agreement]:
    """A rep's agreements as the actor may see them (a rep: their own, once sent)."""
    require_view_person(actor, rep)
    query = select(Agreement).where(Agreement.rep_id == rep.id)
    if not can_manage(actor):
        query = query.where(Agreement.status != AgreementStatus.DRAFT)
    return list(db.session.scalars(query.order_by(Agreement.created_at.desc())))


def waiting_for(actor: User) -> list[Agreement]:
    """Agreements waiting for the actor's signature: as the rep, HR or the coach."""
    conditions = [
        (Agreement.rep_id == actor.id) & (Agreement.status == AgreementStatus.SENT),
        (Agreement.coach_id == actor.id)
        & (Agreement.status == AgreementStatus.SIGNED_BY_REP)
        & Agreement.countersign_coach.is_(True),
    ]
    if actor.sees_everyone:
        conditions.append(
            (Agreement.status == AgreementStatus.SIGNED_BY_REP) & (Agreement.rep_id != actor.id)
        )
    query = select(Agreement).where(or_(*conditions)).order_by(Agreement.sent_at)
    found = db.session.scalars(query.options(selectinload(Agreement.signatures)))
    return [a for a in found if pending_role(actor, a) is not None]


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
