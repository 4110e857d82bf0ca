"""The dashboards' charts as server-side SVG: no JavaScript, readable by screen readers, they print.

Each chart has a <title> and <desc>, and writes its numbers as text on the bars and cells, so
it never relies on colour alone; the pages put a data table beside every chart as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 560
LABEL_WIDTH = 150
BAR_HEIGHT = 22
GAP = 8
# Dark enough for white text (contrast above 4.5:1), and told apart by the labels in the bars.
SEGMENT_COLOURS = ("#15803d", "#b45309", "#b91c1c", "#475569", "#1f5fa8")
# Heatmap bands, light to dark, with the text class each needs (app.css: the page's style
# sheet colours chart text, so light text on the darkest band is a class, not an attribute).
BANDS = ((0, "#fee2e2", "ink-dark"), (50, "#fef3c7", "ink-dark"), (75, "#dcfce7", "ink-dark"))
TOP_BAND = (90, "#15803d", "on-bar")


@dataclass(frozen=True)
class Segment:
    name: str
    value: int


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def bar_chart(
    bars: Sequence[Bar], *, title: str, description: str, chart_id: str, scale: int | None = None
) -> Markup:
    """Horizontal bars, each split into segments (the same segment names on every bar), with
    each segment's number written on it when there is room and the bar's total at its end."""
    if not bars:
        return Markup("")
    longest = scale or max((bar.total for bar in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    room = WIDTH - LABEL_WIDTH - 48
    parts = _open(chart_id, title, description, height)
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(bar.label)}</text>"
        )
        x = float(LABEL_WIDTH)
        for number, segment in enumerate(bar.segments):
            width = room * segment.value / longest
            if width <= 0:
                continue
            colour = SEGMENT_COLOURS[number % len(SEGMENT_COLOURS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{colour}"><title>{escape(segment.name)}: {segment.value}</title></rect>'
            )
            if width >= 24:
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                    f'font-size="11" class="on-bar">{segment.value}</text>'
                )
            x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12">{bar.total}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(names: Sequence[str]) -> list[tuple[str, Markup]]:
    """(name, a swatch as a small SVG) per segment, in the bars' order, for the page to list."""
    return [
        (
            name,
            Markup(
                '<svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
                f'fill="{SEGMENT_COLOURS[index % len(SEGMENT_COLOURS)]}"/></svg>'
            ),
        )
        for index, name in enumerate(names)
    ]


def band(percent: int | None) -> tuple[str, str]:
    """(fill, text class) of a heatmap cell: darker green the more was done on time."""
    if percent is None:
        return "#ffffff", "ink-dark"
    if percent >= TOP_BAND[0]:
        return TOP_BAND[1], TOP_BAND[2]
    fill, ink = BANDS[0][1], BANDS[0][2]
    for low, band_fill, band_ink in BANDS:
        if percent >= low:
            fill, ink = band_fill, band_ink
    return fill, ink


def heatmap(
    rows: Sequence[tuple[str, Sequence[int | None]]],
    columns: Sequence[str],
    *,
    title: str,
    description: str,
    chart_id: str,
) -> Markup:
    """A grid of percentages (None: nothing to count), each written in its cell."""
    if not rows:
        return Markup("")
    cell_width = (WIDTH - LABEL_WIDTH) / max(len(columns), 1)
    height = (len(rows) + 1) * (BAR_HEIGHT + 2) + 4
    parts = _open(chart_id, title, description, height)
    for number, name in enumerate(columns):
        x = LABEL_WIDTH + (number + 0.5) * cell_width
        parts.append(f'<text x="{x:.1f}" y="15" text-anchor="middle" font-size="11">{name}</text>')
    for index, (label, values) in enumerate(rows):
        y = (index + 1) * (BAR_HEIGHT + 2)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label[:22])}</text>"
        )
        for number, value in enumerate(values):
            fill, ink = band(value)
            x = LABEL_WIDTH + number * cell_width
            text = "\N{EN DASH}" if value is None else f"{value}"
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y}" width="{cell_width - 2:.1f}" '
                f'height="{BAR_HEIGHT}" fill="{fill}" stroke="#d0d5dd"/>'
                f'<text x="{x + cell_width / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                f'font-size="11" class="{ink}">{text}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
