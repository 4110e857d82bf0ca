"""Who may do what with onboarding plans; the services call these before changing anything."""

from __future__ import annotations

from app.accounts.access import is_coach_of
from app.accounts.models import Role, User
from app.errors import NotAllowed
from app.plans.models import Milestone


def can_manage_plans_of(actor: User, rep: User) -> bool:
    """Assigning plans and verifying milestones: the rep's coach, HR or an admin."""
    return actor.sees_everyone or is_coach_of(actor, rep)


def require_manage_plans_of(actor: User, rep: User) -> None:
    if not can_manage_plans_of(actor, rep):
        raise NotAllowed("Only the rep's coach, HR or an admin can do this.")


def can_report_progress(actor: User, milestone: Milestone) -> bool:
    """Progress on a plan is reported by the rep whose plan it is, nobody else."""
    return actor.id == milestone.plan.rep_id


def require_report_progress(actor: User, milestone: Milestone) -> None:
    if not can_report_progress(actor, milestone):
        raise NotAllowed("Only the rep can report progress on their own plan.")


def can_see_team(actor: User) -> bool:
    """The team overview: a coach sees their own reps, HR and admins see every rep."""
    return actor.sees_everyone or actor.has_role(Role.COACH)


def require_see_team(actor: User) -> None:
    if not can_see_team(actor):
        raise NotAllowed("Only coaches, HR and admins see teams.")
