"""Reading the security log: a page of it, newest first, and the whole of it as CSV.

Only admins read the log; the pages that call these check the role (this layer sits below
accounts, so that every layer above can record events).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select

from app.csvfile import stream_csv
from app.extensions import db
from app.pagination import Page, PageRequest, paginate_query
from app.security.models import EventKind, SecurityEvent

SORTS = ("at",)
CSV_FIELDS = ("time_utc", "kind", "actor", "subject", "address", "detail")


@dataclass(frozen=True)
class EventFilter:
    """What the admin narrowed the log to: a kind of event, a person (by id or name/email)."""

    kind: EventKind | None = None
    person_id: int | None = None
    search: str = ""


def events_page(request: PageRequest, wanted: EventFilter) -> Page[SecurityEvent]:
    """One page of the log, newest first (or oldest first when asked), in two queries."""
    if request.descending:
        order = (SecurityEvent.at.desc(), SecurityEvent.id.desc())
    else:
        order = (SecurityEvent.at.asc(), SecurityEvent.id.asc())
    return paginate_query(_filtered(wanted).order_by(*order), request)


def events_csv(wanted: EventFilter) -> Iterator[str]:
    """The filtered log as CSV text, newest first, a chunk at a time (for a streamed download).

    The rows are read from the database as they are written (``yield_per``: a server-side
    cursor on PostgreSQL); the BOM and formula neutralising are ``app.csvfile``'s. A generator:
    nothing is read until the response is sent, after the request's own commit.
    """
    query = _filtered(wanted).order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
    events = db.session.scalars(query.execution_options(yield_per=500))
    yield from stream_csv(CSV_FIELDS, (_csv_row(event) for event in events))


def _csv_row(event: SecurityEvent) -> dict[str, str]:
    return {
        "time_utc": f"{event.at:%Y-%m-%d %H:%M:%S}",
        "kind": event.kind.value,
        "actor": event.actor_label,
        "subject": event.subject_label,
        "address": event.address,
        "detail": event.detail,
    }


def _filtered(wanted: EventFilter) -> Select[Any]:
    query = select(SecurityEvent)
    if wanted.kind is not None:
        query = query.where(SecurityEvent.kind == wanted.kind)
    if wanted.person_id is not None:
        query = query.where(
            or_(
                SecurityEvent.actor_id == wanted.person_id,
                SecurityEvent.subject_id == wanted.person_id,
            )
        )
    if wanted.search:
        query = query.where(
            or_(
                SecurityEvent.actor_label.icontains(wanted.search, autoescape=True),
                SecurityEvent.subject_label.icontains(wanted.search, autoescape=True),
            )
        )
    return query
