"""Server-side SVG line charts: no JavaScript, readable by screen readers, and they print.

Each chart carries a <title> and <desc>; the pages put a data table next to it as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36
# Distinguishable in colour and in print (each series also has its own marker shape).
COLOURS = ("#1f5fa8", "#d97706", "#15803d", "#7e22ce", "#404040", "#0e7490", "#be185d")
NUDGE = 3  # pixels between series that share a value, so no line hides another


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[date, float], ...]


def _x(day: date, first: date, last: date) -> float:
    span = (last - first).days or 1
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span


def _y(value: float, low: float, high: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / ((high - low) or 1))


def marker(shape: int, x: float, y: float, colour: str) -> str:
    """A series' marker: a circle, square or triangle, so series differ in print too."""
    if shape % 3 == 1:
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape % 3 == 2:
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    low: float,
    high: float,
    ticks: Sequence[tuple[float, str]],
    chart_id: str,
) -> Markup:
    """An SVG line chart of dated values between ``low`` and ``high``."""
    days = [day for s in series for day, _ in s.points]
    if not days:
        return Markup("")
    first, last = min(days), max(days)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for value, label in ticks:
        y = _y(value, low, high)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5dd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(label)}</text>"
        )
    for day in sorted({first, last}):
        anchor = "start" if day == first else "end"
        parts.append(
            f'<text x="{_x(day, first, last):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" '
            f'font-size="11">{day.day} {day:%b %Y}</text>'
        )
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        nudge = (index - (len(series) - 1) / 2) * NUDGE
        coords = [(_x(d, first, last), _y(v, low, high) + nudge) for d, v in s.points]
        parts.append(series_marks(s.name, index, coords, colour))
    parts.append("</svg>")
    return Markup("".join(parts))


def series_marks(name: str, index: int, coords: Sequence[tuple[float, float]], colour: str) -> str:
    """One series drawn: its line and markers, hidden from screen readers (the table has it)."""
    parts = [f'<g aria-hidden="true"><title>{escape(name)}</title>']
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    parts.extend(marker(index, x, y, colour) for x, y in coords)
    parts.append("</g>")
    return "".join(parts)


def legend(series: Sequence[Series]) -> list[tuple[str, Markup]]:
    """(name, its marker as a small SVG) per series, for a legend the template lists."""
    return [
        (
            s.name,
            Markup(
                '<svg width="12" height="12" viewBox="-6 -6 12 12" aria-hidden="true">'
                + marker(i, 0, 0, COLOURS[i % len(COLOURS)])
                + "</svg>"
            ),
        )
        for i, s in enumerate(series)
    ]
