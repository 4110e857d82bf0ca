"""How far a quest is: pure rules over what was counted, so they can be tested exhaustively.

A personal quest compares one rep's count with the goal's target. A team quest is done when
every rep it is for (the team's reps, of the quest's role when it names one) has reached the
goal; a team with nobody it is for has nothing to do, so its quest is not done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """One rep's progress: ``count`` of ``target`` (``count`` may pass the target)."""

    count: float
    target: float

    @property
    def done(self) -> bool:
        return self.count >= self.target

    @property
    def percent(self) -> int:
        """Share of the target reached, 0 to 100 (rounded down, so 100 means done)."""
        if self.target <= 0:
            return 100
        return max(0, min(100, int(100 * self.count // self.target)))


@dataclass(frozen=True)
class TeamProgress:
    """A team quest's progress: how many of the reps it is for have reached the goal."""

    reached: int
    members: int

    @property
    def done(self) -> bool:
        return self.members > 0 and self.reached == self.members

    @property
    def percent(self) -> int:
        return 100 * self.reached // self.members if self.members else 0


def personal_progress(count: float | None, target: float) -> Progress:
    """A rep's progress; nothing counted yet (no figures reported) is zero."""
    return Progress(max(0.0, float(count or 0)), float(target))


def team_progress(progresses: Sequence[Progress]) -> TeamProgress:
    """A team quest from the progress of each rep it is for."""
    return TeamProgress(sum(1 for progress in progresses if progress.done), len(progresses))
