"""The minimum group size: results are shown for at least this many respondents, or not at all.

Five, as HR survey practice commonly uses: below it, an average is close to one person's answer
and the people in a small team can tell whose it was. Pages say "fewer than 5 answers" instead.
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_GROUP = 5


def shown(ratings: Sequence[int]) -> float | None:
    """The average of ``ratings`` when there are enough of them to show; None otherwise."""
    if len(ratings) < MIN_GROUP:
        return None
    return round(sum(ratings) / len(ratings), 2)
