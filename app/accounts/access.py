"""Who may see and change whose records: the relationship rules every feature shares.

A rep sees only their own records; a coach sees their own reps (and themselves); HR and admins
see everyone. A rep is coached and assessed by their coach or an admin, never by themselves.
Each feature's own rules (``app/<feature>/service/access.py``) are built from these.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from app.accounts.models import Role, User
from app.errors import NotAllowed


def is_coach_of(actor: User, rep: User) -> bool:
    """The actor holds the Coach role and is the rep's coach."""
    return actor.has_role(Role.COACH) and rep.coach_id == actor.id


def can_view_person(actor: User, person: User) -> bool:
    return actor.id == person.id or actor.sees_everyone or is_coach_of(actor, person)


def viewable_people(actor: User) -> ColumnElement[bool]:
    """:func:`can_view_person` as a condition on ``User``, for lists read in one query."""
    if actor.sees_everyone:
        return true()
    if actor.has_role(Role.COACH):
        return or_(User.id == actor.id, User.coach_id == actor.id)
    return User.id == actor.id


def require_view_person(actor: User, person: User) -> None:
    if not can_view_person(actor, person):
        raise NotAllowed("You can only see your own records or those of reps you coach.")


def can_coach_rep(actor: User, rep: User) -> bool:
    """Coaching and assessing a rep: their coach or an admin, never the rep; the actor is active."""
    if actor.id == rep.id or not actor.is_active:
        return False
    return actor.has_role(Role.ADMIN) or is_coach_of(actor, rep)


def require_role(actor: User, *roles: Role) -> None:
    if not actor.has_role(*roles):
        names = " or ".join(role.label for role in roles)
        raise NotAllowed(f"This needs the {names} role.")
