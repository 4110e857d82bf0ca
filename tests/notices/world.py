"""A rep under a signed improvement agreement, with the status record the sweep would keep.

Shared by the notices tests, the browser journey, the access matrix and the query counts.
The agreement's own signatures and seal are the agreements tests' business: here it is sent
through the service and its completion stored directly, which is all the sweep reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from app.accounts.models import User
from app.agreements import service as agreements
from app.agreements.audit import Evidence
from app.agreements.models import Agreement, AgreementStatus
from app.extensions import db
from app.notices.models import RepStatusDay

EVIDENCE = Evidence(ip_address="203.0.113.7", user_agent="pytest")
PIP_VALUES: dict[str, str | None] = {
    "gap_summary": "Meetings booked: 2 a week against 6.",
    "support_offered": "Two call reviews a week with the coach.",
    "improvement_targets": "6 meetings a week",
    "period_start": "2027-01-04",
    "period_end": "2027-02-26",
    "review_dates": "every Friday",
    "consequences": "Employment may end.",
}


def signed_pip(hr: User, rep: User, days_ago: int = 20, complete: bool = True) -> Agreement:
    """The rep's improvement agreement, sent, and completed ``days_ago`` (unless not)."""
    pip = agreements.create_draft(hr, rep, "performance-improvement", PIP_VALUES, EVIDENCE)
    agreements.send(hr, pip, EVIDENCE)
    if complete:
        pip.status = AgreementStatus.COMPLETED
        pip.completed_at = datetime.combine(date.today() - timedelta(days=days_ago), time(9))
    db.session.commit()
    return pip


def record_days(rep: User, statuses: Sequence[str], until: date | None = None) -> None:
    """Recorded days ending ``until`` (default yesterday), oldest first; "paused" is paused."""
    last = until or date.today() - timedelta(days=1)
    first = last - timedelta(days=len(statuses) - 1)
    for number, status in enumerate(statuses):
        paused = status == "paused"
        day = first + timedelta(days=number)
        status = "at risk" if paused else status
        db.session.add(RepStatusDay(rep_id=rep.id, day=day, status=status, paused=paused))
    db.session.commit()


def at_risk_for_13_days(hr: User, rep: User) -> Agreement:
    """Signed 20 days ago, at risk on the 13 days before today: today's sweep drafts."""
    pip = signed_pip(hr, rep)
    record_days(rep, ["at risk"] * 13)
    return pip
