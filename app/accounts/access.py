"""Who may see and change whose records: by role and by relationship.

A rep sees only their own records; a coach sees their own reps (and themselves);
HR and admins see everyone. Services call these before doing anything.
"""

from __future__ import annotations

from app.accounts.models import Role, User
from app.errors import NotAllowed


def can_view_person(actor: User, person: User) -> bool:
    if actor.id == person.id or actor.sees_everyone:
        return True
    return actor.has_role(Role.COACH) and person.coach_id == actor.id


def require_view_person(actor: User, person: User) -> None:
    if not can_view_person(actor, person):
        raise NotAllowed("You can only see your own records or those of reps you coach.")


def can_manage_plans_of(actor: User, rep: User) -> bool:
    """Assigning plans and verifying milestones: the rep's coach, HR or an admin."""
    if actor.sees_everyone:
        return True
    return actor.has_role(Role.COACH) and rep.coach_id == actor.id


def require_manage_plans_of(actor: User, rep: User) -> None:
    if not can_manage_plans_of(actor, rep):
        raise NotAllowed("Only the rep's coach, HR or an admin can do this.")


def require_role(actor: User, *roles: Role) -> None:
    if not actor.has_role(*roles):
        names = " or ".join(role.label for role in roles)
        raise NotAllowed(f"This needs the {names} role.")
