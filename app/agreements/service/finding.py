"""Finding agreements: by id or verification code, filtered lists, and what waits for whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.access import require_view_person
from app.accounts.models import User
from app.agreements.models import Agreement, AgreementKind, AgreementStatus
from app.agreements.service.access import can_manage, pending_role, require_list, require_view
from app.extensions import db
from app.lookup import get_or_not_found


def get_agreement(actor: User, agreement_id: int) -> Agreement:
    agreement = get_or_not_found(Agreement, agreement_id, "There is no such agreement.")
    require_view(actor, agreement)
    return agreement


def find_by_code(code: str) -> Agreement | None:
    normal = code.strip().upper()
    return db.session.scalar(select(Agreement).where(Agreement.verification_code == normal))


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
        require_list(actor)
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
