"""The dashboards' figures drawn as charts (plain values in, SVG out), one function per page."""

from __future__ import annotations

from markupsafe import Markup

from app.coaching.charts import Series, line_chart
from app.dashboards import charts
from app.dashboards.charts import Bar, Segment
from app.dashboards.service import FUNNEL, CoachPage, RampDashboard
from app.plans.status import RepStatus

CERTIFICATION_SEGMENTS = ("Passed", "Attempted, not passed", "Not yet")
COMMITMENT_SEGMENTS = ("Kept", "Partly kept", "Missed", "Not reviewed")


def ramp_charts(dashboard: RampDashboard) -> dict[str, Markup | list[tuple[str, Markup]]]:
    funnel = [
        Bar(status.value.capitalize(), (Segment(status.value, dashboard.funnel[status]),))
        for status in FUNNEL
    ]
    done = dashboard.funnel[RepStatus.COMPLETE]
    drawn: dict[str, Markup | list[tuple[str, Markup]]] = {
        "funnel": charts.bar_chart(
            funnel,
            title="Ramp funnel",
            description=", ".join(f"{b.label}: {b.total} reps" for b in funnel)
            + f"; {done} complete.",
            chart_id="funnel-chart",
        ),
        "heatmap": charts.heatmap(
            [(row.label, [cell.percent for cell in row.cells]) for row in dashboard.heatmap.rows],
            [f"W{week}" for week in dashboard.heatmap.weeks],
            title="Milestones done on time, by plan week",
            description=f"One row per {dashboard.heatmap.by}, one column per plan week: the "
            "percentage of the week's milestones, due by today, done on time. The table "
            "below gives the same figures.",
            chart_id="heatmap-chart",
        ),
        "certifications": charts.bar_chart(
            [
                Bar(
                    stage.name,
                    tuple(
                        Segment(name, value)
                        for name, value in zip(
                            CERTIFICATION_SEGMENTS,
                            (stage.passed, stage.attempted, stage.not_yet),
                            strict=True,
                        )
                    ),
                )
                for stage in dashboard.certifications
            ],
            title="Certification progress by stage",
            description="; ".join(
                f"{s.name}: {s.passed} passed, {s.attempted} attempted, {s.not_yet} not yet"
                for s in dashboard.certifications
            ),
            chart_id="certification-chart",
        ),
        "heatmap_rows": [
            (row.label, charts.heatmap_cells([(cell.due, cell.on_time) for cell in row.cells]))
            for row in dashboard.heatmap.rows
        ],
        "certification_legend": charts.legend(CERTIFICATION_SEGMENTS),
        "commitments": _commitments(dashboard),
        "commitment_legend": charts.legend(COMMITMENT_SEGMENTS),
    }
    return drawn


def _commitments(dashboard: RampDashboard) -> Markup:
    kept = dashboard.commitments
    values = (kept.kept, kept.partly, kept.missed, kept.open)
    bar = Bar(
        "Last 90 days",
        tuple(Segment(n, v) for n, v in zip(COMMITMENT_SEGMENTS, values, strict=True)),
    )
    return charts.bar_chart(
        [bar],
        title="Commitments due in the last 90 days",
        description=", ".join(
            f"{n}: {v}" for n, v in zip(COMMITMENT_SEGMENTS, values, strict=True)
        ),
        chart_id="commitment-chart",
    )


def coach_charts(page: CoachPage) -> Markup:
    """The coach's debriefs per rep per month against the target, over six months."""
    reps = page.row.reps or 1
    points = tuple((p.month, round(p.debriefs / reps, 2)) for p in page.months)
    target = float(page.row.targets.debriefs_per_rep_month)
    high = max([target + 1, *(value for _, value in points)])
    return line_chart(
        [
            Series("Debriefs per rep", points),
            Series("Target", tuple((p.month, target) for p in page.months)),
        ],
        title="Coaching cadence by month",
        description=f"Recorded debriefs per rep per month over six months, against the "
        f"target of {page.row.targets.debriefs_per_rep_month}. The table gives the figures.",
        low=0,
        high=high,
        ticks=[(0, "0"), (target, f"{target:g}"), (high, f"{high:g}")],
        chart_id="cadence-chart",
    )
