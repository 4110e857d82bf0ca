"""When a buddy check-in is due, which ones were missed, and when a run of misses is a lapse.

Pure functions, no database, so the rules can be tested exhaustively (``tests/buddies``).

The cadence is a list of periods of the ramp, each ``(last day, days between check-ins)``;
the default is weekly in the first month, every two weeks in the second and monthly in the
third: ``30:7,60:14,90:30``. Within a period the check-ins fall every ``interval`` days after
the period's first day: days 7, 14, 21 and 28 of the ramp, then 44 and 58, then 90 (day 0 is
the plan's start date).

A check-in due on ``d`` is *kept* by a check-in held after the previous one's window closed and
at most ``grace`` days after ``d``: the windows follow each other without gaps or overlaps, so
every check-in held counts towards exactly one due date. A due date whose window has closed
with no check-in in it is *missed*; two or more missed in a row are a *lapse*, named by its
first missed date, which stays the same while the run goes on (so the coach hears once). A
miss belongs to one lapse at most: the windows that closed while a lapse was open are never
counted again, even when a check-in back-dated into one of them later splits the run.
The grace is kept shorter than the shortest interval (:func:`usable_grace`), so a check-in
held on a due date always counts for that date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_CADENCE = "30:7,60:14,90:30"
LAPSE_AFTER_MISSES = 2


@dataclass(frozen=True)
class Period:
    """Check-ins every ``interval`` days until day ``last_day`` of the ramp."""

    last_day: int
    interval: int


@dataclass(frozen=True)
class Cadence:
    periods: tuple[Period, ...]

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("a cadence needs at least one period")
        previous = 0
        for period in self.periods:
            if period.interval < 1 or period.last_day <= previous:
                raise ValueError("each period ends after the one before and has an interval >= 1")
            previous = period.last_day

    @property
    def last_day(self) -> int:
        return self.periods[-1].last_day

    def describe(self) -> str:
        """The cadence in words, for the pages that explain it."""
        parts = []
        first = 1
        for period in self.periods:
            every = "weekly" if period.interval == 7 else f"every {period.interval} days"
            parts.append(f"{every} from day {first} to day {period.last_day}")
            first = period.last_day + 1
        return "; ".join(parts)


def usable_grace(cadence: Cadence, grace: int) -> int:
    """``grace`` days, at most one less than the cadence's shortest interval (and never < 0)."""
    return max(0, min(grace, min(p.interval for p in cadence.periods) - 1))


def parse_cadence(text: str) -> Cadence:
    """``"30:7,60:14,90:30"`` as a :class:`Cadence`; ValueError saying what is wrong."""
    periods = []
    for part in text.split(","):
        last_day, sep, interval = part.strip().partition(":")
        if not sep:
            raise ValueError(f"cadence period {part.strip()!r} is not LAST_DAY:INTERVAL")
        try:
            periods.append(Period(int(last_day), int(interval)))
        except ValueError:
            raise ValueError(f"cadence period {part.strip()!r} is not two whole numbers") from None
    return Cadence(tuple(periods))


def due_days(cadence: Cadence) -> list[int]:
    """The days of the ramp (counted from the start date, day 0) a check-in falls due."""
    days: list[int] = []
    first = 0
    for period in cadence.periods:
        days.extend(range(first + period.interval, period.last_day + 1, period.interval))
        first = period.last_day
    return days


def due_dates(cadence: Cadence, plan_start: date, paired_on: date | None = None) -> list[date]:
    """The dates check-ins fall due for a plan started on ``plan_start``; with ``paired_on``,
    only those after the pairing began (a buddy is not held to the weeks before it)."""
    dates = [plan_start + timedelta(days=day) for day in due_days(cadence)]
    return [d for d in dates if paired_on is None or d > paired_on]


def window_of(due: Sequence[date], held_on: date, grace: int) -> date | None:
    """The due date a check-in held on ``held_on`` counts towards; None after the last one's
    window (the programme is over)."""
    for each in due:
        if held_on <= each + timedelta(days=grace):
            return each
    return None


def missed(due: Sequence[date], held: Iterable[date], today: date, grace: int) -> list[date]:
    """The due dates whose window has closed (today is past due + grace) without a check-in."""
    kept = {window_of(due, day, grace) for day in held}
    return [d for d in due if today > d + timedelta(days=grace) and d not in kept]


def lapse_start(
    due: Sequence[date],
    held: Iterable[date],
    today: date,
    grace: int,
    told_through: date | None = None,
) -> date | None:
    """The first missed date of the run of misses ending with the latest closed window, when
    the run is at least :data:`LAPSE_AFTER_MISSES` long; None otherwise.

    ``told_through`` is the last due date an earlier lapse of the pairing already covered
    (:func:`covered_through`): those misses were raised once and count towards no other
    lapse, so a check-in back-dated into a missed window, which shortens the run from its
    start, cannot make the rest of the same run a second lapse.
    """
    misses = set(missed(due, held, today, grace))
    closed = [d for d in due if today > d + timedelta(days=grace)]
    run: list[date] = []
    for d in reversed(closed):
        if d not in misses or (told_through is not None and d <= told_through):
            break
        run.append(d)
    return run[-1] if len(run) >= LAPSE_AFTER_MISSES else None


def covered_through(
    due: Sequence[date], grace: int, first_missed_on: date, until: date
) -> date | None:
    """The last due date a lapse raised from ``first_missed_on`` covered: every window that
    closed while it was open, ``until`` the day it was resolved (or today, while open)."""
    covered = [d for d in due if d >= first_missed_on and until > d + timedelta(days=grace)]
    return covered[-1] if covered else None


def told_through(
    due: Sequence[date], grace: int, lapses: Iterable[tuple[date, date | None]], today: date
) -> date | None:
    """The last due date any of a pairing's earlier lapses covered (``lapses`` as their first
    missed date and the day they were resolved, None while open): the ``told_through`` of
    :func:`lapse_start`."""
    covered = [
        covered_through(due, grace, first_missed_on, resolved_on or today)
        for first_missed_on, resolved_on in lapses
    ]
    return max((each for each in covered if each is not None), default=None)


def next_due(due: Sequence[date], held: Iterable[date], today: date, grace: int) -> date | None:
    """The earliest due date whose window is still open and not yet kept."""
    kept = {window_of(due, day, grace) for day in held}
    return next((d for d in due if today <= d + timedelta(days=grace) and d not in kept), None)
