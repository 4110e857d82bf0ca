"""Writing security events: one call for services and the web layer alike.

Services never read the request, so the client's address comes from a source the web layer
installs once (:func:`use_address_source`); outside a request (the CLI, tests of a service)
there is none and the address stays empty.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete

from app.extensions import db
from app.security.models import EventKind, SecurityEvent
from app.transaction import keep_whatever_happens

DETAIL_LENGTH = 300
LABEL_LENGTH = 300


class Person(Protocol):
    """Whoever acts or is acted on: a signed-in ``User`` (this layer does not import accounts)."""

    @property
    def id(self) -> int: ...

    @property
    def full_name(self) -> str: ...

    @property
    def email(self) -> str: ...


def _no_address() -> str | None:
    return None


_address_source: Callable[[], str | None] = _no_address


def use_address_source(source: Callable[[], str | None]) -> None:
    """Say where the client's address comes from (the web layer: the request's remote address)."""
    global _address_source
    _address_source = source


def record(
    kind: EventKind,
    *,
    actor: Person | None = None,
    subject: Person | None = None,
    subject_label: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Add an event to the current transaction: it is saved if and when the work it is about is.

    A role change that is rolled back never happened, so its event goes with it.
    """
    event = _event(kind, actor, subject, subject_label, detail)
    db.session.add(event)
    return event


def record_refusal(
    kind: EventKind,
    *,
    actor: Person | None = None,
    subject: Person | None = None,
    subject_label: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Record a refusal (403, throttling): saved when the request ends although it fails.

    The refused request's own writes are rolled back; the record that it was refused is not.
    """
    event = _event(kind, actor, subject, subject_label, detail)
    keep_whatever_happens(event)
    return event


def _event(
    kind: EventKind,
    actor: Person | None,
    subject: Person | None,
    subject_label: str,
    detail: str,
) -> SecurityEvent:
    return SecurityEvent(
        kind=kind,
        actor_id=actor.id if actor is not None else None,
        actor_label=_label(actor),
        subject_id=subject.id if subject is not None else None,
        subject_label=_label(subject) or clean(subject_label, LABEL_LENGTH),
        address=clean(_address_source() or "", 64),
        detail=clean(detail, DETAIL_LENGTH),
    )


def _label(person: Person | None) -> str:
    if person is None:
        return ""
    return clean(f"{person.full_name} <{person.email}>", LABEL_LENGTH)


def clean(text: str, limit: int) -> str:
    """One line of printable text: control, format and line-separator characters escaped.

    A newline or an ANSI escape in a typed email must not forge a second log line or recolour
    a terminal when the log is read or exported.
    """
    escaped = "".join(_escape(char) if _breaks_lines(char) else char for char in text)
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"


def _breaks_lines(char: str) -> bool:
    """Control, format (bidi overrides) and unassigned characters, and the line separators."""
    category = unicodedata.category(char)
    return category[0] == "C" or category in ("Zl", "Zp")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def prune(before: datetime) -> int:
    """Delete events older than ``before``: the security log's retention period; how many."""
    result = db.session.execute(delete(SecurityEvent).where(SecurityEvent.at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
