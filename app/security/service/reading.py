"""Reading the security log: a page of it, newest first, and the whole of it as CSV.

Only admins read the log; the pages that call these check the role (this layer sits below
accounts, so that every layer above can record events).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select

from app.extensions import db
from app.pagination import Page, PageRequest, paginate_query
from app.security.models import EventKind, SecurityEvent

SORTS = ("at",)
CSV_FIELDS = ("time_utc", "kind", "actor", "subject", "address", "detail")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def events_csv(wanted: EventFilter) -> bytes:
    """The filtered log as UTF-8 CSV with a BOM (so spreadsheets read accents), newest first."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    query = _filtered(wanted).order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
    for event in db.session.scalars(query.execution_options(yield_per=500)):
        writer.writerow(
            neutralise(cell)
            for cell in (
                f"{event.at:%Y-%m-%d %H:%M:%S}",
                event.kind.value,
                event.actor_label,
                event.subject_label,
                event.address,
                event.detail,
            )
        )
    return buffer.getvalue().encode("utf-8")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would read as a formula, made plain text by a leading quote."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


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
        pattern = f"%{_escape_like(wanted.search)}%"
        query = query.where(
            or_(
                SecurityEvent.actor_label.ilike(pattern, escape="\\"),
                SecurityEvent.subject_label.ilike(pattern, escape="\\"),
            )
        )
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
