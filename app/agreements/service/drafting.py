"""Drafting agreements from templates and the rep's record, sending, voiding.

``claim`` is the one way an agreement's row changes (here and in ``signing``): a conditional
update that refuses a second submission of the same action.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from app.accounts.models import Role, User
from app.agreements import audit
from app.agreements.audit import Evidence
from app.agreements.document import (
    RepRecord,
    TargetOverride,
    build_document,
    content_hash,
    default_values,
    override_detail,
    parse_values,
    target_overrides,
    with_plan_targets,
)
from app.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementTemplate,
)
from app.agreements.service.access import FROZEN_MESSAGE, require_edit, require_manage
from app.agreements.service.finding import find_by_code, get_agreement
from app.agreements.service.record import rep_record
from app.curriculum.schema import AgreementTemplate as TemplateSpec
from app.curriculum.service import current_version, current_versions
from app.errors import ChangedMeanwhile, Conflict, Invalid
from app.extensions import db
from app.notifications.service import notify
from app.timezones import today_in

OPEN_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.SENT, AgreementStatus.SIGNED_BY_REP)
# The field that says why targets differ from the rep's plan (not a template variable).
OVERRIDE_REASON = "override_reason"


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


# --- drafting and sending ---------------------------------------------------------------------


def initial_values(template_key: str, rep: User | None = None) -> dict[str, str | None]:
    """The template's defaults, and the rep's own plan's targets where the template takes them."""
    spec = spec_of(current_template(template_key))
    if rep is None:
        return default_values(spec)
    return with_plan_targets(spec, default_values(spec), rep_record(rep))


def targets_apart_from_plan(
    spec: TemplateSpec, values: dict[str, str | None], record: RepRecord, reason: str
) -> str:
    """The audit trail's note of targets that differ from the rep's plan, and why.

    Empty when every target is the plan's; a difference without a reason is refused, so every
    agreement that contradicts a plan says on its record who decided it and why.
    """
    overrides = target_overrides(spec, values, record)
    if overrides and not reason.strip():
        raise Invalid(
            f"{overrides[0].text}. Say why the agreement differs from the plan.",
            field=OVERRIDE_REASON,
        )
    return override_detail(overrides, reason.strip())


def plan_differences(agreement: Agreement) -> list[TargetOverride]:
    """A draft's targets that differ from the rep's plan today, with both numbers."""
    if agreement.is_frozen:
        return []
    spec = spec_of(agreement.template)
    return target_overrides(spec, agreement.values or {}, rep_record(agreement.rep))


def checked_values(spec: TemplateSpec, raw: Mapping[str, str | None]) -> dict[str, str | None]:
    """HR's values in stored form; the first problem is raised, naming its field."""
    values, errors = parse_values(spec, raw)
    if errors:
        name, message = next(iter(errors.items()))
        label = next(v.label for v in spec.variables if v.name == name)
        more = f" ({len(errors) - 1} more to fix)" if len(errors) > 1 else ""
        raise Invalid(f"{label}: {message}{more}", field=name)
    return values


def check_recipient(rep: User) -> None:
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
    bulk_send_id: int | None = None,
    override_reason: str = "",
) -> Agreement:
    """A draft agreement for ``rep`` from the current version of a template.

    Targets left empty come from the rep's plan; ``override_reason`` says why any target
    given differs from it (required then, and kept on the audit trail).
    """
    require_manage(actor)
    return _new_draft(actor, rep, template_key, raw_values, evidence, bulk_send_id, override_reason)


def draft_for_hr(
    rep: User, template_key: str, raw_values: Mapping[str, str | None], why: str
) -> Agreement:
    """A draft SalesRamp prepares on its own (a written notice) for HR to review and send.

    Nobody acts, so nobody's rights are checked; the trail's "drafted" event says ``why``.
    Nothing is sent: sending stays HR's.
    """
    evidence = Evidence.system("notice sweep")
    return _new_draft(None, rep, template_key, raw_values, evidence, None, "", why)


def _new_draft(
    actor: User | None,
    rep: User,
    template_key: str,
    raw_values: Mapping[str, str | None],
    evidence: Evidence,
    bulk_send_id: int | None,
    override_reason: str,
    why: str = "",
) -> Agreement:
    check_recipient(rep)
    template = current_template(template_key)
    spec = spec_of(template)
    moment = audit.now()
    record = rep_record(rep, moment.date())
    values = with_plan_targets(spec, checked_values(spec, raw_values), record)
    apart = targets_apart_from_plan(spec, values, record, override_reason)
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
        bulk_send_id=bulk_send_id,
    )
    db.session.add(agreement)
    db.session.flush()
    # The draft's document as ``document_of`` builds it, from the record already in hand.
    document = build_document(spec, template.version, values, record, moment.date())
    detail = "; ".join(part for part in (why, apart) if part)
    audit.record(agreement, actor, "drafted", evidence, content_hash(document), detail)
    return agreement


def draft_to_edit(actor: User, agreement_id: int) -> Agreement:
    """A draft the actor may change; a sent agreement's content is frozen (a conflict)."""
    agreement = get_agreement(actor, agreement_id)
    require_edit(actor, agreement)
    return agreement


def update_draft(
    actor: User,
    agreement: Agreement,
    raw_values: Mapping[str, str | None],
    evidence: Evidence,
    revision: int | None = None,
    override_reason: str = "",
) -> Agreement:
    """Change HR's values; only a draft can change, a sent agreement's content is frozen.

    ``revision`` is the one the form was loaded at: a save from a page older than someone
    else's save is refused (optimistic locking), so neither edit is silently lost.
    """
    require_edit(actor, agreement)
    if revision is not None and revision != agreement.revision:
        raise ChangedMeanwhile(
            "Someone else changed this draft after you opened it. "
            "Here is the current version: check it and save again."
        )
    spec, record = spec_of(agreement.template), rep_record(agreement.rep)
    values = with_plan_targets(spec, checked_values(spec, raw_values), record)
    apart = targets_apart_from_plan(spec, values, record, override_reason)
    claim(agreement, AgreementStatus.DRAFT, values=values, updated_at=audit.now())
    document = content_hash(document_of(agreement))
    audit.record(agreement, actor, "edited", evidence, document, apart)
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


def default_sign_by(actor: User) -> date:
    """The "sign by" day an agreement gets when HR gives none: ``AGREEMENT_SIGN_DAYS`` ahead."""
    return today_in(actor.timezone) + timedelta(days=int(current_app.config["AGREEMENT_SIGN_DAYS"]))


def checked_sign_by(actor: User, sign_by: date | None) -> date:
    """HR's "sign by" day, or the default; a day already past is refused (the form's field)."""
    if sign_by is None:
        return default_sign_by(actor)
    if sign_by < today_in(actor.timezone):
        raise Invalid("The sign-by date is in the past: choose today or a later day.", "sign_by")
    return sign_by


def send(
    actor: User, agreement: Agreement, evidence: Evidence, sign_by: date | None = None
) -> Agreement:
    """Freeze the content and ask the rep to sign by ``sign_by`` (None: the default)."""
    require_manage(actor)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict("This agreement has been sent already.")
    rep = agreement.rep
    check_recipient(rep)
    if agreement.countersign_coach and rep.coach_id is None:
        raise Invalid("This agreement is countersigned by the coach, but the rep has no coach.")
    deadline = checked_sign_by(actor, sign_by)
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
        sign_by=deadline,
        updated_at=moment,
    )
    detail = f"Sign by {deadline.isoformat()}"
    audit.record(agreement, actor, "sent", evidence, content_hash(document), detail, moment)
    notify(
        rep,
        "agreement-to-sign",
        f"{agreement.title} is waiting for your signature, by {_day(deadline)}.",
        sign_link(agreement.id),
        waits_on_recipient=True,
    )
    return agreement


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def sign_link(agreement_id: int) -> str:
    """Where a notification about an agreement to sign points (tests check the route)."""
    return f"/agreements/{agreement_id}/sign"


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
    close(agreement, OPEN_STATUSES, AgreementStatus.VOIDED, reason, actor, evidence)
    return agreement


def close(
    agreement: Agreement,
    expected: tuple[AgreementStatus, ...],
    status: AgreementStatus,
    reason: str,
    actor: User,
    evidence: Evidence,
) -> None:
    """End an open agreement for a reason (voided, declined): once, and on the audit trail."""
    moment = audit.now()
    claim(
        agreement,
        *expected,
        status=status,
        closed_at=moment,
        close_reason=reason,
        updated_at=moment,
    )
    action = status.value  # the trail names what it became: "voided", "declined"
    audit.record(agreement, actor, action, evidence, document_hash(agreement), reason, moment)


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
