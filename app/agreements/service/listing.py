"""The agreements list: one page of the agreements an actor may see, as plain rows, with the
count of each status across all pages.

The rows are plain values (not the agreements themselves), so the list a view worked out can
be kept while the data holds (``kept`` in the view): HR's list of a thousand reps'
agreements is read, loaded and laid out once per write, not on every view.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, lazyload, load_only

from app.accounts.models import User
from app.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AwaitedSigner,
    is_overdue,
)
from app.agreements.service.finding import (
    AWAITED,
    SORTS,
    WITHOUT_DOCUMENT,
    AgreementFilters,
    agreements_query,
)
from app.extensions import db
from app.pagination import Page, PageRequest, paginate_query


@dataclass(frozen=True)
class ListedAgreement:
    """An agreement as a row of the list shows it."""

    id: int
    title: str
    kind: AgreementKind
    verification_code: str
    status: AgreementStatus
    rep_name: str
    team_name: str | None
    awaited: tuple[AwaitedSigner, ...]  # who still has to sign, in signing order
    sign_by: date | None
    sent_at: datetime | None
    completed_at: datetime | None

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.status, self.sign_by, today)


@dataclass(frozen=True)
class AgreementList:
    """One page of the agreements list, the count of each status across all pages, and the
    name of the rep the list is narrowed to (if any)."""

    page: Page[ListedAgreement]
    by_status: dict[AgreementStatus, int]
    rep_name: str | None = None


def list_page(actor: User, filters: AgreementFilters, request: PageRequest) -> AgreementList:
    """A page of the agreements the actor may see, sorted as asked; a fixed number of queries."""
    query = agreements_query(actor, filters)
    if request.sort in SORTS:
        column = SORTS[request.sort]()
        ordered = column.desc() if request.descending else column.asc()
        query = query.order_by(None).order_by(ordered.nulls_last(), Agreement.id.desc())
    page = paginate_query(query.options(*_LISTED), request)
    rows = Page([_listed(agreement) for agreement in page.items], page.total, page.request)
    return AgreementList(rows, status_counts(actor, filters), _rep_name(filters))


_LISTED = (
    *WITHOUT_DOCUMENT,
    # The list's query joins the rep and their team already: read them from its rows.
    contains_eager(Agreement.rep).options(
        load_only(User.full_name, User.email, User.team_id),
        lazyload(User.role_rows),
        contains_eager(User.team),
    ),
    *AWAITED,
)


def _listed(agreement: Agreement) -> ListedAgreement:
    team = agreement.rep.team
    return ListedAgreement(
        id=agreement.id,
        title=agreement.title,
        kind=agreement.kind,
        verification_code=agreement.verification_code,
        status=agreement.status,
        rep_name=agreement.rep.full_name,
        team_name=team.name if team is not None else None,
        awaited=tuple(agreement.awaited_signers),
        sign_by=agreement.sign_by,
        sent_at=agreement.sent_at,
        completed_at=agreement.completed_at,
    )


def status_counts(actor: User, filters: AgreementFilters) -> dict[AgreementStatus, int]:
    """How many of the filtered agreements are in each status, whatever the status filter."""
    unfiltered = (
        agreements_query(actor, replace(filters, status=None))
        .order_by(None)
        .with_only_columns(Agreement.status)
        .subquery()
    )
    rows = db.session.execute(
        select(unfiltered.c.status, func.count()).group_by(unfiltered.c.status)
    )
    found = {AgreementStatus(status): count for status, count in rows}
    return {status: found.get(status, 0) for status in AgreementStatus}


def _rep_name(filters: AgreementFilters) -> str | None:
    rep = db.session.get(User, filters.rep_id) if filters.rep_id else None
    return rep.full_name if rep is not None else None
