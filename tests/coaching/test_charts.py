"""Server-side SVG charts: accessible names, one marker per point, nothing unescaped."""

from __future__ import annotations

from datetime import date

from app.coaching.charts import Series, legend, line_chart


def chart(series):
    return line_chart(
        series,
        title="Scores <over> time",
        description="Levels 1 to 4",
        low=1,
        high=4,
        ticks=[(1, "1"), (4, "4")],
        chart_id="trend-x",
    )


def test_a_chart_has_a_title_a_description_and_a_marker_per_point() -> None:
    svg = str(
        chart(
            [
                Series("Questioning", ((date(2026, 3, 3), 2), (date(2026, 3, 10), 3))),
                Series("Listening", ((date(2026, 3, 3), 4),)),
            ]
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="trend-x-title trend-x-desc"' in svg
    assert '<title id="trend-x-title">Scores &lt;over&gt; time</title>' in svg
    assert svg.count("<circle") == 2 and svg.count("<rect") == 1
    assert svg.count("<polyline") == 1  # a single point draws no line
    assert "3 Mar 2026" in svg and "10 Mar 2026" in svg
    assert "style=" not in svg  # the CSP allows no inline styles


def test_no_points_no_chart() -> None:
    assert str(chart([Series("Empty", ())])) == ""


def test_the_legend_repeats_each_series_marker() -> None:
    names = [name for name, _ in legend([Series("A", ()), Series("B", ())])]
    assert names == ["A", "B"]
    assert "<rect" in str(legend([Series("A", ()), Series("B", ())])[1][1])
