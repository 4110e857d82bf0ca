"""The demo's quests: Team North's leaderboard switched on (names hidden from peers) by its
coach, and the quests the demo reps have already reached announced, as the hourly job would."""

from __future__ import annotations

from datetime import date

from app.accounts.models import Team, User
from app.quests import service
from app.quests.leaderboard import Privacy


def seed_quests(coach: User, team: Team, today: date) -> None:
    service.set_leaderboard(coach, team, enabled=True, privacy=Privacy.HIDDEN)
    service.record_completions(today)
