"""Quests, engagement points and the opt-in team leaderboard."""
