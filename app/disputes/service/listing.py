"""Open disputes with their age against the turnaround target, and the resolved ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.access import viewable_people
from app.accounts.models import User
from app.disputes.models import Dispute, DisputeStatus
from app.pagination import Page, PageRequest, paginate_query

SHOWN = ("open", "resolved")


def turnaround_days() -> int:
    """Days a dispute may stay open (``SALESRAMP_DISPUTE_TURNAROUND_DAYS``, default 5)."""
    return int(current_app.config["DISPUTE_TURNAROUND_DAYS"])


@dataclass(frozen=True)
class Age:
    """How long a dispute has been (or was) open, against the target."""

    days: int
    target: int

    @property
    def over(self) -> bool:
        return self.days > self.target

    @property
    def text(self) -> str:
        if self.over:
            late = self.days - self.target
            return f"{_days(self.days)}, {_days(late)} over the {self.target}-day target"
        return f"{_days(self.days)} of {self.target}"


def age_of(dispute: Dispute, today: date) -> Age:
    """Calendar days from opening to the decision, or to ``today`` while open."""
    until = dispute.resolved_at.date() if dispute.resolved_at else today
    return Age(max(0, (until - dispute.opened_at.date()).days), turnaround_days())


def disputes_page(actor: User, shown: str, request: PageRequest) -> Page[Dispute]:
    """The disputes the actor may see: a rep their own, a coach their reps', HR and admins all.

    Open ones oldest first (the most urgent), resolved ones latest first; two queries.
    """
    is_open = Dispute.status == DisputeStatus.OPEN
    query = (
        select(Dispute)
        .join(User, User.id == Dispute.rep_id)
        .where(viewable_people(actor), is_open if shown == "open" else ~is_open)
        .options(joinedload(Dispute.rep), joinedload(Dispute.resolved_by))
    )
    if shown == "open":
        query = query.order_by(Dispute.opened_at, Dispute.id)
    else:
        query = query.order_by(Dispute.resolved_at.desc(), Dispute.id.desc())
    return paginate_query(query, request)


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"
