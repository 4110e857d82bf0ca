"""The dashboards' SVG charts: titled, described, numbers written as text, never colour alone."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.dashboards.charts import Bar, Segment, band, bar_chart, heatmap

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
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["W1", "W2", "W3", "North", "100", "\N{EN DASH}", "40"]


def test_heatmap_bands_darken_with_the_share_done_on_time():
    assert band(None)[0] == "#ffffff"
    fills = [band(p)[0] for p in (0, 49, 50, 75, 90, 100)]
    assert fills[0] == fills[1] != fills[2] != fills[3] != fills[4] == fills[5]
    assert band(95)[1] == "on-bar" and band(10)[1] == "ink-dark"


def test_empty_charts_draw_nothing():
    assert str(bar_chart([], title="t", description="d", chart_id="x")) == ""
    assert str(heatmap([], ["W1"], title="t", description="d", chart_id="x")) == ""
