"""Making, revoking and checking personal API tokens.

A token is ``srp_`` and 43 random URL-safe characters (``secrets.token_urlsafe(32)``); the
database keeps its SHA-256 and its first 12 characters. It is shown once, when made. Checking
a presented token is one query (token and owner together); its ``last_used_at`` is written at
most once a minute, so a busy integration does not write on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager, selectinload

from app import once
from app.accounts.access import require_role
from app.accounts.models import Role, User
from app.api.models import ApiToken
from app.errors import Invalid, NotAllowed
from app.extensions import db
from app.lookup import get_or_not_found
from app.pagination import Page, PageRequest, paginate_query
from app.security import service as security
from app.security.models import EventKind

TOKEN_PREFIX = "srp_"
SHOWN_CHARACTERS = 12  # "srp_" and 8 more: enough to tell one's tokens apart, too few to guess
MAX_NAME = 80
MAX_EXPIRY_DAYS = 366
MAX_PRESENTED = 200  # longer than any token: not worth hashing
USE_WRITTEN_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``secret`` exists only here, to be shown once."""

    token: ApiToken
    secret: str


class TokenRefused(Exception):
    """A presented token opens nothing; ``reason`` is for the security log, not the caller."""

    def __init__(self, reason: str, token: ApiToken | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.token = token


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    actor: User, name: str, expires_on: datetime | None = None, key: str | None = None
) -> NewToken | None:
    """A new token acting as ``actor``; ``expires_on`` (naive UTC) ends it, None never does.

    None when the form with submission ``key`` was carried out already: its token exists, and
    its secret cannot be shown again (only its hash is kept).
    """
    if once.first_submission(key) is not None:
        return None
    if not actor.is_active:
        raise NotAllowed("A deactivated person cannot make tokens.")
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME:
        raise Invalid(f"Name the token in 1 to {MAX_NAME} characters.", field="name")
    made = now()
    if expires_on is not None and not made < expires_on <= made + timedelta(days=MAX_EXPIRY_DAYS):
        raise Invalid(
            f"Choose an expiry after today and within {MAX_EXPIRY_DAYS} days.", field="expires_on"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=actor.id,
        name=clean,
        prefix=secret[:SHOWN_CHARACTERS],
        token_hash=digest(secret),
        created_at=made,
        expires_at=expires_on,
    )
    db.session.add(token)
    db.session.flush()
    security.record(
        EventKind.API_TOKEN_CREATED,
        actor=actor,
        subject=actor,
        detail=f"token {token.prefix}… '{clean}'"
        + (f", expires {expires_on:%Y-%m-%d}" if expires_on else ", no expiry"),
    )
    return NewToken(token, secret)


def revoke_token(actor: User, token_id: int) -> ApiToken:
    """End a token: the owner's own, or any for an admin. Revoking twice changes nothing."""
    token = get_or_not_found(ApiToken, token_id, "There is no such token.")
    if token.user_id != actor.id:
        require_role(actor, Role.ADMIN)
    if token.revoked_at is not None:
        return token
    # A conditional update, so that two revocations at once record one event.
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now(), revoked_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(token)
    if not getattr(result, "rowcount", 0):
        return token
    security.record(
        EventKind.API_TOKEN_REVOKED,
        actor=actor,
        subject=token.user,
        detail=f"token {token.prefix}… '{token.name}'",
    )
    return token


def tokens_of(actor: User) -> list[ApiToken]:
    """The actor's own tokens, the usable first, newest first."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == actor.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(query))


def all_tokens_page(actor: User, request: PageRequest) -> Page[ApiToken]:
    """Every token in the organisation, for admins: newest first, searched by owner."""
    require_role(actor, Role.ADMIN)
    query = (
        select(ApiToken)
        .join(User, User.id == ApiToken.user_id)
        .options(contains_eager(ApiToken.user), selectinload(ApiToken.revoked_by))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    if request.search:
        pattern = "%" + request.search.replace("\\", "\\\\").replace("%", "\\%") + "%"
        query = query.where(User.full_name.ilike(pattern, escape="\\"))
    page: Page[ApiToken] = paginate_query(query, request)
    return page


def authenticate(secret: str) -> ApiToken:
    """The token ``secret`` is, with its owner loaded; ``TokenRefused`` when it opens nothing.

    A token stops working when revoked, past its expiry, or when its owner is deactivated.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_PRESENTED:
        raise TokenRefused("not a SalesRamp token")
    query = (
        select(ApiToken)
        .join(User, User.id == ApiToken.user_id)
        .options(contains_eager(ApiToken.user))
        .where(ApiToken.token_hash == digest(secret))
    )
    token = db.session.scalar(query)
    if token is None:
        raise TokenRefused("unknown token")
    moment = now()
    if token.revoked_at is not None:
        raise TokenRefused(f"revoked token {token.prefix}…", token)
    if not token.usable_at(moment):
        raise TokenRefused(f"expired token {token.prefix}…", token)
    if not token.user.is_active:
        raise TokenRefused(f"token {token.prefix}… of a deactivated person", token)
    if token.last_used_at is None or moment - token.last_used_at >= USE_WRITTEN_EVERY:
        token.last_used_at = moment
    return token
