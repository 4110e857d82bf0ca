"""Quests, points and the leaderboard: services over the session, taking the acting user.

Modules: ``definitions`` (the current quests and points values), ``counting`` (what counts
towards the quests, for many reps in a fixed number of queries), ``standing`` (a team's reps
with their counts), ``access``, ``pages`` (what each page shows), ``settings`` (the leaderboard
switch) and ``completions`` (announcing quests reached).
"""

from app.quests.service.access import can_change_leaderboard, require_change_leaderboard
from app.quests.service.completions import record_completions
from app.quests.service.definitions import QuestAt, points_rules, quests_on
from app.quests.service.pages import (
    TEAM_SORTS,
    Board,
    MyQuests,
    QuestLine,
    TeamQuests,
    get_team,
    leaderboard,
    my_quests,
    team_quests,
)
from app.quests.service.settings import leaderboard_of, set_leaderboard

__all__ = [
    "TEAM_SORTS",
    "Board",
    "MyQuests",
    "QuestAt",
    "QuestLine",
    "TeamQuests",
    "can_change_leaderboard",
    "get_team",
    "leaderboard",
    "leaderboard_of",
    "my_quests",
    "points_rules",
    "quests_on",
    "record_completions",
    "require_change_leaderboard",
    "set_leaderboard",
    "team_quests",
]
