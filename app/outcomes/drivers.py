"""Which parts of the plan go with faster ramps: the maths, pure (no database).

For one part of the plan (a milestone, or a certification stage) the reps who did it split in
two groups: those who did it by its due date, and those who did it late or had not done it when
it fell due. Each group's ramp time is the median days to ramped of its reps who have ramped
(a rep who has not ramped yet has no ramp time; the share ramped is given beside it).

A comparison is shown only when each group has at least ``minimum`` reps with a ramp time:
a median of two people is an anecdote, and with one it is that person's figure. Even then it
is a correlation: reps who keep to the plan may be the ones who would have ramped faster anyway.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_MINIMUM = 5


@dataclass(frozen=True)
class Doing:
    """How one rep did one part of the plan, and their ramp day (None: not ramped yet)."""

    rep_id: int
    on_time: bool
    ramped_day: int | None


@dataclass(frozen=True)
class GroupFigures:
    """One side of a comparison; ``median_days`` is None unless the comparison is shown."""

    reps: int
    ramped: int
    median_days: float | None

    @property
    def share_ramped(self) -> float | None:
        return self.ramped / self.reps if self.reps else None


@dataclass(frozen=True)
class Comparison:
    """One part of the plan: its on-time reps against the others."""

    key: str
    label: str
    kind: str  # "milestone" or "certification"
    on_time: GroupFigures
    late: GroupFigures
    enough: bool  # both groups have at least the minimum of ramped reps

    @property
    def days_faster(self) -> float | None:
        """How many days sooner the on-time group's median ramp was (negative: later)."""
        if self.on_time.median_days is None or self.late.median_days is None:
            return None
        return self.late.median_days - self.on_time.median_days


def _one_per_rep(doings: Iterable[Doing]) -> list[Doing]:
    """Each rep once: the last word on a rep wins (a part is done once per plan)."""
    return list({doing.rep_id: doing for doing in doings}.values())


def _group(members: Sequence[Doing], shown: bool) -> GroupFigures:
    days = [d.ramped_day for d in members if d.ramped_day is not None]
    return GroupFigures(
        reps=len(members),
        ramped=len(days),
        median_days=float(statistics.median(days)) if shown and days else None,
    )


def compare(
    key: str, label: str, kind: str, doings: Iterable[Doing], minimum: int = DEFAULT_MINIMUM
) -> Comparison:
    """The on-time group against the rest, with medians only when both are large enough."""
    unique = _one_per_rep(doings)
    on_time = [d for d in unique if d.on_time]
    late = [d for d in unique if not d.on_time]
    enough = all(
        sum(1 for d in group if d.ramped_day is not None) >= max(1, minimum)
        for group in (on_time, late)
    )
    return Comparison(key, label, kind, _group(on_time, enough), _group(late, enough), enough)


def compare_all(
    parts: Mapping[tuple[str, str], Sequence[Doing]],
    labels: Mapping[tuple[str, str], str],
    minimum: int = DEFAULT_MINIMUM,
) -> list[Comparison]:
    """Every part (``(kind, key)``), the comparable ones first, then by label."""
    found = [
        compare(key, labels.get((kind, key), key), kind, doings, minimum)
        for (kind, key), doings in parts.items()
    ]
    return sorted(found, key=lambda c: (not c.enough, c.kind != "milestone", c.label, c.key))
