"""Sign-ins: one random token per sign-in, stored hashed, with idle and absolute lifetimes.

Flask-Login keeps the token (``User.get_id``) in the session cookie and, with "Keep me
signed in", in its remember cookie; ``resume`` is its user loader's work on every request.
Two ways to end sessions, chosen for what each must reach:

- Signing out ends *that* sign-in's row, so a copy of its cookies (session or remember)
  stops working while the person's other devices stay signed in.
- Password change, deactivation, role change and an admin's "sign out everywhere" raise the
  person's ``session_version``. Each token carries the version it was made under, so every
  older sign-in fails the check on its next request without finding and updating each row
  (the rows are closed too, for the record).

These are plain functions over the database session; the web glue is
``app/accounts/login_session.py``.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import joinedload

from app.accounts.access import require_role
from app.accounts.models import Role, SignIn, User
from app.config import MAX_REMEMBER_DAYS
from app.extensions import db

# last_seen_at is written at most this often, not on every request: the idle timeout is
# this much less precise, and a busy page view costs no write.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Lifetimes:
    """How long a sign-in lasts without a request (idle) and at most in all (absolute)."""

    idle: timedelta
    absolute: timedelta


class Ended(enum.StrEnum):
    """Why a token no longer signs anyone in; the sign-in page says so."""

    IDLE = "idle"  # no request for longer than the idle lifetime
    EXPIRED = "expired"  # signed in longer ago than the absolute lifetime
    REVOKED = "revoked"  # signed out, or the session version moved on, or deactivated
    UNKNOWN = "unknown"  # not a token we issued (an old cookie, a forgery)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(user: User, *, remember: bool, now: datetime | None = None) -> str:
    """Open a new sign-in for ``user`` and attach it; returns the token for the cookies.

    The token is ``<session version>:<random secret>``; only the secret's SHA-256 is stored.
    """
    now = now or _now()
    _forget_ended(user)
    secret = secrets.token_urlsafe(32)
    sign_in = SignIn(
        user_id=user.id,
        token_hash=_hash(secret),
        remember=remember,
        created_at=now,
        last_seen_at=now,
    )
    db.session.add(sign_in)
    db.session.flush()
    token = f"{user.session_version}:{secret}"
    user.attach_sign_in(sign_in, token)
    return token


# Built once (statements are immutable); asked at the start of every signed-in request.
_SIGN_IN_WITH_USER = (
    select(SignIn, User)
    .join(User, User.id == SignIn.user_id)
    .where(SignIn.token_hash == bindparam("token_hash"))
    .options(joinedload(User.role_rows))
)


def resume(
    token: str,
    session_lifetimes: Lifetimes,
    remember_lifetimes: Lifetimes,
    now: datetime | None = None,
) -> User | Ended:
    """The signed-in user a token stands for (with the sign-in attached), or why it does not.

    One query finds the sign-in, its user and their roles together: this runs on every
    signed-in request.
    """
    now = now or _now()
    version, _, secret = token.partition(":")
    if not secret or not version.isdigit():
        return Ended.UNKNOWN
    row = db.session.execute(_SIGN_IN_WITH_USER, {"token_hash": _hash(secret)}).unique().first()
    if row is None:
        return Ended.UNKNOWN
    sign_in, user = row
    if (
        sign_in.ended_at is not None
        or not hmac.compare_digest(version, str(user.session_version))
        or not user.active
    ):
        return Ended.REVOKED
    lifetimes = remember_lifetimes if sign_in.remember else session_lifetimes
    if now - sign_in.created_at > lifetimes.absolute:
        sign_in.ended_at = now
        return Ended.EXPIRED
    if now - sign_in.last_seen_at > lifetimes.idle:
        sign_in.ended_at = now
        return Ended.IDLE
    if now - sign_in.last_seen_at >= TOUCH_EVERY:
        sign_in.last_seen_at = now
    user.attach_sign_in(sign_in, token)
    return user


def end(user: User, now: datetime | None = None) -> None:
    """Sign out of this one sign-in: copies of its cookies stop working, other devices not."""
    sign_in = user.current_sign_in
    if sign_in is not None and sign_in.ended_at is None:
        sign_in.ended_at = now or _now()
        db.session.flush()


def end_all(user: User, now: datetime | None = None) -> None:
    """End every sign-in of ``user``: the next request of any of them goes to the sign-in page.

    Called when the password changes, the person is deactivated or their roles change.
    """
    user.session_version = (user.session_version or 0) + 1
    db.session.execute(
        update(SignIn)
        .where(SignIn.user_id == user.id, SignIn.ended_at.is_(None))
        .values(ended_at=now or _now())
    )
    db.session.flush()


def sign_out_everywhere(actor: User, user: User) -> None:
    """An admin ends all of a person's sessions (a lost laptop, a shared password)."""
    require_role(actor, Role.ADMIN)
    end_all(user)


def _forget_ended(user: User) -> None:
    """Delete the person's ended sign-ins as a new one opens, so the table does not grow.

    Sign-ins that timed out unnoticed are gone once older than any lifetime may be.
    """
    too_old = _now() - timedelta(days=MAX_REMEMBER_DAYS + 1)
    db.session.execute(
        delete(SignIn).where(
            SignIn.user_id == user.id,
            or_(SignIn.ended_at.is_not(None), SignIn.created_at < too_old),
        )
    )


def prune(before: datetime, longest_idle: timedelta) -> int:
    """Delete sign-ins that ended before ``before``, or went idle long enough to have expired.

    ``longest_idle`` is the longest idle lifetime of any sign-in ("Keep me signed in"'s): a
    row unseen for that long before ``before`` cannot sign anyone in, even if nobody came back
    to mark it ended. An ended row is kept until then so its cookie is told "signed out".
    """
    result = db.session.execute(
        delete(SignIn).where(
            or_(SignIn.ended_at < before, SignIn.last_seen_at < before - longest_idle)
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
