"""In-app notifications (a message and a link for one person, read or not), and how each
person hears: an email at once for what waits on them, and a digest daily, weekly or never."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import bindparam, func, select, update

from app.accounts.models import Role, User
from app.errors import NotAllowed, NotFound
from app.extensions import db
from app.mail import absolute_url, queue_mail
from app.notifications.models import DigestFrequency, Notification, NotificationPreference
from app.pagination import Page, PageRequest, paginate_query

SHOWN = 50


@dataclass(frozen=True)
class Preferences:
    """How a person hears; ``saved`` is False while they have the defaults."""

    email_at_once: bool
    digest: DigestFrequency
    saved: bool = False


def default_preferences(user: User) -> Preferences:
    """Email at once on; a daily digest for coaches (their queue moves daily), weekly for
    everyone else (a rep's week is what their plan is counted in)."""
    daily = user.has_role(Role.COACH)
    return Preferences(True, DigestFrequency.DAILY if daily else DigestFrequency.WEEKLY)


def _from_row(row: NotificationPreference) -> Preferences:
    return Preferences(row.email_at_once, DigestFrequency(row.digest), saved=True)


def preferences_of(user: User) -> Preferences:
    row = db.session.get(NotificationPreference, user.id)
    return _from_row(row) if row is not None else default_preferences(user)


def preferences_for(users: Iterable[User]) -> dict[int, Preferences]:
    """Many people's preferences in one query (the digest asks for a batch at a time)."""
    people = {user.id: user for user in users}
    rows = db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(people))
    )
    saved = {row.user_id: _from_row(row) for row in rows}
    return {uid: saved.get(uid) or default_preferences(user) for uid, user in people.items()}


def set_preferences(
    actor: User, person: User, *, email_at_once: bool, digest: DigestFrequency
) -> Preferences:
    """One's own choice of how to hear; nobody chooses for someone else."""
    if actor.id != person.id:
        raise NotAllowed("You can only choose how you hear yourself.")
    row = db.session.get(NotificationPreference, person.id)
    if row is None:
        row = NotificationPreference(user_id=person.id)
        db.session.add(row)
    row.email_at_once = email_at_once
    row.digest = digest
    row.updated_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.flush()
    return _from_row(row)


def notify(
    recipient: User,
    kind: str,
    message: str,
    link: str,
    *,
    waits_on_recipient: bool = False,
    preferences: Preferences | None = None,
) -> Notification:
    """Tell ``recipient`` in the app, in the caller's transaction; ``link`` is a path here.

    ``waits_on_recipient``: something now waits on them (an agreement to sign, a milestone to
    verify, an assessment to do, an escalation): they also get an email at once if their
    preferences say so, queued in the same transaction, so a change made once mails once.
    ``preferences``: the recipient's, when the caller read many at once (``preferences_for``).
    """
    notification = Notification(
        recipient=recipient,
        kind=kind,
        message=message[:300],
        link=link,
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    db.session.add(notification)
    wants_email = waits_on_recipient and recipient.active
    if wants_email and (preferences or preferences_of(recipient)).email_at_once:
        _email_at_once(recipient, message, link)
    return notification


def _email_at_once(recipient: User, message: str, link: str) -> None:
    address = current_app.config["PUBLIC_URL"].rstrip("/") + link
    queue_mail(
        to=recipient.email,
        to_name=recipient.full_name,
        template="waiting",
        subject=_subject(message),
        reason=(
            "You get an email when something starts waiting on you, as your notification "
            f"settings say. Turn it off at {absolute_url('notifications.preferences')}"
        ),
        link=address,
        message=message,
    )


def _subject(message: str) -> str:
    """The message itself, short enough for a subject line."""
    subject = " ".join(message.split()).rstrip(".")
    return subject if len(subject) <= 140 else subject[:139].rstrip() + "…"


def resolve(kind: str, link: str, message: str, *, done_by: User) -> int:
    """Others' notifications of ``kind`` about ``link`` no longer wait on them: someone of their
    group (``done_by``) did it. Reworded to say so and marked read; how many were changed."""
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.kind == kind,
            Notification.link == link,
            Notification.recipient_id != done_by.id,
        )
        .values(
            message=message[:300],
            read_at=func.coalesce(Notification.read_at, datetime.now(UTC).replace(tzinfo=None)),
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


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
