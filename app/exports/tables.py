"""The tables managers read, as exports: All reps, certifications, commitments, activity.

Each builder reads the page's own query arguments and calls the same services as the page,
so the rows are the page's rows (every page of them) and the values are the page's values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from app.accounts.models import User
from app.certification import service as certification
from app.certification.scoring import format_score
from app.coaching import service as coaching
from app.exports.registry import Column, Export, Kind, Table, register
from app.lookup import parse_id
from app.metrics import service as metrics
from app.metrics.catalogue import METRICS, Metric, Unit
from app.pagination import PageRequest
from app.plans import service as plans
from app.plans.status import RepStatus

# A page request large enough for every rep: the matrix's builder pages in SQL like the page.
EVERYONE = 10**9
METRIC_WEEKS = 53  # a year of weeks, this one included


def team_filters(args: Mapping[str, str]) -> plans.TeamFilters:
    """The All reps page's filters, read from its query arguments as the page reads them."""
    status = args.get("status", "")
    return plans.TeamFilters(
        team_id=parse_id(args.get("team")),
        coach_id=parse_id(args.get("coach")),
        status=RepStatus(status) if status in set(RepStatus) else None,
        search=(args.get("q") or "").strip()[:100],
    )


def _team_rows(actor: User, args: Mapping[str, str]) -> list[plans.RepRow]:
    page_request = PageRequest.from_args(args, plans.TEAM_SORTS, default_sort="name")
    return plans.sorted_team_rows(actor, team_filters(args), page_request)


def reps_table(actor: User, args: Mapping[str, str], today: date) -> Table:
    """All reps: status, day of ramp, overdue and waiting milestones, each phase's progress."""
    rows = _team_rows(actor, args)
    phase_columns = [
        column
        for number, first, last in plans.PHASES
        for column in (
            Column(f"phase{number}", f"Days {first}\u2013{last} %", Kind.PERCENT, 14),
            Column(f"phase{number}_done", f"Days {first}\u2013{last} done", Kind.INTEGER, 14),
            Column(
                f"phase{number}_total", f"Days {first}\u2013{last} milestones", Kind.INTEGER, 16
            ),
        )
    ]
    columns = [
        Column("rep", "Rep", width=28),
        Column("status", "Status", width=12),
        Column("day", "Day", Kind.INTEGER, 8),
        Column("overdue", "Overdue", Kind.INTEGER, 10),
        Column("to_verify", "To verify", Kind.INTEGER, 10),
        *phase_columns,
    ]
    return Table(columns, (_rep_line(row) for row in rows))


def _rep_line(row: plans.RepRow) -> dict[str, Any]:
    line: dict[str, Any] = {"rep": row.full_name, "status": row.status.value.capitalize()}
    if not row.has_plan:
        return line
    line.update(day=row.day, overdue=row.overdue, to_verify=row.to_verify)
    for phase in row.phases:
        line[f"phase{phase.number}"] = phase.percent
        line[f"phase{phase.number}_done"] = phase.done
        line[f"phase{phase.number}_total"] = phase.total
    return line


def certifications_table(actor: User, args: Mapping[str, str], today: date) -> Table:
    """The certification matrix: each rep's status on each stage, best score, dates."""
    filters = certification.MatrixFilters(
        team_id=parse_id(args.get("team")), stage=args.get("stage", "")
    )
    asked = PageRequest.from_args(args, sortable=("name",), default_sort="name")
    everyone = PageRequest(1, EVERYONE, asked.sort, asked.descending, asked.search)
    overview = certification.team_certifications(actor, today, filters, everyone)
    columns = [Column("rep", "Rep", width=28)]
    for key in overview.stage_keys:
        name = overview.stage_names[key]
        columns += [
            Column(f"{key}:status", f"{name}: status", width=16),
            Column(f"{key}:best", f"{name}: best score", Kind.NUMBER, 12),
            Column(f"{key}:expires", f"{name}: valid until or expired", Kind.DATE, 14),
            Column(f"{key}:due", f"{name}: due", Kind.DATE, 12),
        ]

    def lines() -> Iterator[dict[str, Any]]:
        for rep in overview.reps:
            line: dict[str, Any] = {"rep": rep.full_name}
            for key in overview.stage_keys:
                cell = overview.cells[rep.id, key]
                line[f"{key}:status"] = cell.status.value.capitalize()
                if cell.best_average:
                    line[f"{key}:best"] = float(format_score(cell.best_average))
                line[f"{key}:expires"] = cell.reading.expires_on
                if cell.status != "passed":
                    line[f"{key}:due"] = cell.due_date
            yield line

    return Table(columns, lines())


def commitments_table(actor: User, args: Mapping[str, str], today: date) -> Table:
    """Every commitment of the reps on the All reps page (its filters), by rep and due date."""
    rows = _team_rows(actor, args)
    names = {row.rep_id: row.full_name for row in rows}
    found = coaching.commitments_of_reps(list(names))
    order = {rep_id: index for index, rep_id in enumerate(names)}
    found.sort(key=lambda c: (order[c.rep_id], c.due_on, c.id))
    columns = [
        Column("rep", "Rep", width=28),
        Column("action", "Commitment", width=40),
        Column("measure", "Measure", width=30),
        Column("due_on", "Due", Kind.DATE, 12),
        Column("outcome", "Outcome", width=12),
        Column("note", "Outcome note", width=40),
        Column("reviewed_on", "Reviewed", Kind.DATE, 12),
        Column("closed_on", "Closed", Kind.DATE, 12),
    ]
    lines = (
        {
            "rep": names[c.rep_id],
            "action": c.action,
            "measure": c.measure,
            "due_on": c.due_on,
            "outcome": c.outcome.label if c.outcome else "Not reviewed",
            "note": c.outcome_note,
            "reviewed_on": c.reviewed_at.date() if c.reviewed_at else None,
            "closed_on": c.closed_at.date() if c.closed_at else None,
        }
        for c in found
    )
    return Table(columns, lines)


def activity_table(actor: User, args: Mapping[str, str], today: date) -> Table:
    """Activity per rep per week, imported and logged apart, for the last year of weeks."""
    rows = _team_rows(actor, args)
    names = {row.rep_id: row.full_name for row in rows}
    last = metrics.monday_of(today)
    first = last - timedelta(weeks=METRIC_WEEKS - 1)
    totals = metrics.weekly_totals(list(names), first, last)
    order = {rep_id: index for index, rep_id in enumerate(names)}
    totals.sort(key=lambda t: (order[t[0]], -t[1].toordinal(), t[2].value))
    columns = [
        Column("rep", "Rep", width=28),
        Column("week", "Week starting", Kind.DATE, 14),
        Column("origin", "From", width=22),
        *(_metric_column(metric) for metric in METRICS),
    ]
    lines = (
        {
            "rep": names[rep_id],
            "week": week,
            "origin": origin.label,
            **{m.key: _metric_value(m, values[m.key]) for m in METRICS},
        }
        for rep_id, week, origin, values in totals
    )
    return Table(columns, lines)


def _metric_column(metric: Metric) -> Column:
    if metric.unit is Unit.MONEY:
        return Column(metric.key, metric.label, Kind.NUMBER, 14)
    if metric.unit is Unit.MINUTES:
        return Column(metric.key, f"{metric.label} (minutes)", Kind.INTEGER, 14)
    return Column(metric.key, metric.label, Kind.INTEGER, 12)


def _metric_value(metric: Metric, value: int | None) -> float | int | None:
    if value is None or metric.unit is not Unit.MONEY:
        return value
    return value / 100  # stored in cents, shown in whole units as on the page


see_team = plans.require_see_team
register(Export("reps", "All reps", reps_table, "plans.team", see_team))
register(
    Export("certifications", "Certifications", certifications_table, "certification.team", see_team)
)
register(Export("commitments", "Commitments", commitments_table, "plans.team", see_team))
register(Export("activity", "Activity by week", activity_table, "plans.team", see_team))
