"""The activity SalesRamp records, and how the CRMs' activity reports name it.

Each metric is one column of ``activity_figures``; the curriculum names them in a number
milestone's ``actuals`` (``app.curriculum.schema.ActivityMetric``), so the two lists must agree
(a test says so). Pure data: no database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.curriculum.fields import ACTIVITY_METRICS


class Unit(enum.StrEnum):
    COUNT = "count"
    MONEY = "money"  # stored in cents, shown in whole units
    MINUTES = "minutes"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: Unit
    # Shown on the rep's own log form (a CRM records the rest: opportunities, deals, revenue).
    logged: bool = False

    @property
    def column(self) -> str:
        """The column of ``activity_figures`` holding it (revenue in cents)."""
        return "revenue_cents" if self.unit is Unit.MONEY else self.key


METRICS: tuple[Metric, ...] = (
    Metric("dials", "Dials", Unit.COUNT, logged=True),
    Metric("conversations", "Conversations", Unit.COUNT, logged=True),
    Metric("meetings_booked", "Meetings booked", Unit.COUNT, logged=True),
    Metric("meetings_held", "Meetings held", Unit.COUNT, logged=True),
    Metric("opportunities", "Opportunities created", Unit.COUNT),
    Metric("deals_won", "Deals won", Unit.COUNT),
    Metric("revenue", "Revenue won", Unit.MONEY),
    Metric("call_minutes", "Time on calls", Unit.MINUTES, logged=True),
    Metric("meeting_minutes", "Time in meetings", Unit.MINUTES, logged=True),
    Metric("selling_minutes", "Other selling time", Unit.MINUTES, logged=True),
)
BY_KEY = {metric.key: metric for metric in METRICS}
assert tuple(BY_KEY) == ACTIVITY_METRICS, "the catalogue and the curriculum's metrics differ"

# Ramp months are 30-day blocks from the start date (month 1 is days 1-30), as in the plans'
# targets; the outcomes and the activity summaries count them the same way.
RAMP_MONTH_DAYS = 30
# The metrics whose first non-zero day is an outcome (first meeting, opportunity, deal).
FIRST_METRICS: tuple[str, ...] = ("meetings_held", "opportunities", "deals_won")


class Period(enum.StrEnum):
    """How long one row of a source covers: a CRM report grouped by day or by week."""

    DAY = "day"
    WEEK = "week"  # Monday to Sunday, stored as its Monday


class RepMatch(enum.StrEnum):
    """How a row names its rep: the CRM user's email, or the owner's full name."""

    EMAIL = "email"
    NAME = "name"


# strftime patterns the mapping offers, with how a person would describe them.
DATE_FORMATS: dict[str, str] = {
    "%Y-%m-%d": "2026-11-02 (year-month-day)",
    "%m/%d/%Y": "11/2/2026 (month/day/year, US)",
    "%d/%m/%Y": "2/11/2026 (day/month/year)",
    "%d.%m.%Y": "2.11.2026 (day.month.year)",
}


@dataclass(frozen=True)
class Preset:
    """A CRM's own column names, to propose a mapping for a file that uses them."""

    name: str
    rep_match: RepMatch
    rep_column: str
    date_column: str
    period: Period
    date_format: str
    columns: dict[str, str]

    def fits(self, headers: list[str]) -> bool:
        """The file has this CRM's rep and date columns (its metric columns may vary)."""
        return {self.rep_column, self.date_column} <= set(headers)


PRESETS: tuple[Preset, ...] = (
    # HubSpot: a custom report on Calls and Meetings, grouped by activity date and assigned user.
    Preset(
        name="HubSpot",
        rep_match=RepMatch.EMAIL,
        rep_column="Activity assigned to (email)",
        date_column="Activity date",
        period=Period.DAY,
        date_format="%Y-%m-%d",
        columns={
            "dials": "Calls logged",
            "conversations": "Connected calls",
            "meetings_booked": "Meetings booked",
            "meetings_held": "Meetings completed",
            "opportunities": "Deals created",
            "deals_won": "Deals closed won",
            "revenue": "Closed won amount",
            "call_minutes": "Call duration (minutes)",
            "meeting_minutes": "Meeting duration (minutes)",
        },
    ),
    # Salesforce: an Activities with Opportunities summary report, grouped by week and owner,
    # exported as "Details only" CSV.
    Preset(
        name="Salesforce",
        rep_match=RepMatch.NAME,
        rep_column="Assigned",
        date_column="Week Starting",
        period=Period.WEEK,
        date_format="%m/%d/%Y",
        columns={
            "dials": "Calls",
            "conversations": "Calls Connected",
            "meetings_booked": "Meetings Scheduled",
            "meetings_held": "Meetings Held",
            "opportunities": "Opportunities Created",
            "deals_won": "Closed Won",
            "revenue": "Closed Won Amount",
            "call_minutes": "Call Duration (mins)",
            "meeting_minutes": "Meeting Duration (mins)",
        },
    ),
)


def preset_for(headers: list[str]) -> Preset | None:
    """The CRM whose export these column names look like, if any."""
    return next((preset for preset in PRESETS if preset.fits(headers)), None)
