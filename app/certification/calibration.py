"""How far assessors agree: pure functions over the scores of attempts scored by several people.

* **Spread** of a criterion on one attempt is the highest minus the lowest score given to it.
  The report shows the mean and the largest spread per criterion over all attempts.
* **Lean** of an assessor is the mean of (their score minus the mean of the other assessors'
  scores) over every criterion of every shared attempt. At least +0.5 reads "scores higher
  than peers", at most -0.5 "scores lower than peers"; needs two shared attempts to be called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

LEAN_THRESHOLD = 0.5
MIN_SHARED_ATTEMPTS = 2

# One attempt: assessor id -> criterion key -> level.
AttemptScores = Mapping[int, Mapping[str, int]]


@dataclass(frozen=True)
class Spread:
    key: str
    attempts: int
    mean: float
    largest: int


@dataclass(frozen=True)
class Lean:
    assessor_id: int
    attempts: int
    scores: int
    mean_difference: float

    @property
    def label(self) -> str:
        if self.attempts < MIN_SHARED_ATTEMPTS:
            return "too few shared attempts to say"
        if self.mean_difference >= LEAN_THRESHOLD:
            return "scores higher than peers"
        if self.mean_difference <= -LEAN_THRESHOLD:
            return "scores lower than peers"
        return "in line with peers"


def spreads(attempts: Sequence[AttemptScores], keys: Sequence[str]) -> list[Spread]:
    """Per criterion, how far apart the assessors of the same attempt were."""
    result = []
    for key in keys:
        ranges = []
        for attempt in attempts:
            levels = [scores[key] for scores in attempt.values() if key in scores]
            if len(levels) >= 2:
                ranges.append(max(levels) - min(levels))
        if ranges:
            result.append(Spread(key, len(ranges), sum(ranges) / len(ranges), max(ranges)))
        else:
            result.append(Spread(key, 0, 0.0, 0))
    return result


def leans(attempts: Sequence[AttemptScores]) -> list[Lean]:
    """Per assessor, how much higher or lower they score than the others on the same attempts."""
    differences: dict[int, list[float]] = {}
    shared: dict[int, int] = {}
    for attempt in attempts:
        if len(attempt) < 2:
            continue
        for assessor, scores in attempt.items():
            others = [s for other, s in attempt.items() if other != assessor]
            counted = False
            for key, level in scores.items():
                peer_levels = [o[key] for o in others if key in o]
                if peer_levels:
                    peer_mean = sum(peer_levels) / len(peer_levels)
                    differences.setdefault(assessor, []).append(level - peer_mean)
                    counted = True
            if counted:
                shared[assessor] = shared.get(assessor, 0) + 1
    return sorted(
        (
            Lean(assessor, shared[assessor], len(diffs), sum(diffs) / len(diffs))
            for assessor, diffs in differences.items()
        ),
        key=lambda lean: -abs(lean.mean_difference),
    )
