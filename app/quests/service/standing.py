"""A team's reps with their points and quest counts: a fixed number of queries for any team."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from app.accounts.models import User
from app.extensions import db
from app.outcomes.service.gathering import RepFilters, reps_query
from app.quests.points import Engagement
from app.quests.progress import Progress, TeamProgress, personal_progress, team_progress
from app.quests.service.counting import Counts, count_quests
from app.quests.service.definitions import QuestAt


@dataclass(frozen=True)
class RepStanding:
    """One rep: who, their plan's role, what earns them points, and what they reached."""

    rep_id: int
    name: str
    role: str | None
    engagement: Engagement


@dataclass(frozen=True)
class Standing:
    """Every rep of a group, and what each reached in each quest."""

    reps: list[RepStanding]
    counts: Counts

    def progress(self, rep: RepStanding, quest: QuestAt) -> Progress | None:
        """The rep's progress in ``quest``; None when the quest is not for their role."""
        if not quest.is_for(rep.role):
            return None
        return personal_progress(self.counts.get((rep.rep_id, quest.key)), quest.target)

    def team(self, quest: QuestAt) -> TeamProgress:
        """A team quest over the reps it is for."""
        found = (self.progress(rep, quest) for rep in self.reps)
        return team_progress([progress for progress in found if progress is not None])


def members_of(team_id: int | None, rep: User | None = None) -> Select[Any]:
    """The active reps of a team; without a team, ``rep`` alone (a team of one)."""
    query = reps_query(None, RepFilters(team_id=team_id))
    return query.where(User.id == rep.id) if team_id is None and rep is not None else query


def standing_of(reps: Select[Any], quests: Sequence[QuestAt]) -> Standing:
    """The reps of ``reps`` (the outcomes' rep query) with their points' and quests' counts:
    one query for the reps, two to four for the counts."""
    found = [
        (rep_id, name, role)
        for rep_id, name, _team, _start, role, _plan in db.session.execute(reps)
    ]
    if not found:
        return Standing([], {})
    counted = count_quests(reps.with_only_columns(User.id).order_by(None), quests)
    return Standing(
        [
            RepStanding(rep_id, name, role, counted.engagement.get(rep_id, Engagement()))
            for rep_id, name, role in found
        ],
        counted.quests,
    )
