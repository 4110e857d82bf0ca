"""The dashboards' SVG charts: titled, described, numbers written as text, never colour alone."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from app.dashboards.charts import Bar, Segment, band, bar_chart, heatmap, heatmap_cells

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_a_bar_chart_is_titled_described_and_writes_its_numbers():
    bars = [Bar("On track", (Segment("on track", 12),)), Bar("At risk", (Segment("at risk", 3),))]
    svg = _parse(bar_chart(bars, title="Ramp funnel", description="12 and 3", chart_id="f"))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "f-title f-desc"
    assert svg.find(f"{SVG}title").text == "Ramp funnel"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"On track", "At risk", "12", "3"} <= set(texts)


def test_a_heatmap_writes_each_cell_and_a_dash_where_nothing_was_due():
    svg = _parse(
        heatmap([("North", [100, None, 40])], ["W1", "W2", "W3"], title="t", description="d",
                chart_id="h")
    )  # fmt: skip
    assert svg.get("aria-labelledby") == "h-title h-desc"
    texts = [t.text for t in svg.iter() if t.tag in (f"{SVG}text", f"{SVG}tspan") and t.text]
    assert texts == ["W1", "W2", "W3", "North", "100", "\N{EN DASH}", "40"]
    cells = [rect.get("class") for rect in svg.iter(f"{SVG}rect")]
    assert cells == ["heat-top", "heat-none", "heat-low"]
    light = [t.text for t in svg.iter(f"{SVG}tspan") if t.get("class") == "on-bar"]
    assert light == ["100"]  # white text on the darkest band only


def test_the_heatmap_table_gives_each_weeks_share_and_counts():
    cells = str(heatmap_cells([(3, 2), (0, 0), (4, 4)]))
    assert cells == (
        "<td>67% <small>(2/3)</small></td><td>\N{EN DASH}</td><td>100% <small>(4/4)</small></td>"
    )


def test_heatmap_bands_darken_with_the_share_done_on_time():
    assert band(None) == "heat-none"
    bands = [band(p) for p in (0, 49, 50, 75, 89, 90, 100)]
    assert bands == ["heat-low", "heat-low", "heat-some", "heat-most", "heat-most", "heat-top",
                     "heat-top"]  # fmt: skip
    css = (Path(__file__).parents[2] / "static" / "css" / "app.css").read_text()
    assert all(f".heatmap rect.{name} {{ fill:" in css for name in set(bands))


def test_empty_charts_draw_nothing():
    assert str(bar_chart([], title="t", description="d", chart_id="x")) == ""
    assert str(heatmap([], ["W1"], title="t", description="d", chart_id="x")) == ""
