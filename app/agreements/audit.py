"""The audit trail of an agreement: append-only events, each carrying the previous one's hash.

An event's hash is the SHA-256 of its canonical JSON (every field but the hash itself, the
previous event's hash included). Altering, deleting or reordering any stored event therefore
breaks the chain from that event on, which ``verify_chain`` reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from app.accounts.models import User
from app.agreements.models import Agreement, AgreementEvent
from app.extensions import db

GENESIS = "0" * 64


@dataclass(frozen=True)
class Evidence:
    """Where an action came from: the request's IP address and user agent."""

    ip_address: str = ""
    user_agent: str = ""

    @classmethod
    def system(cls, what: str) -> Evidence:
        """Actions not taken in a browser (the CLI, the demo seed)."""
        return cls(ip_address="", user_agent=f"SalesRamp {what}")


def now() -> datetime:
    """UTC now, naive (the database stores UTC without a zone), to the second."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def event_hash(event: AgreementEvent) -> str:
    payload = {
        "agreement_id": event.agreement_id,
        "seq": event.seq,
        "action": event.action,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "actor_email": event.actor_email,
        "at": event.at.isoformat(),
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "content_hash": event.content_hash,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    agreement: Agreement,
    actor: User | None,
    action: str,
    evidence: Evidence,
    content_hash: str,
    detail: str = "",
    at: datetime | None = None,
) -> AgreementEvent:
    """Append one event to the agreement's trail, chained to the last one.

    Two requests appending at once (the sign page opened in two tabs) would both read the same
    last event and write the same sequence number. Writing the agreement's row first takes its
    lock (PostgreSQL's row lock, SQLite's write lock) until the request commits, so the second
    request reads the last event only after the first one's is stored.
    """
    db.session.execute(
        update(Agreement)
        .where(Agreement.id == agreement.id)
        .values(trail_head=Agreement.trail_head)
        .execution_options(synchronize_session=False)
    )
    last = db.session.execute(
        select(AgreementEvent.seq, AgreementEvent.hash)
        .where(AgreementEvent.agreement_id == agreement.id)
        .order_by(AgreementEvent.seq.desc())
        .limit(1)
    ).first()
    event = AgreementEvent(
        agreement_id=agreement.id,
        seq=(last.seq + 1) if last else 1,
        action=action,
        actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else "SalesRamp",
        actor_email=actor.email if actor else "",
        at=at or now(),
        ip_address=evidence.ip_address[:64],
        user_agent=evidence.user_agent[:300],
        content_hash=content_hash,
        detail=detail,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event_hash(event)
    agreement.trail_head = event.hash
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainCheck:
    """The result of checking an agreement's trail: intact, or the first broken event."""

    intact: bool
    events: int
    problem: str = ""


def verify_events(events: Sequence[AgreementEvent]) -> ChainCheck:
    """Check each event's hash and its link to the one before, in order."""
    previous = GENESIS
    for expected_seq, event in enumerate(sorted(events, key=lambda e: e.seq), start=1):
        if event.seq != expected_seq:
            return ChainCheck(False, len(events), f"event {expected_seq} is missing")
        if event.prev_hash != previous:
            return ChainCheck(
                False, len(events), f"event {event.seq} does not follow the one before"
            )
        if event_hash(event) != event.hash:
            return ChainCheck(
                False, len(events), f"event {event.seq} was altered after it was recorded"
            )
        previous = event.hash
    return ChainCheck(True, len(events))


def verify_chain(agreement: Agreement) -> ChainCheck:
    """Check the agreement's stored trail, read fresh from the database."""
    db.session.refresh(agreement, ["trail_head"])
    events = list(
        db.session.scalars(
            select(AgreementEvent)
            .where(AgreementEvent.agreement_id == agreement.id)
            .order_by(AgreementEvent.seq)
            .execution_options(populate_existing=True)
        )
    )
    check = verify_events(events)
    if check.intact and (events[-1].hash if events else "") != (agreement.trail_head or ""):
        return ChainCheck(False, len(events), "events were removed from the end of the trail")
    return check


def events_of(agreement: Agreement) -> list[AgreementEvent]:
    """The agreement's trail in order, as stored now."""
    return list(
        db.session.scalars(
            select(AgreementEvent)
            .where(AgreementEvent.agreement_id == agreement.id)
            .order_by(AgreementEvent.seq)
        )
    )


def event_count(agreement: Agreement, action: str) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(AgreementEvent)
            .where(AgreementEvent.agreement_id == agreement.id, AgreementEvent.action == action)
        )
        or 0
    )
