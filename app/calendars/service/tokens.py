"""Getting, regenerating and revoking one's own calendar link (always one's own)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import delete, select

from app import once
from app.accounts.models import User
from app.calendars.models import CalendarFeed
from app.extensions import db

TOKEN_MAX = 64


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def regenerate(actor: User, key: str | None = None) -> CalendarFeed:
    """A new secret link for ``actor``'s calendar; the previous one (if any) stops working.

    The same form sent twice (``key``) makes one link, and two at once wait on the person's
    row, so one of them wins cleanly instead of failing on the unique user.
    """
    if once.repeated(key, actor, User.active):
        found = feed_of(actor)
        if found is not None:
            return found
    feed = feed_of(actor)
    now = datetime.now(UTC).replace(tzinfo=None)
    if feed is None:
        feed = CalendarFeed(user_id=actor.id, token="", created_at=now)
        db.session.add(feed)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = now
    db.session.flush()
    return feed


def revoke(actor: User, key: str | None = None) -> bool:
    """End ``actor``'s calendar link; whether there was one."""
    if once.repeated(key, actor, User.active):
        return False
    result = db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == actor.id))
    return bool(getattr(result, "rowcount", 0))


def user_of_token(token: str) -> User | None:
    """Whose feed ``token`` opens: an active person with that current token, else nobody."""
    if not token or len(token) > TOKEN_MAX:
        return None
    query = (
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, User.active.is_(True))
    )
    return db.session.scalar(query)
