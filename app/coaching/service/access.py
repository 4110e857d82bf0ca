"""Who may do what with debriefs and commitments: the services check these first."""

from __future__ import annotations

from app.accounts.access import can_coach_rep, can_view_person
from app.accounts.models import Role, User
from app.coaching.models import Commitment, Debrief
from app.errors import NotAllowed


def can_coach(actor: User, rep: User) -> bool:
    """Recording debriefs and reviewing commitments: the rep's coach or an admin, not the rep."""
    return rep.has_role(Role.REP) and can_coach_rep(actor, rep)


def require_coach(actor: User, rep: User) -> None:
    if not can_coach(actor, rep):
        raise NotAllowed("Only the rep's coach or an admin can do this.")


def can_ask_for_debrief(actor: User) -> bool:
    """Asking for a debrief: a rep who has a coach to ask."""
    return actor.has_role(Role.REP) and actor.coach is not None


def require_ask_for_debrief(actor: User) -> None:
    if not can_ask_for_debrief(actor):
        raise NotAllowed("Only a rep with a coach can ask for a debrief.")


def can_answer_debrief(actor: User, debrief: Debrief) -> bool:
    """Reflecting on, acknowledging and following up a debrief: the rep it is about."""
    return actor.id == debrief.rep_id


def require_answer_debrief(actor: User, debrief: Debrief) -> None:
    if not can_answer_debrief(actor, debrief):
        raise NotAllowed("Only the rep the debrief is about can do this.")


def require_view_debrief(actor: User, debrief: Debrief) -> None:
    if not can_view_person(actor, debrief.rep):
        raise NotAllowed("You can only see your own debriefs or those of reps you coach.")


def require_view_commitment(actor: User, commitment: Commitment) -> None:
    if not can_view_person(actor, commitment.rep):
        raise NotAllowed("You can only see your own commitments or those of reps you coach.")
