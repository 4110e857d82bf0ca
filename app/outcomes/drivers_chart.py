"""The "which parts of the plan go with faster ramps" chart: server-side SVG, two bars a part.

Each comparable part (both groups large enough) gets a pair of horizontal bars, the median days
to ramp of the reps who did it on time and of the others, with the number written after each
bar, so the chart never relies on colour; the page puts the same figures in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from app.coaching.charts import COLOURS
from app.outcomes.drivers import Comparison

WIDTH = 560
LABEL_WIDTH = 190
BAR_HEIGHT = 14
PAIR_GAP = 14
GROUPS = (("On time", COLOURS[0]), ("Late or not done", COLOURS[1]))


def _short(label: str, most: int = 30) -> str:
    return label if len(label) <= most else label[: most - 1] + "\u2026"


def drivers_chart(comparisons: Sequence[Comparison]) -> Markup:
    """Median days to ramp, on time against the others, for each comparison with enough reps."""
    shown = [c for c in comparisons if c.enough]
    if not shown:
        return Markup("")
    longest = max(max(c.on_time.median_days or 0, c.late.median_days or 0) for c in shown) or 1.0
    pair = 2 * BAR_HEIGHT + PAIR_GAP
    height = len(shown) * pair + PAIR_GAP
    room = WIDTH - LABEL_WIDTH - 56
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        'aria-labelledby="drivers-title drivers-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="drivers-title">Median days to ramp: did it on time against did not</title>',
        '<desc id="drivers-desc">For each milestone and certification stage with enough reps in '
        "both groups, two bars: the median days to ramp of the reps who did it by its due date, "
        "then of those who did it late or not at all. Shorter is faster. A correlation, not a "
        "cause. The table below has the same figures.</desc>",
    ]
    for index, comparison in enumerate(shown):
        top = PAIR_GAP + index * pair
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{top + BAR_HEIGHT + 4}" text-anchor="end" '
            f'font-size="12">{escape(_short(comparison.label))}'
            f"<title>{escape(comparison.label)}</title></text>"
        )
        for number, (group, (name, colour)) in enumerate(
            zip((comparison.on_time, comparison.late), GROUPS, strict=True)
        ):
            days = group.median_days or 0
            y = top + number * BAR_HEIGHT
            width = room * days / longest
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" '
                f'fill="{colour}"><title>{escape(name)}: {days:g} days</title></rect>'
                f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR_HEIGHT - 3}" '
                f'font-size="11">{days:g}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def drivers_legend() -> list[tuple[str, Markup]]:
    """(group, its swatch) in the bars' order, for the page to list beside the chart."""
    return [
        (
            name,
            Markup(
                '<svg width="12" height="12" aria-hidden="true">'
                f'<rect width="12" height="12" fill="{colour}"/></svg>'
            ),
        )
        for name, colour in GROUPS
    ]
