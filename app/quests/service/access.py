"""Who may see a team's quests and leaderboard, and who may switch the leaderboard on."""

from __future__ import annotations

from sqlalchemy import exists, select

from app.accounts.models import Role, Team, User
from app.errors import NotAllowed
from app.extensions import db


def coaches_in_team(actor: User, team: Team) -> bool:
    """A coach "of" a team coaches at least one of its active reps (teams have no coach field)."""
    if not actor.has_role(Role.COACH):
        return False
    coached = exists().where(
        User.team_id == team.id, User.coach_id == actor.id, User.active.is_(True)
    )
    return bool(db.session.scalar(select(coached)))


def require_see_team_quests(actor: User, team: Team) -> None:
    """The team's quests page: the team's coaches, HR and admins."""
    if not (actor.sees_everyone or coaches_in_team(actor, team)):
        raise NotAllowed("Only the team's coaches, HR and admins see the team's quests.")


def require_see_leaderboard(actor: User, team: Team) -> None:
    """The leaderboard: the team's own reps, its coaches, HR and admins."""
    own_team = actor.has_role(Role.REP) and actor.team_id == team.id
    if not (own_team or actor.sees_everyone or coaches_in_team(actor, team)):
        raise NotAllowed("Only the team's reps and coaches, HR and admins see its leaderboard.")


def can_change_leaderboard(actor: User, team: Team) -> bool:
    """The team's coaches and admins switch it on or off and choose who sees which names."""
    return actor.is_active and (actor.has_role(Role.ADMIN) or coaches_in_team(actor, team))


def require_change_leaderboard(actor: User, team: Team) -> None:
    if not can_change_leaderboard(actor, team):
        raise NotAllowed("Only the team's coaches and admins switch its leaderboard on or off.")
