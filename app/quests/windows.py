"""When a quest runs on a given day: pure date arithmetic, no database."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from app.curriculum.schema_numbers import QuestWindow


@dataclass(frozen=True)
class Window:
    """The days a quest counts, both ends included."""

    start: date
    end: date

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the end, today included; 0 once it has ended."""
        return max(0, (self.end - today).days + 1)


def window_on(window: QuestWindow, today: date) -> Window:
    """The quest's window that ``today`` falls in (or its fixed dates, whatever today is).

    ``every: week`` runs Monday to Sunday; ``every: month`` the calendar month.
    """
    if window.every == "week":
        monday = today - timedelta(days=today.weekday())
        return Window(monday, monday + timedelta(days=6))
    if window.every == "month":
        last = calendar.monthrange(today.year, today.month)[1]
        return Window(today.replace(day=1), today.replace(day=last))
    if window.start is None or window.end is None:  # the loader refuses such a file
        raise ValueError("a quest window needs 'every' or both 'start' and 'end'")
    return Window(window.start, window.end)
