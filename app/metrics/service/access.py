"""Who may do what with activity figures.

Importing a CRM's export writes every rep's figures, so it is for HR and admins only: a coach
uploading a file for their team could replace other teams' periods. A rep sees and logs only
their own figures; their coach, HR and admins see them (``app.accounts.access``).
"""

from __future__ import annotations

from app.accounts.access import can_view_person, require_view_person
from app.accounts.models import Role, User
from app.errors import NotAllowed


def can_import(actor: User) -> bool:
    return actor.is_active and actor.has_role(Role.HR, Role.ADMIN)


def require_import(actor: User) -> None:
    if not can_import(actor):
        raise NotAllowed("Only HR and admins import activity.")


def can_log(actor: User) -> bool:
    return actor.is_active and actor.has_role(Role.REP)


def require_log(actor: User) -> None:
    if not can_log(actor):
        raise NotAllowed("Only reps log their own activity.")


def can_view_figures(actor: User, rep: User) -> bool:
    return can_view_person(actor, rep)


def require_view_figures(actor: User, rep: User) -> None:
    require_view_person(actor, rep)
