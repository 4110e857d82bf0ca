"""Who may do what with buddy pairings, built from the shared rules in ``app.accounts.access``.

* The new hire's coach or an admin pairs, replaces and unpairs (``can_coach_rep``).
* The new hire and the buddy record check-ins on an active pairing, and both see it.
* Whoever may see the new hire's records (their coach, HR, admins) sees the pairing too.

A buddy sees the new hire's plan progress on the pairing page and nothing else of theirs: the
debriefs, certifications, numbers and agreements pages keep their own rules, under which a
buddy is just another rep.
"""

from __future__ import annotations

from app.accounts.access import can_coach_rep, can_view_person, is_coach_of
from app.accounts.models import User
from app.buddies.models import BuddyPairing
from app.errors import NotAllowed


def can_pair(actor: User, rep: User) -> bool:
    return can_coach_rep(actor, rep)


def require_pair(actor: User, rep: User) -> None:
    if not can_pair(actor, rep):
        raise NotAllowed("Only the new hire's coach or an admin pairs them with a buddy.")


def is_member(actor: User, pairing: BuddyPairing) -> bool:
    return actor.id in (pairing.rep_id, pairing.buddy_id)


def can_see_pairing(actor: User, pairing: BuddyPairing) -> bool:
    return is_member(actor, pairing) or (
        actor.id != pairing.rep_id and can_view_person(actor, pairing.rep)
    )


def require_see_pairing(actor: User, pairing: BuddyPairing) -> None:
    if not can_see_pairing(actor, pairing):
        raise NotAllowed("Only the new hire, their buddy, their coach, HR and admins see this.")


def can_check_in(actor: User, pairing: BuddyPairing) -> bool:
    return pairing.is_active and is_member(actor, pairing)


def require_check_in(actor: User, pairing: BuddyPairing) -> None:
    if not is_member(actor, pairing):
        raise NotAllowed("Only the new hire and their buddy record their check-ins.")


def sees_pairing_link(actor: User, pairing: BuddyPairing) -> bool:
    """The ramp page links to the pairing for the pair and the new hire's coach only: HR and
    admins reach it from the buddies list, and a link there would only add noise."""
    return is_member(actor, pairing) or is_coach_of(actor, pairing.rep)
