"""Sending the digests: each (person, period) once, in batches, through the job queue.

Run every quarter of an hour by the worker and by ``flask reminders send``. Each (person,
period) is claimed once in ``digests_sent`` under a unique constraint, with an insert that
skips rows already there, in the same transaction as the emails it queues: running twice,
or two runners at once, sends each digest once. Each batch of people is one commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.mail import absolute_url, queue_mail
from app.reminders.digest import Digest, digests_for, people_due
from app.reminders.models import DigestSent
from app.reminders.workqueue import can_have_work_queue

BATCH = 200


def claim(digests: Sequence[Digest], now: datetime) -> set[int]:
    """Record each digest's (person, period); the people whose row this call inserted.

    ``INSERT ... ON CONFLICT DO NOTHING``: a row another run inserted (or is inserting, on
    PostgreSQL it waits for that transaction) is skipped, so only one run sends it.
    """
    if not digests:
        return set()
    moment = now.astimezone(UTC).replace(tzinfo=None)
    rows = [
        {"user_id": d.user.id, "period": d.period, "sent_at": moment, "items": d.count}
        for d in digests
    ]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = DigestSent.__table__
    statement = (
        dialect.insert(table)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "period"])
        .returning(table.c.user_id)
    )
    return set(db.session.scalars(statement))


def send_digests(now: datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """Send every digest due now and not sent yet; commits once per batch of people.

    Returns how many people were due, how many digests were emailed and how many had nothing
    to say (recorded, not emailed).
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    due = people_due(moment)
    emailed = quiet = 0
    for start in range(0, len(due), batch):
        digests = digests_for(due[start : start + batch], moment)
        claimed = claim(digests, moment)
        for digest in digests:
            if digest.user.id not in claimed:
                continue
            if digest.count:
                queue_digest(digest)
                emailed += 1
            else:
                quiet += 1
        db.session.commit()
    return {"due": len(due), "emailed": emailed, "nothing to say": quiet}


def queue_digest(digest: Digest) -> None:
    """The digest's email, with plain values and absolute links (its send job runs once the
    batch commits). Its lines are the digest's, each linking to where it is done."""
    person = digest.user
    kind = "weekly" if digest.period.startswith("week") else "daily"
    home = "reminders.work_queue" if can_have_work_queue(person) else "plans.my_ramp"
    sections = [
        {
            "title": section.title,
            "url": absolute_url(section.endpoint, **section.url_values),
            "lines": [
                {
                    "text": line.text,
                    "detail": line.detail,
                    "late": line.late,
                    "url": absolute_url(line.endpoint, **line.url_values),
                }
                for line in section.lines
            ],
        }
        for section in digest.sections
    ]
    queue_mail(
        to=person.email,
        to_name=person.full_name,
        template="digest",
        subject=digest.subject,
        reason=(
            f"You get this digest {kind}, as your notification settings say. Choose daily, "
            f"weekly or never at {absolute_url('notifications.preferences')}"
        ),
        link=absolute_url(home),
        sections=sections,
        kind=kind,
        count=digest.count,
    )
