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


# How many reps of a part did it on time or not (the bool) with each ramp day (None: not
# ramped): what a comparison needs, counted in SQL for a thousand reps.
Counts = Mapping[tuple[bool, int | None], int]


def _group(counts: Counts, on_time: bool, shown: bool) -> GroupFigures:
    days = [day for done, day in counts if done is on_time and day is not None]
    ramped = sum(counts[(on_time, day)] for day in days)
    median = None
    if shown and ramped:
        # The median of every ramped rep's day: each day once per rep.
        median = float(statistics.median([d for d in days for _ in range(counts[(on_time, d)])]))
    reps = sum(n for (done, _day), n in counts.items() if done is on_time)
    return GroupFigures(reps=reps, ramped=ramped, median_days=median)


def compare(
    key: str, label: str, kind: str, doings: Iterable[Doing], minimum: int = DEFAULT_MINIMUM
) -> Comparison:
    """The on-time group against the rest, with medians only when both are large enough."""
    counts: dict[tuple[bool, int | None], int] = {}
    for doing in _one_per_rep(doings):
        group = (doing.on_time, doing.ramped_day)
        counts[group] = counts.get(group, 0) + 1
    return compare_counts(key, label, kind, counts, minimum)


def compare_counts(
    key: str, label: str, kind: str, counts: Counts, minimum: int = DEFAULT_MINIMUM
) -> Comparison:
    """:func:`compare` from the reps counted by (on time, ramp day), each rep once."""
    enough = all(
        sum(n for (done, day), n in counts.items() if done is side and day is not None)
        >= max(1, minimum)
        for side in (True, False)
    )
    return Comparison(
        key, label, kind, _group(counts, True, enough), _group(counts, False, enough), enough
    )


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
    return in_order(found)


def compare_all_counted(
    parts: Mapping[tuple[str, str], Counts],
    labels: Mapping[tuple[str, str], str],
    minimum: int = DEFAULT_MINIMUM,
) -> list[Comparison]:
    """:func:`compare_all` from each part's counts."""
    found = [
        compare_counts(key, labels.get((kind, key), key), kind, counts, minimum)
        for (kind, key), counts in parts.items()
    ]
    return in_order(found)


def in_order(found: list[Comparison]) -> list[Comparison]:
    return sorted(found, key=lambda c: (not c.enough, c.kind != "milestone", c.label, c.key))
