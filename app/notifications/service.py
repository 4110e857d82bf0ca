"""In-app notifications: a message and a link for one person, read or not."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, func, select, update

from app.accounts.models import User
from app.errors import NotFound
from app.extensions import db
from app.notifications.models import Notification
from app.pagination import Page, PageRequest, paginate_query

SHOWN = 50


def notify(recipient: User, kind: str, message: str, link: str) -> Notification:
    notification = Notification(
        recipient=recipient,
        kind=kind,
        message=message[:300],
        link=link,
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    db.session.add(notification)
    return notification


def unread_count(user: User) -> int:
    return db.session.scalar(UNREAD_COUNT, {"user_id": user.id}) or 0


# Built once: every page's menu asks for it (see ``app.navigation``), with ``user_id`` bound.
UNREAD_COUNT = select(func.count(Notification.id)).where(
    Notification.recipient_id == bindparam("user_id"), Notification.read_at.is_(None)
)


def notifications_of(user: User) -> list[Notification]:
    """The latest notifications, unread first."""
    query = (
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.read_at.is_not(None), Notification.created_at.desc())
        .limit(SHOWN)
    )
    return list(db.session.scalars(query))


def notifications_page(user: User, request: PageRequest) -> Page[Notification]:
    """A page of one's notifications, unread first, then the newest."""
    query = (
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(
            Notification.read_at.is_not(None),
            Notification.created_at.desc(),
            Notification.id.desc(),
        )
    )
    return paginate_query(query, request)


def mark_read(user: User, link: str) -> int:
    """Opening the page a notification points to reads it; returns how many were read."""
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.recipient_id == user.id,
            Notification.link == link,
            Notification.read_at.is_(None),
        )
        .values(read_at=datetime.now(UTC).replace(tzinfo=None))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def open_notification(user: User, notification_id: int) -> Notification:
    """One's own notification, marked read; anyone else's does not exist for them."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.flush()
    return notification


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=datetime.now(UTC).replace(tzinfo=None))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
