"""Invitations: a single-use link to set one's first password, expiring, stored hashed.

An admin adding a person (or a cohort import) calls :func:`add_person` / :func:`invite`; the
person gets an email with ``/invitation/<token>``; opening it shows a form for their own
password (the usual password policy), and sending it signs them in. The token is
``secrets.token_urlsafe(32)``; only its SHA-256 is stored, so the database alone opens nothing.
Resending makes a new token (the old link stops working) and a new expiry; revoking ends the
link. Until they accept, the person has no password and cannot sign in.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from app import once
from app.accounts import service as accounts
from app.accounts.access import require_role
from app.accounts.models import Role, User
from app.accounts.passwords import hash_password, password_problem
from app.accounts.service import PersonDetails
from app.errors import Conflict, Invalid
from app.extensions import db
from app.invitations.models import Invitation, InvitationStatus
from app.mail import absolute_url, queue_mail
from app.pagination import Page, PageRequest, paginate_query
from app.security import service as security
from app.security.models import EventKind
from app.timezones import format_moment


def now() -> datetime:
    """Naive UTC, as every timestamp in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime() -> timedelta:
    return timedelta(days=int(current_app.config["INVITATION_DAYS"]))


def add_person(actor: User, details: PersonDetails) -> User:
    """Create the person without a password and send them their invitation."""
    user = accounts.create_user(actor, details)
    invite(actor, user)
    return user


def invite(actor: User, user: User, *, at: datetime | None = None) -> Invitation:
    """Give ``user`` a fresh link (a new one replaces the old) and email it to them."""
    require_role(actor, Role.ADMIN)
    invitation = invitation_of(user)
    if invitation is None:
        return invite_new_people(actor, [user], at=at)[0]
    _check_invitable(user)
    token = _new_link(actor, invitation, EventKind.INVITATION_RESENT, at or now())
    _email(actor, user, invitation, token)
    return invitation


def invite_new_people(
    actor: User, users: Sequence[User], *, at: datetime | None = None
) -> list[Invitation]:
    """Invite people who were never invited (just added), written together (a cohort import)."""
    require_role(actor, Role.ADMIN)
    at = at or now()
    issued = []
    for user in users:
        _check_invitable(user)
        invitation = Invitation(user=user, created_at=at, sends=0)
        token = _new_link(actor, invitation, EventKind.INVITATION_SENT, at)
        issued.append((invitation, token))
    db.session.add_all(invitation for invitation, _token in issued)
    db.session.flush()
    for invitation, token in issued:  # each email is flushed as it is queued: rows complete first
        _email(actor, invitation.user, invitation, token)
    return [invitation for invitation, _token in issued]


def _check_invitable(user: User) -> None:
    if user.has_password:
        raise Conflict(f"{user.full_name} has a password already: nothing to invite them to.")


def _new_link(actor: User, invitation: Invitation, kind: EventKind, at: datetime) -> str:
    """A new token for ``invitation`` (the old one stops working); returns it for the email."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.invited_by = actor
    invitation.sent_at = at
    invitation.expires_at = at + lifetime()
    invitation.sends = (invitation.sends or 0) + 1
    invitation.revoked_at = None
    expires = f"expires {invitation.expires_at:%Y-%m-%d %H:%M} UTC"
    security.record(kind, actor=actor, subject=invitation.user, detail=expires)
    return token


def _email(actor: User, user: User, invitation: Invitation, token: str) -> None:
    org = accounts.organisation().name
    expires = format_moment(invitation.expires_at, user.timezone)
    queue_mail(
        to=user.email,
        to_name=user.full_name,
        template="invitation",
        subject=f"{actor.full_name} invites you to {org} on SalesRamp",
        reason=(
            f"You receive this email because {actor.full_name} added you to {org}'s SalesRamp. "
            "If you did not expect it, ignore it: nobody can use your account without this link."
        ),
        link=absolute_url("invitations.accept", token=token),
        inviter=actor.full_name,
        organisation=org,
        expires=expires,
    )


def resend(actor: User, user: User, key: str | None = None) -> Invitation:
    """A new link for someone who has not accepted; the old link stops working.

    The same form sent twice (``key``) sends once.
    """
    require_role(actor, Role.ADMIN)
    invitation = invitation_of(user)
    if invitation is None:
        raise Conflict(f"{user.full_name} was never invited.")
    if once.repeated(key, invitation, Invitation.sends):
        return invitation
    if invitation.accepted_at is not None:
        raise Conflict(f"{user.full_name} accepted the invitation already.")
    if not user.active:
        raise Conflict(f"{user.full_name} is deactivated: reactivate them first.")
    return invite(actor, user)


def revoke(actor: User, user: User) -> Invitation:
    """End the person's link. Idempotent: revoking twice changes it once."""
    require_role(actor, Role.ADMIN)
    invitation = invitation_of(user)
    if invitation is None:
        raise Conflict(f"{user.full_name} was never invited.")
    once.lock(invitation, Invitation.sends)
    if invitation.accepted_at is not None:
        raise Conflict(
            f"{user.full_name} accepted the invitation already; deactivate them instead."
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = now()
        db.session.flush()
        security.record(EventKind.INVITATION_REVOKED, actor=actor, subject=user)
    return invitation


def find_invited(email: str) -> User | None:
    """The person with this email if they have been invited (accepted or not)."""
    return db.session.scalar(
        select(User)
        .join(Invitation, Invitation.user_id == User.id)
        .where(func.lower(User.email) == email.strip().lower())
    )


def invitation_of(user: User) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.user_id == user.id))


class Refusal(enum.StrEnum):
    """Why a link does not work; the page says what to do about each."""

    UNKNOWN = "unknown"  # never issued, or replaced by a newer link
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    DEACTIVATED = "deactivated"


class LinkRefused(Exception):
    def __init__(self, reason: Refusal, invitation: Invitation | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.invitation = invitation


def open_link(token: str, *, at: datetime | None = None) -> Invitation:
    """The invitation a link names, if it can still be accepted; else :class:`LinkRefused`."""
    at = at or now()
    invitation = (
        db.session.scalar(
            select(Invitation)
            .where(Invitation.token_hash == _hash(token))
            .options(joinedload(Invitation.user), joinedload(Invitation.invited_by))
        )
        if 0 < len(token) <= 100
        else None
    )
    reason = _refusal(invitation, at)
    if reason is not None:
        security.record_refusal(
            EventKind.INVITATION_REFUSED,
            subject=invitation.user if invitation else None,
            detail=f"link {reason.value}",
        )
        raise LinkRefused(reason, invitation)
    assert invitation is not None
    return invitation


def _refusal(invitation: Invitation | None, at: datetime) -> Refusal | None:
    if invitation is None:
        return Refusal.UNKNOWN
    if not invitation.user.active:
        return Refusal.DEACTIVATED
    status = invitation.status_at(at)
    return {
        InvitationStatus.ACCEPTED: Refusal.USED,
        InvitationStatus.EXPIRED: Refusal.EXPIRED,
        InvitationStatus.REVOKED: Refusal.REVOKED,
        InvitationStatus.INVITED: None,
    }[status]


def accept(token: str, password: str, *, at: datetime | None = None) -> User:
    """Set the invited person's first password and use up the link; the caller signs them in.

    The invitation's row is locked first, so two submissions at once accept once: the second
    finds the link used.
    """
    invitation = open_link(token, at=at)
    once.lock(invitation, Invitation.sends)
    invitation = open_link(token, at=at)  # as the other request may have left it
    user = invitation.user
    problem = password_problem(password, (user.email, user.full_name))
    if problem is not None:
        raise Invalid(problem, field="password")
    user.password_hash = hash_password(password)
    invitation.accepted_at = at or now()
    user.last_login_at = invitation.accepted_at
    db.session.flush()
    security.record(EventKind.INVITATION_ACCEPTED, actor=user, subject=user)
    return user


# --- what admins see ---------------------------------------------------------------------------

INVITATION_SORTS = ("name", "sent", "expires", "status")


@dataclass(frozen=True)
class InvitationFilters:
    status: InvitationStatus | None = None


def _status_condition(status: InvitationStatus, at: datetime) -> object:
    pending = and_(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    return {
        InvitationStatus.ACCEPTED: Invitation.accepted_at.is_not(None),
        InvitationStatus.REVOKED: and_(
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_not(None)
        ),
        InvitationStatus.EXPIRED: and_(pending, Invitation.expires_at <= at),
        InvitationStatus.INVITED: and_(pending, Invitation.expires_at > at),
    }[status]


def invitations_page(
    actor: User, request: PageRequest, filters: InvitationFilters, *, at: datetime | None = None
) -> Page[Invitation]:
    """A page of invitations with their people, searched by name or email, by status."""
    require_role(actor, Role.ADMIN)
    at = at or now()
    columns = {
        "name": User.full_name,
        "sent": Invitation.sent_at,
        "expires": Invitation.expires_at,
        "status": Invitation.accepted_at,
    }
    column = columns.get(request.sort, Invitation.sent_at)
    ordered = column.desc() if request.descending else column.asc()
    query = (
        select(Invitation)
        .join(User, User.id == Invitation.user_id)
        .options(joinedload(Invitation.user), joinedload(Invitation.invited_by))
        .order_by(ordered, Invitation.id)
    )
    if filters.status is not None:
        query = query.where(_status_condition(filters.status, at))  # type: ignore[arg-type]
    if request.search:
        query = query.where(
            or_(
                User.full_name.icontains(request.search, autoescape=True),
                User.email.icontains(request.search, autoescape=True),
            )
        )
    return paginate_query(query, request)


def invitations_of(user_ids: Collection[int]) -> dict[int, Invitation]:
    """Each person's invitation (those who have one), in one query: for the People list."""
    if not user_ids:
        return {}
    rows = db.session.scalars(select(Invitation).where(Invitation.user_id.in_(list(user_ids))))
    return {row.user_id: row for row in rows}
