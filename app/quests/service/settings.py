"""Switching a team's leaderboard on or off and choosing who sees which names."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite

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
    row = _locked_row(team, privacy)
    if (row.enabled, row.privacy) == (enabled, privacy) and row.changed_by_id is not None:
        return False
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


def _locked_row(team: Team, privacy: Privacy) -> TeamLeaderboard:
    """The team's row, locked for this change; made first (off, changed by nobody) if missing.

    INSERT ... ON CONFLICT DO NOTHING: two first switches at once both find the one row instead
    of one failing on the primary key, and the later one then sees the earlier one's choice.
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    values = {
        "team_id": team.id,
        "enabled": False,
        "privacy": privacy,
        "changed_at": datetime.now(UTC).replace(tzinfo=None),
    }
    db.session.execute(
        dialect.insert(TeamLeaderboard.__table__).values(values).on_conflict_do_nothing()
    )
    row = db.session.get(TeamLeaderboard, team.id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row
