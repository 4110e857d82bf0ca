"""HR's list of written notices: each episode, the clause and evidence, and where its notice is.

Notices are HR's: HR and admins see every one; a coach or rep sees none here (the rep reads
and signs theirs on the agreements pages, like any agreement sent to them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, contains_eager

from app.accounts.access import require_role
from app.accounts.models import Role, User
from app.agreements.models import Agreement, AgreementStatus
from app.extensions import db
from app.notices.models import NoticeEpisode
from app.pagination import Page, PageRequest, paginate_query

SORTS = ("drafted", "rep", "started")

_Rep = aliased(User, name="rep")
_Notice = aliased(Agreement, name="notice")


@dataclass(frozen=True)
class NoticeFilters:
    """What the list is narrowed to; None or empty means any."""

    status: AgreementStatus | None = None  # the notice's: draft, sent, completed, ...
    search: str = ""  # in the rep's name


def require_see_notices(actor: User) -> None:
    require_role(actor, Role.HR, Role.ADMIN)


def notices_page(actor: User, filters: NoticeFilters, request: PageRequest) -> Page[Any]:
    """One page of episodes with their rep and notice: two queries, whatever the count."""
    require_see_notices(actor)
    query = (
        select(NoticeEpisode)
        .join(_Rep, _Rep.id == NoticeEpisode.rep_id)
        .outerjoin(_Notice, _Notice.id == NoticeEpisode.notice_id)
        .options(
            contains_eager(NoticeEpisode.rep.of_type(_Rep)),
            contains_eager(NoticeEpisode.notice.of_type(_Notice)),
        )
    )
    if filters.status is not None:
        query = query.where(_Notice.status == filters.status)
    if filters.search:
        query = query.where(_Rep.full_name.icontains(filters.search, autoescape=True))
    return paginate_query(_sorted(query, request), request)


def _sorted(query: Select[Any], request: PageRequest) -> Select[Any]:
    column = {
        "rep": _Rep.full_name,
        "started": NoticeEpisode.started_on,
        "drafted": NoticeEpisode.created_at,
    }[request.sort or "drafted"]
    ordered = column.desc() if request.descending else column.asc()
    return query.order_by(ordered, NoticeEpisode.id.desc())


def episode_of_notice(notice_id: int) -> NoticeEpisode | None:
    """The episode that drafted a notice, for the notice's page; None for other agreements."""
    return db.session.scalar(select(NoticeEpisode).where(NoticeEpisode.notice_id == notice_id))
