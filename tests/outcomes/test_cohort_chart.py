"""The cohort comparison on /outcomes/: a server-side SVG line chart, one line per start
cohort over ramp days 30 to 180, with a title, a description and a table of the same figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask.testing import FlaskClient

from app.accounts.models import Role, User
from app.outcomes.charts import MOST_COHORTS, curve_chart, curve_legend
from app.outcomes.cohorts import CohortCurve


def test_one_line_per_cohort_with_figures_and_gaps_left_out() -> None:
    curves = [
        CohortCurve("2026-01", 4, (0.0, 0.25, 0.5, 0.75)),
        CohortCurve("2026-06", 3, (0.0, 1 / 3, None, None)),  # not yet had 90 days
        CohortCurve("2026-11", 2, (None, None, None, None)),  # nothing to draw yet
    ]
    svg = str(curve_chart(curves))
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg
    assert '<title id="curves-title">' in svg and '<desc id="curves-desc">' in svg
    assert svg.count("<polyline") == 2
    assert "<title>2026-01</title>" in svg and "<title>2026-11</title>" not in svg
    assert [name for name, _marker in curve_legend(curves)] == ["2026-01", "2026-06"]


def test_only_the_newest_cohorts_are_drawn_and_none_without_figures() -> None:
    curves = [CohortCurve(f"2025-{m:02d}", 1, (0.5, 1.0, 1.0, 1.0)) for m in range(1, 13)]
    assert str(curve_chart(curves)).count("<polyline") == MOST_COHORTS
    assert "2025-12" in str(curve_chart(curves)) and "2025-01" not in str(curve_chart(curves))
    assert str(curve_chart([CohortCurve("2026-11", 1, (None,) * 4)])) == ""


def test_the_outcomes_page_draws_the_cohorts_and_tables_their_shares(
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
    login: Callable[[User], FlaskClient],
) -> None:
    make_rep(day_of_ramp=200)
    make_rep(day_of_ramp=40)
    page = login(make_user(Role.HR)).get("/outcomes/")
    assert page.status_code == 200
    assert '<title id="curves-title">' in page.text
    table = page.text.split('class="table table-sm w-auto curves-table"')[1].split("</table>")[0]
    older = (date.today() - timedelta(days=199)).strftime("%Y-%m")
    row = table.split(f'<th scope="row">{older}</th>')[1].split("</tr>")[0]
    # Nobody ramped (no figures): 0% of the older cohort by each day its rep has had.
    assert row.count("0%") >= 3
