"""Sending one template to many reps: a team or a start cohort, each from their own record."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import lazyload, load_only, selectinload

from app import once
from app.accounts.models import Role, User, UserRole
from app.accounts.service import organisation
from app.agreements import audit
from app.agreements.audit import Evidence
from app.agreements.document import (
    TargetOverride,
    build_document,
    target_overrides,
    with_plan_targets,
)
from app.agreements.models import BulkSend
from app.agreements.service.access import can_manage, require_manage
from app.agreements.service.bulk_job import start_bulk_send
from app.agreements.service.drafting import (
    OVERRIDE_REASON,
    checked_sign_by,
    checked_values,
    current_template,
    spec_of,
)
from app.agreements.service.finding import HeldAgreement, held_from_template, person_matches
from app.agreements.service.record import rep_record
from app.curriculum.models import PlanTemplate
from app.errors import Invalid
from app.extensions import db
from app.pagination import PER_PAGE, Page, PageRequest, paginate_query
from app.plans.service import active_plans_with_milestones_of


def _active_reps() -> Select[Any]:
    return (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role == Role.REP)
    )


def reps_in_group(actor: User, team_id: int | None = None, cohort: str | None = None) -> list[User]:
    """Active reps of a team, or of a start cohort (the month they started, ``YYYY-MM``)."""
    require_manage(actor)
    # Each rep's document names their team and coach: loaded for all of them at once.
    query = (
        _active_reps()
        .order_by(User.full_name, User.id)
        .options(selectinload(User.team), selectinload(User.coach))
    )
    if team_id:
        query = query.where(User.team_id == team_id)
    if cohort:
        first = _month_start(cohort)
        if first is None:
            return []
        after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        query = query.where(User.start_date >= first, User.start_date < after)
    return list(db.session.scalars(query))


def _month_start(cohort: str) -> date | None:
    try:
        return datetime.strptime(cohort, "%Y-%m").date()
    except ValueError:
        return None


def find_reps(actor: User, text: str = "", per_page: int = PER_PAGE) -> Page[User]:
    """The first active reps whose name or email contains ``text``, and how many match.

    For the rep pickers: a page of matches instead of a select of every rep in the company.
    """
    require_manage(actor)
    query = _active_reps().order_by(User.full_name, User.id)
    query = query.where(*person_matches(text))
    # A picker shows names and emails: not each rep's roles, password hash or dates.
    picked = (load_only(User.full_name, User.email), lazyload(User.role_rows))
    return paginate_query(query.options(*picked), PageRequest(per_page=per_page, search=text))


def rep_choices(actor: User, text: str = "") -> list[User]:
    """The reps a picker offers: HR's first matches for ``text``; a coach picks none."""
    return find_reps(actor, text).items if can_manage(actor) else []


def cohorts(actor: User) -> list[str]:
    """The start months that reps have, newest first."""
    require_manage(actor)
    days = db.session.scalars(_active_reps().with_only_columns(User.start_date).distinct())
    return sorted({f"{day:%Y-%m}" for day in days if day}, reverse=True)


@dataclass(frozen=True)
class BulkPreview:
    rep: User
    document: dict[str, Any]
    problem: str = ""
    # The same agreement the rep holds already (sent, signed or completed), if any, and
    # whether HR chose to send them another one anyway (left out unless chosen).
    held: HeldAgreement | None = None
    resend: bool = False
    # Targets in this rep's agreement that differ from their plan, with both numbers.
    overrides: tuple[TargetOverride, ...] = ()

    @property
    def sendable(self) -> bool:
        return not self.problem and (self.held is None or self.resend)


def preview_many(
    actor: User,
    template_key: str,
    reps: Sequence[User],
    raw_values: Mapping[str, str | None],
    resend: Collection[int] = (),
) -> list[BulkPreview]:
    """Each rep's own document, from their record and plan, before anything is saved.

    Reps who already hold this agreement are flagged and left out unless their id is in
    ``resend``.
    """
    require_manage(actor)
    if not reps:
        raise Invalid("Nobody is in this group. Choose a team or a start cohort with reps.")
    template = current_template(template_key)
    spec = spec_of(template)
    values = checked_values(spec, raw_values)
    today = audit.now().date()
    # Held for the whole batch, so that every rep's record finds them in the session instead
    # of asking the database again (the session forgets objects nobody holds on to).
    shared = [organisation(), *db.session.scalars(select(PlanTemplate))]
    plans = active_plans_with_milestones_of([rep.id for rep in reps])
    held = held_from_template(template_key, [rep.id for rep in reps])
    previews = []
    for rep in reps:
        problem = ""
        if "coach" in spec.countersign and rep.coach_id is None:
            problem = "has no coach to countersign; this one will not be sent"
        record = rep_record(rep, today, plans)
        own_values = with_plan_targets(spec, values, record)
        document = build_document(spec, template.version, own_values, record, today)
        overrides = tuple(target_overrides(spec, own_values, record))
        previews.append(
            BulkPreview(rep, document, problem, held.get(rep.id), rep.id in resend, overrides)
        )
    del shared
    return previews


def bulk_fingerprint(
    template_key: str,
    reps: Sequence[User],
    raw_values: Mapping[str, str | None],
    resend: Collection[int] = (),
    override_reason: str = "",
    sign_by: date | None = None,
) -> str:
    """Identifies one previewed batch, so that exactly what was previewed is sent: the reps,
    which of those holding the agreement already get it again, the values, the reason and
    the day to sign by."""
    payload = {
        "template": current_template(template_key).content_hash,
        "reps": sorted(rep.id for rep in reps),
        "resend": sorted(resend),
        "values": dict(sorted(raw_values.items())),
        "override_reason": override_reason.strip(),
        "sign_by": sign_by.isoformat() if sign_by else None,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BulkRound:
    """One round of the bulk page: a preview and its fingerprint, or the batch queued to send."""

    fingerprint: str
    previews: list[BulkPreview] | None = None
    queued: BulkSend | None = None
    repeated: bool = False  # this "send" was a repeat of one already queued


def preview_or_send(
    actor: User,
    template_key: str,
    team_id: int | None,
    cohort: str | None,
    raw_values: Mapping[str, str | None],
    evidence: Evidence,
    confirmed: str | None = None,
    key: str | None = None,
    resend: Collection[int] = (),
    override_reason: str = "",
    sign_by: date | None = None,
) -> BulkRound:
    """Preview the batch for a team or cohort; queue it to send if ``confirmed`` is its fingerprint.

    The fingerprint covers the template version, the reps, the values, the reps chosen to get
    the agreement again (``resend``, of those who hold it already) and the reason for targets
    set apart from the plans, so a change to any of them since the preview shows a fresh
    preview instead of sending something nobody looked at. The batch is queued once per form
    (``key``): pressing "send" twice, or twenty requests at once, record one bulk send, and its
    job sends each rep one agreement (``bulk_job``). Every agreement of the batch is to be
    signed by ``sign_by`` (None: the default number of days from today).
    """
    deadline = checked_sign_by(actor, sign_by)
    reps = reps_in_group(actor, team_id, cohort)
    held = held_from_template(template_key, [rep.id for rep in reps])
    chosen = sorted(set(resend) & held.keys())
    fingerprint = bulk_fingerprint(
        template_key, reps, raw_values, chosen, override_reason, deadline
    )
    if confirmed != fingerprint:
        previews = preview_many(actor, template_key, reps, raw_values, chosen)
        return BulkRound(fingerprint, previews=previews)
    earlier = once.earlier_result(key, BulkSend)
    if earlier is not None:
        return BulkRound(fingerprint, queued=earlier, repeated=True)
    previews = preview_many(actor, template_key, reps, raw_values, chosen)
    sendable = [preview for preview in previews if preview.sendable]
    if not sendable:
        raise Invalid("None of these reps can be sent this agreement; see the preview.")
    overridden = next((p for p in sendable if p.overrides), None)
    if overridden is not None and not override_reason.strip():
        raise Invalid(
            f"{overridden.rep.full_name}: {overridden.overrides[0].text}. "
            "Say why the agreements differ from the reps' plans.",
            field=OVERRIDE_REASON,
        )
    bulk = start_bulk_send(
        actor,
        template_key,
        [preview.rep for preview in sendable],
        raw_values,
        fingerprint,
        evidence,
        resend=chosen,
        override_reason=override_reason.strip(),
        sign_by=deadline,
    )
    once.remember_result(key, bulk.id)
    return BulkRound(fingerprint, queued=bulk)
