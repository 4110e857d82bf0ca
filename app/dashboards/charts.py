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
# Heatmap bands, light to dark: (lowest percentage, class). The page's style sheet (app.css,
# ``.heatmap .heat-*``) fills each band and writes light text on the darkest, so a cell is a
# class, not a fill, a stroke and a font written out six hundred times on a big dashboard.
BANDS = ((0, "heat-low"), (50, "heat-some"), (75, "heat-most"), (90, "heat-top"))
TOP_BAND = BANDS[-1][1]
NOTHING_DUE = "heat-none"
HEAT_CELL = 30  # a heatmap column's width: whole numbers keep the coordinates short


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


def band(percent: int | None) -> str:
    """The class of a heatmap cell: darker green the more was done on time."""
    if percent is None:
        return NOTHING_DUE
    found = BANDS[0][1]
    for low, name in BANDS:
        if percent >= low:
            found = name
    return found


def heatmap(
    rows: Sequence[tuple[str, Sequence[int | None]]],
    columns: Sequence[str],
    *,
    title: str,
    description: str,
    chart_id: str,
) -> Markup:
    """A grid of percentages (None: nothing to count), each written in its cell.

    One group per row, moved down by a transform, holds the row's cells and one text whose
    spans write the numbers: the geometry and colours sit in app.css, so a cell costs about
    seventy bytes (a thousand reps' teams make some 650 cells).
    """
    if not rows:
        return Markup("")
    width = LABEL_WIDTH + HEAT_CELL * len(columns)
    height = (len(rows) + 1) * (BAR_HEIGHT + 2) + 4
    middles = [LABEL_WIDTH + number * HEAT_CELL + HEAT_CELL // 2 for number in range(len(columns))]
    parts = [
        f'<svg class="chart heatmap" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<text y="15">',
        *(
            f'<tspan x="{x}">{escape(name)}</tspan>'
            for x, name in zip(middles, columns, strict=True)
        ),
        "</text>",
    ]
    for index, (label, values) in enumerate(rows):
        parts.append(
            f'<g transform="translate(0 {(index + 1) * (BAR_HEIGHT + 2)})">'
            f'<text x="{LABEL_WIDTH - 8}" y="15" class="label">{escape(label[:22])}</text>'
        )
        numbers = []
        for x, value in zip(middles, values, strict=True):
            name = band(value)
            parts.append(
                f'<rect x="{x - HEAT_CELL // 2 + 1}" width="{HEAT_CELL - 2}" '
                f'height="{BAR_HEIGHT}" class="{name}"/>'
            )
            text = "\N{EN DASH}" if value is None else value
            ink = ' class="on-bar"' if name == TOP_BAND else ""  # white on dark green
            numbers.append(f'<tspan x="{x}"{ink}>{text}</tspan>')
        parts.append(f'<text y="15">{"".join(numbers)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def heatmap_cells(cells: Sequence[tuple[int, int]]) -> Markup:
    """The table's cells of one heatmap row, from (due, done on time) per week: the percentage
    and the counts, or a dash where nothing was due. Written here, not in the template, as
    they are numbers only and a thousand reps' teams make 650 of them."""
    parts = []
    for due, on_time in cells:
        if due:
            parts.append(f"<td>{round(100 * on_time / due)}% <small>({on_time}/{due})</small></td>")
        else:
            parts.append("<td>\N{EN DASH}</td>")
    return Markup("".join(parts))
