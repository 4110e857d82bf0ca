"""Finding agreements: by id or verification code, filtered lists, and what waits for whom."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import defer, lazyload, load_only, selectinload

from app.accounts.access import require_view_person
from app.accounts.models import Team, User
from app.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplate,
    SignerRole,
)
from app.agreements.service.access import can_manage, require_list, require_view
from app.extensions import db
from app.lookup import get_or_not_found
from app.pagination import Page, PageRequest, paginate_query


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
    search: str = ""  # part of the rep's name or email


def _moment() -> ColumnElement[Any]:
    """When an agreement was sent, or drafted if it is not sent yet."""
    return func.coalesce(Agreement.sent_at, Agreement.created_at)


def _status_order() -> ColumnElement[Any]:
    """Statuses in the order an agreement goes through them, not alphabetically."""
    return case(
        {status: rank for rank, status in enumerate(AgreementStatus)}, value=Agreement.status
    )


# The columns the list sorts by (``sort=rep``, ``sort=-sent``...), as SQL expressions.
SORTS: dict[str, Callable[[], ColumnElement[Any]]] = {
    "rep": lambda: func.lower(User.full_name),
    "agreement": lambda: func.lower(Agreement.title),
    "status": _status_order,
    "team": lambda: func.lower(Team.name),
    "sent": _moment,
    "completed": lambda: Agreement.completed_at.expression,
}
DEFAULT_SORT = "-sent"


def agreements_query(actor: User, filters: AgreementFilters = AgreementFilters()) -> Select[Any]:
    """The agreements the actor may see that match the filters, newest first."""
    query = (
        select(Agreement)
        .join(User, Agreement.rep_id == User.id)
        .outerjoin(Team, User.team_id == Team.id)
    )
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
    if filters.search:
        query = query.where(*person_matches(filters.search))
    moment = _moment()
    if filters.date_from:
        query = query.where(moment >= datetime.combine(filters.date_from, datetime.min.time()))
    if filters.date_to:
        query = query.where(moment < datetime.combine(filters.date_to, datetime.max.time()))
    return query.order_by(moment.desc(), Agreement.id.desc())


def person_matches(text: str) -> list[ColumnElement[bool]]:
    """Conditions for "the person's name or email contains each word of ``text``".

    "ava chen" finds Ava Chen; ``%`` and ``_`` typed by someone match themselves.
    """
    conditions = []
    for word in text.split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        conditions.append(
            or_(
                User.full_name.ilike(pattern, escape="\\"),
                User.email.ilike(pattern, escape="\\"),
            )
        )
    return conditions


def list_agreements(actor: User, filters: AgreementFilters = AgreementFilters()) -> list[Agreement]:
    query = agreements_query(actor, filters).options(
        selectinload(Agreement.rep).selectinload(User.team)
    )
    return list(db.session.scalars(query))


# What a list row shows: not the frozen document (kilobytes of JSON an agreement, which the
# database would otherwise carry through the sort), nor the reps' roles or passwords.
WITHOUT_DOCUMENT = (defer(Agreement.document), defer(Agreement.values))
# Who still has to sign (``Agreement.awaited_signers``): the page's signatures and coaches in
# one query each, however many rows the page has.
AWAITED = (
    selectinload(Agreement.signatures).options(
        load_only(AgreementSignature.role, AgreementSignature.signed_at)
    ),
    selectinload(Agreement.coach).options(load_only(User.full_name), lazyload(User.role_rows)),
)
# An agreement a rep "holds": sent to them and neither declined nor voided.
HELD_STATUSES = (AgreementStatus.SENT, AgreementStatus.SIGNED_BY_REP, AgreementStatus.COMPLETED)


@dataclass(frozen=True)
class HeldAgreement:
    """The agreement a rep already holds from a template, as a bulk send's preview says it."""

    status: AgreementStatus
    since: datetime | None  # when it was sent, or completed once it is

    @property
    def summary(self) -> str:
        when = f"{self.since.day} {self.since:%b %Y}" if self.since else ""
        return f"{self.status.short_label} {when}".strip()


def held_from_template(template_key: str, rep_ids: Collection[int]) -> dict[int, HeldAgreement]:
    """Which of these reps already hold an agreement from this template (any version), with
    its status: one query for a whole batch, so a bulk send can leave them out."""
    if not rep_ids:
        return {}
    rows = db.session.execute(
        select(Agreement.rep_id, Agreement.status, Agreement.sent_at, Agreement.completed_at)
        .join(AgreementTemplate, Agreement.template_id == AgreementTemplate.id)
        .where(
            AgreementTemplate.template_key == template_key,
            Agreement.rep_id.in_(list(rep_ids)),
            Agreement.status.in_(HELD_STATUSES),
        )
        .order_by(Agreement.sent_at, Agreement.id)
    )
    # The latest one a rep holds is the one named (rows come oldest first).
    return {
        rep_id: HeldAgreement(status, completed_at or sent_at)
        for rep_id, status, sent_at, completed_at in rows
    }


def agreements_of(actor: User, rep: User) -> list[Agreement]:
    """A rep's agreements as the actor may see them (a rep: their own, once sent)."""
    require_view_person(actor, rep)
    query = select(Agreement).where(Agreement.rep_id == rep.id)
    if not can_manage(actor):
        query = query.where(Agreement.status != AgreementStatus.DRAFT)
    query = query.order_by(Agreement.created_at.desc()).options(*WITHOUT_DOCUMENT, *AWAITED)
    return list(db.session.scalars(query))


def _unsigned_by(role: SignerRole) -> ColumnElement[bool]:
    # Each EXISTS is its own subquery, so the table needs no alias (and building an alias
    # costs more than the query itself takes to run).
    return ~exists().where(
        AgreementSignature.agreement_id == Agreement.id, AgreementSignature.role == role
    )


def waiting_query(actor: User) -> Select[Any]:
    """Agreements waiting for the actor's signature: as the rep, HR or the coach.

    The same rule as ``access.pending_role``, in SQL, so that the menu's count and the list
    need one query each however many agreements there are.
    """
    return select(Agreement).where(_waiting_condition(actor.id, actor.sees_everyone))


def _waiting_condition(actor_id: Any, sees_everyone: bool) -> ColumnElement[bool]:
    """``actor_id`` is the actor's id, or a bound parameter that stands for it."""
    countersigning: list[ColumnElement[bool]] = [
        Agreement.countersign_coach.is_(True)
        & (Agreement.coach_id == actor_id)
        & _unsigned_by(SignerRole.COACH)
    ]
    if sees_everyone:
        countersigning.append(_unsigned_by(SignerRole.HR))
    return or_(
        and_(Agreement.rep_id == actor_id, Agreement.status == AgreementStatus.SENT),
        and_(
            Agreement.status == AgreementStatus.SIGNED_BY_REP,
            Agreement.rep_id != actor_id,
            or_(*countersigning),
        ),
    )


@cache
def waiting_count_statement(sees_everyone: bool) -> Select[Any]:
    """Built once per process (statements are immutable): every page's menu asks for it, and
    building it costs more than running it. The actor's id is bound as ``actor_id``."""
    condition = _waiting_condition(bindparam("actor_id", type_=Integer), sees_everyone)
    return select(func.count()).select_from(Agreement).where(condition)


def waiting_for(actor: User) -> list[Agreement]:
    """Agreements waiting for the actor's signature, oldest first, with their reps."""
    query = waiting_query(actor).order_by(Agreement.sent_at, Agreement.id)
    return list(db.session.scalars(query.options(selectinload(Agreement.rep))))


def waiting_for_coaches(coach_ids: Sequence[int]) -> list[Agreement]:
    """Agreements waiting for any of these coaches' countersignature, with their reps.

    For digests and calendars of many people at once: one query (and one for the reps).
    """
    if not coach_ids:
        return []
    query = select(Agreement).where(
        Agreement.status == AgreementStatus.SIGNED_BY_REP,
        Agreement.countersign_coach.is_(True),
        Agreement.coach_id.in_(coach_ids),
        _unsigned_by(SignerRole.COACH),
    )
    return _with_reps(query)


def waiting_for_hr() -> list[Agreement]:
    """Agreements the rep signed that wait for HR's countersignature (any HR person's)."""
    query = select(Agreement).where(
        Agreement.status == AgreementStatus.SIGNED_BY_REP, _unsigned_by(SignerRole.HR)
    )
    return _with_reps(query)


def _with_reps(query: Select[Any]) -> list[Agreement]:
    rep = selectinload(Agreement.rep).options(load_only(User.full_name), lazyload(User.role_rows))
    query = query.order_by(Agreement.sign_by, Agreement.sent_at, Agreement.id)
    return list(db.session.scalars(query.options(*WITHOUT_DOCUMENT, rep)))


def waiting_page(actor: User, request: PageRequest) -> Page[Agreement]:
    """A page of what waits for the actor's signature (HR may have many), oldest first."""
    query = waiting_query(actor).order_by(Agreement.sent_at, Agreement.id)
    rep = selectinload(Agreement.rep).options(load_only(User.full_name), lazyload(User.role_rows))
    return paginate_query(query.options(*WITHOUT_DOCUMENT, rep), request)
