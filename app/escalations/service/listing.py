"""Who sees which escalations: the Escalations list and a rep's escalation history.

HR and admins see every escalation; a coach sees those of the reps they coach, and the ones
raised to them as the manager of a rep's coach. Reps see none (their own page already says
what is overdue). Resolution is read from the item: a milestone done or sent for verification,
a commitment closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased, contains_eager

from app.accounts.access import can_view_person, require_role
from app.accounts.models import Role, User
from app.coaching.models import Commitment
from app.escalations.models import Escalation, Level
from app.extensions import db
from app.pagination import Page, PageRequest, paginate_query
from app.plans.models import Milestone, MilestoneStatus

SORTS = ("raised", "rep", "due", "late")
HISTORY_SHOWN = 20

_Rep = aliased(User, name="rep")
_RepCoach = aliased(User, name="rep_coach")

RESOLVED = or_(
    Milestone.status.in_([MilestoneStatus.DONE, MilestoneStatus.SUBMITTED]),
    Commitment.closed_at.is_not(None),
)


@dataclass(frozen=True)
class EscalationFilters:
    """What the list is narrowed to; None or empty means any."""

    status: str | None = None  # "open" or "resolved"
    level: Level | None = None
    kind: str | None = None  # "milestone" or "commitment"
    team_id: int | None = None
    rep_id: int | None = None
    search: str = ""


def require_see_escalations(actor: User) -> None:
    require_role(actor, Role.COACH, Role.HR, Role.ADMIN)


def can_see_escalations_of(actor: User, rep: User) -> bool:
    """The rep's page shows their escalations to their coach, HR and admins, not the rep."""
    return actor.id != rep.id and can_view_person(actor, rep)


def _base() -> Select[Any]:
    return (
        select(Escalation)
        .join(_Rep, _Rep.id == Escalation.rep_id)
        .outerjoin(_RepCoach, _RepCoach.id == _Rep.coach_id)
        .outerjoin(Milestone, Milestone.id == Escalation.milestone_id)
        .outerjoin(Commitment, Commitment.id == Escalation.commitment_id)
        .options(
            contains_eager(Escalation.rep.of_type(_Rep)),
            contains_eager(Escalation.milestone),
            contains_eager(Escalation.commitment),
        )
    )


def _visible_to(actor: User, query: Select[Any]) -> Select[Any]:
    if actor.sees_everyone:
        return query
    return query.where(
        or_(
            _Rep.coach_id == actor.id,
            and_(Escalation.level == Level.MANAGER.value, _RepCoach.coach_id == actor.id),
        )
    )


def _sorted(query: Select[Any], request: PageRequest) -> Select[Any]:
    column = {
        "raised": Escalation.raised_at,
        "rep": _Rep.full_name,
        "due": Escalation.due_date,
        "late": Escalation.days_late,
    }.get(request.sort, Escalation.raised_at)
    first = column.desc() if request.descending else column.asc()
    return query.order_by(first, Escalation.id.desc())


def escalations_page(
    actor: User, filters: EscalationFilters, request: PageRequest
) -> Page[Escalation]:
    """One page of the escalations ``actor`` may see, narrowed by ``filters``: two queries."""
    require_see_escalations(actor)
    query = _visible_to(actor, _base())
    if filters.status == "open":
        query = query.where(~RESOLVED)
    elif filters.status == "resolved":
        query = query.where(RESOLVED)
    if filters.level is not None:
        query = query.where(Escalation.level == filters.level.value)
    if filters.kind == "milestone":
        query = query.where(Escalation.milestone_id.is_not(None))
    elif filters.kind == "commitment":
        query = query.where(Escalation.commitment_id.is_not(None))
    if filters.team_id is not None:
        query = query.where(_Rep.team_id == filters.team_id)
    if filters.rep_id is not None:
        query = query.where(Escalation.rep_id == filters.rep_id)
    if filters.search:
        words = f"%{filters.search.lower()}%"
        query = query.where(
            or_(
                db.func.lower(_Rep.full_name).like(words),
                db.func.lower(Escalation.title).like(words),
            )
        )
    return paginate_query(_sorted(query, request), request)


def escalations_of(actor: User, rep: User) -> list[Escalation]:
    """A rep's latest escalations, newest first, for their page: one query (none for the rep)."""
    if not can_see_escalations_of(actor, rep):
        return []
    query = (
        _base()
        .where(Escalation.rep_id == rep.id)
        .order_by(Escalation.raised_at.desc(), Escalation.id.desc())
        .limit(HISTORY_SHOWN)
    )
    return list(db.session.scalars(query).unique())
