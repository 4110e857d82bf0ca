"""Forgotten passwords: a single-use link by email that expires, and what using it ends.

The request gets the same answer whether or not the address has an account (the page never
says which); only an active account gets an email. The link carries a random token of which
only the SHA-256 is stored, works once, for ``RESET_MINUTES`` minutes, and only the newest
link of a person works. Choosing a new password through it ends every sign-in of that person
(a thief's session must not outlive the password it was opened with). Throttling is the web
layer's (Flask-Limiter, per client address and per email typed: ``app/accounts/views.py``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from app.accounts import signins
from app.accounts.models import PasswordReset, User
from app.accounts.passwords import hash_password
from app.accounts.service import check_password_strength, find_by_email, organisation
from app.errors import Conflict, Invalid
from app.extensions import db
from app.mail import absolute_url, queue_mail
from app.security import service as security
from app.security.models import EventKind

RESET_MINUTES = 30
EXPIRED = "This link has expired or was replaced by a newer one. Ask for a new link below."
SINGLE_SIGN_ON_ONLY = (
    "Your organisation signs in with single sign-on only: passwords cannot be reset here. "
    "Sign in with the single sign-on button on the sign-in page."
)
USED = "This link was already used to choose a new password. Ask for a new link if you need one."


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(email: str, now: datetime | None = None) -> None:
    """Email a reset link to the active account with this address; otherwise do nothing.

    Either way the caller says the same thing. The request is in the security log, with the
    address typed when it has no account.
    """
    now = now or _now()
    typed = email.strip().lower()
    user = find_by_email(typed)
    sso_only = user is not None and organisation().password_sign_in_closed(user)
    if user is None or not user.active or not user.has_password or sso_only:
        # Someone invited and not yet joined sets a password from their invitation, which an
        # admin can send again; a reset would leave the invitation open beside a password.
        why = (
            "no such account"
            if user is None
            else "account deactivated"
            if not user.active
            else "single sign-on required"
            if sso_only
            else "invitation not accepted yet"
        )
        security.record(
            EventKind.PASSWORD_RESET_REQUESTED,
            subject=user,
            subject_label=typed[:254],
            detail=f"{why}: no email sent",
        )
        return
    token = secrets.token_urlsafe(32)
    # Only the newest link works: an older one (in a mailbox someone else may read) stops.
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + timedelta(minutes=RESET_MINUTES),
        )
    )
    queue_mail(
        to=user.email,
        to_name=user.full_name,
        template="password_reset",
        subject="Reset your SalesRamp password",
        reason=(
            f"You get this email because someone asked on the SalesRamp sign-in page to reset "
            f"the password of {user.email}. You get it only when that is asked; if you did "
            "not ask, nothing changes and you can ignore it."
        ),
        link=absolute_url("accounts.reset_password", token=token),
        minutes=RESET_MINUTES,
    )
    security.record(EventKind.PASSWORD_RESET_REQUESTED, subject=user, detail="reset link emailed")
    db.session.flush()


def person_for(token: str, now: datetime | None = None) -> User:
    """Whose password this link resets; :class:`Invalid` if it is unknown, expired or used."""
    reset = _find(token)
    now = now or _now()
    if reset is None or reset.expires_at <= now or not reset.user.active:
        raise Invalid(EXPIRED)
    if reset.used_at is not None:
        raise Conflict(USED)
    if organisation().password_sign_in_closed(reset.user):  # required after the link was sent
        raise Invalid(SINGLE_SIGN_ON_ONLY)
    return reset.user


def reset_password(token: str, new_password: str, now: datetime | None = None) -> User:
    """Set the new password through the link, once; every sign-in of the person ends."""
    now = now or _now()
    user = person_for(token, now)
    check_password_strength(new_password, "new_password", user.email, user.full_name)
    # Claimed with a conditional update: two submissions at once change the password once.
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.token_hash == _hash(token), PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        raise Conflict(USED)
    user.password_hash = hash_password(new_password)
    signins.end_all(user, now)
    security.record(
        EventKind.PASSWORD_RESET, actor=user, subject=user, detail="through an emailed link"
    )
    db.session.flush()
    return user


def prune(before: datetime) -> int:
    """Delete links that expired before ``before``; how many."""
    result = db.session.execute(delete(PasswordReset).where(PasswordReset.expires_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]


def _find(token: str) -> PasswordReset | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _hash(token)))
