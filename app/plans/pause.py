"""Pause arithmetic for leave: pure functions, no database.

A pause runs from its first day up to, not including, the day the rep is back (``back_on``):
half-open, so a pause with ``back_on == first_day`` lasts zero days and two pauses that touch
(one's ``back_on`` is the other's ``first_day``) do not share a day.

The rule the README documents: while a plan is paused the rep's clock stops. Every milestone
still open when the pause is recorded moves by the pause's length, so one due during the leave
gets back the days the rep was away, one due later keeps its distance from the rep's return, and
one already late is exactly as late after the leave as before it (the days away are not counted
against the rep). Resuming early gives the unused days back: open milestones move back by them.
Overlapping pauses count each day once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, order=True)
class Pause:
    """Leave from ``first_day`` (paused) to ``back_on`` (the first day counted again)."""

    first_day: date
    back_on: date

    def __post_init__(self) -> None:
        if self.back_on < self.first_day:
            raise ValueError("a pause ends on or after the day it starts")

    @classmethod
    def inclusive(cls, first_day: date, last_day: date) -> Pause:
        """A pause given as its first and last days of leave, as a person says it."""
        return cls(first_day, last_day + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.back_on - self.first_day).days

    @property
    def last_day(self) -> date:
        """The last day of leave, as a person says it (the day before ``back_on``)."""
        return self.back_on - timedelta(days=1)

    def covers(self, day: date) -> bool:
        return self.first_day <= day < self.back_on

    def overlaps(self, other: Pause) -> bool:
        """Share at least one day (touching pauses do not; a zero-length one never does)."""
        return self.first_day < other.back_on and other.first_day < self.back_on

    def resumed_on(self, day: date) -> Pause:
        """This pause ended early: back on ``day`` (clamped to the pause, so never longer)."""
        return Pause(self.first_day, min(max(day, self.first_day), self.back_on))


def merged(pauses: Iterable[Pause]) -> list[Pause]:
    """The pauses as disjoint, sorted spans: overlapping and touching ones joined, empty dropped."""
    spans: list[Pause] = []
    for pause in sorted(p for p in pauses if p.days):
        if spans and pause.first_day <= spans[-1].back_on:
            last = spans.pop()
            pause = Pause(last.first_day, max(last.back_on, pause.back_on))
        spans.append(pause)
    return spans


def paused_days(pauses: Iterable[Pause]) -> int:
    """How many distinct days the pauses cover."""
    return sum(span.days for span in merged(pauses))


def is_paused(pauses: Iterable[Pause], day: date) -> bool:
    """Whether the rep's clock is stopped on ``day``."""
    return any(pause.covers(day) for pause in pauses)


def shifted_due_date(due: date, pauses: Iterable[Pause]) -> date:
    """Where an open milestone's due date lands once the pauses are recorded."""
    return due + timedelta(days=paused_days(pauses))


def days_counted(since: date, today: date, pauses: Iterable[Pause]) -> int:
    """Days from ``since`` (included) to ``today`` (excluded) that were not paused.

    What a rule such as "at risk for 14 days" counts: the days of leave are skipped.
    """
    if today <= since:
        return 0
    window = Pause(since, today)
    inside = (
        Pause(max(p.first_day, since), min(p.back_on, today)) for p in pauses if window.overlaps(p)
    )
    return window.days - paused_days(inside)


def early_return_days(pause: Pause, back_on: date) -> int:
    """The unused days of a pause ended early on ``back_on``: what open milestones move back by."""
    return pause.days - pause.resumed_on(back_on).days
