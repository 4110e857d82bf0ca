"""Switching a team's leaderboard on or off and choosing who sees which names."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.models import Team, User
from app.extensions import db
from app.quests.leaderboard import Privacy
from app.quests.models import TeamLeaderboard
from app.quests.service.access import require_change_leaderboard
from app.security.models import EventKind
from app.security.service import record


def leaderboard_of(team_id: int) -> TeamLeaderboard | None:
    """The team's choice; None while nobody has made one (the leaderboard is off)."""
    return db.session.get(TeamLeaderboard, team_id)


def set_leaderboard(actor: User, team: Team, *, enabled: bool, privacy: Privacy) -> bool:
    """Save the choice of a team's coach or an admin; False when it was already so (a repeated
    form changes nothing and logs nothing). Recorded in the security log: it decides who sees
    whose name."""
    require_change_leaderboard(actor, team)
    row = db.session.get(TeamLeaderboard, team.id, with_for_update=True)
    if row is not None and (row.enabled, row.privacy) == (enabled, privacy):
        return False
    if row is None:
        row = TeamLeaderboard(team_id=team.id)
        db.session.add(row)
    row.enabled = enabled
    row.privacy = privacy
    row.changed_by_id = actor.id
    row.changed_at = datetime.now(UTC).replace(tzinfo=None)
    state = f"on, {privacy.label.lower()}" if enabled else "off"
    record(
        EventKind.LEADERBOARD_CHANGED,
        actor=actor,
        subject_label=f"Team {team.name}",
        detail=f"Leaderboard {state}.",
    )
    db.session.flush()
    return True
