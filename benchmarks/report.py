"""How ``make bench`` reports: one ``BENCH`` line per figure, readable by a script.

``BENCH <name> <value> <unit> target <op> <limit> <PASS|FAIL>``
"""

from __future__ import annotations

import operator
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

COMPARE = {"<": operator.lt, "<=": operator.le}


@dataclass(frozen=True)
class Figure:
    """One measured figure and the target it is held to."""

    name: str
    value: float
    unit: str
    op: str
    limit: float

    @property
    def passed(self) -> bool:
        return COMPARE[self.op](self.value, self.limit)

    def line(self) -> str:
        value = f"{self.value:.0f}" if self.unit in ("queries", "KB") else f"{self.value:.2f}"
        verdict = "PASS" if self.passed else "FAIL"
        return f"BENCH {self.name} {value} {self.unit} target {self.op} {self.limit:g} {verdict}"


def emit(figure: Figure) -> Figure:
    print(figure.line(), flush=True)
    return figure


def note(text: str) -> None:
    """A human-readable line between the figures (scripts read only the BENCH lines)."""
    print(f"# {text}", flush=True)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def alternating_medians(
    rounds: int, first: Callable[[], object], second: Callable[[], object]
) -> tuple[float, float]:
    """Median times of two actions run in turn, so a busy moment weighs on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        times[0].append(timed(first))
        times[1].append(timed(second))
    return statistics.median(times[0]), statistics.median(times[1])


def p95(times: list[float]) -> float:
    """The 95th percentile (the slowest time when there are few)."""
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[-1]
