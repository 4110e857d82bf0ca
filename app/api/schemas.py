"""What the API reads and writes, as pydantic models: the OpenAPI document is built from these.

Each response model has an ``of`` constructor from what a feature's service returned, so a
view is a lookup, a service call and one of these. Dates are ISO 8601 days; times are UTC
(``Z``). Nothing here reads the database beyond what the service already loaded.
"""

import datetime as dt
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from app.accounts.models import User
from app.agreements.models import Agreement
from app.certification.models import CertificationAttempt
from app.certification.service import Certification
from app.metrics.models import FIGURE_COLUMNS
from app.metrics.service import Week
from app.plans.models import Milestone
from app.plans.service import RampSummary

MAX_ROWS = 10_000


def _utc(value: datetime) -> str:
    """Stored times are naive UTC: say so, with a ``Z``."""
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


UtcTime = Annotated[datetime, PlainSerializer(_utc, return_type=str, when_used="json")]


class Closed(BaseModel):
    """Exactly what the document says, no field beyond it: in answers, and in requests (a
    mistyped ``perpage=10`` is a 422 naming it, not silently the default)."""

    model_config = ConfigDict(extra="forbid")


# --- errors -------------------------------------------------------------------------------


class Problem(Closed):
    """RFC 9457 problem details: every error under /api/v1 is one, never an HTML page."""

    type: str = Field("about:blank", description="A URI naming the kind of problem.")
    title: str = Field(description="The HTTP status in words.")
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="What went wrong, for a person to read.")
    errors: list[str] | None = Field(
        None, description="Each refused row, by number and reason (the first 500)."
    )
    error_count: int | None = Field(None, description="How many rows were refused in all.")


# --- pages --------------------------------------------------------------------------------


class PageQuery(Closed):
    page: int = Field(1, ge=1, le=1_000_000, description="Which page, from 1.")
    per_page: int = Field(50, ge=1, le=200, description="Items a page, at most 200.")


class Links(Closed):
    self: str
    first: str
    last: str
    next: str | None = None
    prev: str | None = None


class Paged(Closed):
    total: int = Field(ge=0, description="Items in the whole list.")
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    pages: int = Field(ge=1)
    links: Links


# --- people -------------------------------------------------------------------------------


class Person(Closed):
    id: int
    full_name: str
    email: str
    job_title: str
    roles: list[Literal["rep", "coach", "hr", "admin"]]
    active: bool
    start_date: date | None
    timezone: str
    team: str | None
    coach_id: int | None
    coach_name: str | None

    @classmethod
    def of(cls, user: User) -> "Person":
        return cls(
            id=user.id,
            full_name=user.full_name,
            email=user.email,
            job_title=user.job_title,
            roles=sorted(role.value for role in user.roles),
            active=user.active,
            start_date=user.start_date,
            timezone=user.timezone,
            team=user.team.name if user.team else None,
            coach_id=user.coach_id,
            coach_name=user.coach.full_name if user.coach else None,
        )


class PeoplePage(Paged):
    items: list[Person]


# --- plans --------------------------------------------------------------------------------


class MilestoneOut(Closed):
    id: int
    key: str
    phase: int = Field(ge=1, le=3)
    title: str
    measure: str = Field(description="checkbox, number, certification or meeting.")
    target: float | None
    unit: str
    certification_stage: str | None
    due_day: int
    due_date: date
    requires_verification: bool
    status: Literal["open", "submitted", "done"]
    state: Literal[
        "done", "awaiting verification", "overdue", "due this week", "upcoming", "on hold"
    ]
    value: float | None
    submitted_at: UtcTime | None
    completed_at: UtcTime | None

    @classmethod
    def of(cls, milestone: Milestone, summary: RampSummary) -> "MilestoneOut":
        return cls(
            id=milestone.id,
            key=milestone.key,
            phase=milestone.phase,
            title=milestone.title,
            measure=milestone.measure_kind.value,
            target=milestone.target,
            unit=milestone.unit,
            certification_stage=milestone.certification_stage,
            due_day=milestone.due_day,
            due_date=milestone.due_date,
            requires_verification=milestone.requires_verification,
            status=milestone.status.value,
            state=summary.states[milestone.id].value,
            value=milestone.value,
            submitted_at=milestone.submitted_at,
            completed_at=milestone.completed_at,
        )


class PhaseOut(Closed):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    number: int
    name: str
    first_day: int
    last_day: int
    done: int
    total: int


class PlanOut(Closed):
    """The rep's current plan and how far along it is; ``plan`` is null without one."""

    rep_id: int
    status: Literal["no plan", "on track", "behind", "at risk", "complete", "paused"]
    template_key: str | None
    template_version: int | None
    title: str | None
    start_date: date | None
    end_date: date | None
    day_of_ramp: int
    done: int
    total: int
    percent_done: int = Field(ge=0, le=100)
    phases: list[PhaseOut]
    milestones: list[MilestoneOut]

    @classmethod
    def of(cls, summary: RampSummary) -> "PlanOut":
        plan = summary.plan
        return cls(
            rep_id=summary.rep.id,
            status=summary.status.value,
            template_key=plan.template.template_key if plan else None,
            template_version=plan.template.version if plan else None,
            title=plan.template.title if plan else None,
            start_date=plan.start_date if plan else None,
            end_date=plan.end_date if plan else None,
            day_of_ramp=summary.day,
            done=summary.done,
            total=summary.total,
            percent_done=summary.percent,
            phases=[PhaseOut.model_validate(phase) for phase in summary.phases],
            milestones=[MilestoneOut.of(m, summary) for m in (plan.milestones if plan else [])],
        )


# --- certifications -----------------------------------------------------------------------


class AttemptOut(Closed):
    """One attempt; its result only once decided (assessors score blind until then)."""

    id: int
    opened_at: UtcTime
    decided: bool
    decided_at: UtcTime | None
    assessed_on: date | None
    passed: bool | None
    weighted_average: float | None
    explanation: str
    expires_on: date | None
    next_attempt_from: date | None

    @classmethod
    def of(cls, attempt: CertificationAttempt) -> "AttemptOut":
        decided = attempt.is_decided
        return cls(
            id=attempt.id,
            opened_at=attempt.opened_at,
            decided=decided,
            decided_at=attempt.decided_at,
            assessed_on=attempt.assessed_on,
            passed=attempt.passed if decided else None,
            weighted_average=attempt.weighted_average if decided else None,
            explanation=attempt.explanation if decided else "",
            expires_on=attempt.expires_on if decided else None,
            next_attempt_from=attempt.next_attempt_from if decided else None,
        )


class CertificationOut(Closed):
    stage: str
    stage_name: str
    status: Literal[
        "not started", "self-assessed", "being assessed", "passed", "not passed", "expired"
    ]
    expires_on: date | None
    next_attempt_from: date | None
    due_date: date | None
    attempts: list[AttemptOut]

    @classmethod
    def of(cls, certification: Certification) -> "CertificationOut":
        return cls(
            stage=certification.stage,
            stage_name=certification.stage_name,
            status=certification.status.value,
            expires_on=certification.reading.expires_on,
            next_attempt_from=certification.reading.next_attempt_from,
            due_date=certification.due_date,
            attempts=[AttemptOut.of(a) for a in certification.attempts],
        )


class Certifications(Closed):
    rep_id: int
    items: list[CertificationOut]


# --- commitments --------------------------------------------------------------------------


class CommitmentOut(Closed):
    """Read from the commitment's own attributes (``open`` is its ``is_open``)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    id: int
    debrief_id: int
    action: str
    measure: str
    due_on: date
    criterion_key: str | None
    open: bool = Field(validation_alias="is_open")
    outcome: Literal["kept", "partly", "missed"] | None
    outcome_note: str
    reviewed_at: UtcTime | None
    closed_at: UtcTime | None


class CommitmentsPage(Paged):
    rep_id: int
    items: list[CommitmentOut]


# --- activity -----------------------------------------------------------------------------


class Figures(Closed):
    """A period's figures; null is "not reported", not zero. Revenue in cents."""

    dials: int | None = None
    conversations: int | None = None
    meetings_booked: int | None = None
    meetings_held: int | None = None
    opportunities: int | None = None
    deals_won: int | None = None
    revenue_cents: int | None = None
    call_minutes: int | None = None
    meeting_minutes: int | None = None
    selling_minutes: int | None = None


assert tuple(Figures.model_fields) == FIGURE_COLUMNS, "the API's figures and the table differ"


class WeekOut(Closed):
    week_start: date = Field(description="The Monday.")
    week_end: date = Field(description="The Sunday.")
    imported: Figures | None = Field(description="From CRM imports; null: none this week.")
    logged: Figures | None = Field(description="Logged by the rep; null: none this week.")

    @classmethod
    def of(cls, week: Week) -> "WeekOut":
        by_origin = {origin.value: values for origin, values in week.by_origin.items()}
        return cls(
            week_start=week.start,
            week_end=week.end,
            imported=_figures(by_origin.get("crm")),
            logged=_figures(by_origin.get("self")),
        )


def _figures(values: dict[str, int | None] | None) -> Figures | None:
    """The service's totals are by metric key (``revenue``, in cents): by column here."""
    if values is None:
        return None
    return Figures(**{("revenue_cents" if k == "revenue" else k): v for k, v in values.items()})


class ActivityQuery(Closed):
    weeks: int = Field(12, ge=1, le=104, description="How many weeks back, this one included.")


class Activity(Closed):
    rep_id: int
    weeks: list[WeekOut] = Field(description="Newest first.")


class ActivityRow(Closed):
    """One rep's figures for one day or week from the CRM; omitted metrics are not reported."""

    rep_email: str = Field(min_length=3, max_length=254)
    date: dt.date = Field(description="The day, or for weekly sources any day of the week.")
    dials: int | None = Field(None, ge=0, le=2_000_000_000)
    conversations: int | None = Field(None, ge=0, le=2_000_000_000)
    meetings_booked: int | None = Field(None, ge=0, le=2_000_000_000)
    meetings_held: int | None = Field(None, ge=0, le=2_000_000_000)
    opportunities: int | None = Field(None, ge=0, le=2_000_000_000)
    deals_won: int | None = Field(None, ge=0, le=2_000_000_000)
    revenue: float | None = Field(
        None, ge=0, le=10_000_000_000, description="Won, in whole currency units (12500.50)."
    )
    call_minutes: int | None = Field(None, ge=0, le=2_000_000_000)
    meeting_minutes: int | None = Field(None, ge=0, le=2_000_000_000)
    selling_minutes: int | None = Field(None, ge=0, le=2_000_000_000)


class ActivityPush(Closed):
    """A CRM's figures, all imported or none; they replace what the source said for the
    periods they cover (a rep's row for a covered period that is not sent is removed)."""

    source: str = Field(min_length=1, max_length=60, description="The CRM, e.g. HubSpot.")
    period: Literal["day", "week"] = Field(description="What one row covers.")
    rows: list[ActivityRow] = Field(min_length=1, max_length=MAX_ROWS)


class ImportResult(Closed):
    source: str
    period: Literal["day", "week"]
    rows: int
    added: int
    replaced: int
    removed: int
    unchanged: int


# --- agreements ---------------------------------------------------------------------------


class AgreementOut(Closed):
    """An agreement's status and dates; its document is not in the API."""

    id: int
    title: str
    kind: Literal["expectation", "consequence", "notice"]
    status: Literal["draft", "sent", "signed_by_rep", "completed", "declined", "voided"]
    sent_at: UtcTime | None
    rep_signed_at: UtcTime | None
    completed_at: UtcTime | None
    closed_at: UtcTime | None
    awaiting: list[Literal["rep", "hr", "coach"]] = Field(description="Signatures still due.")

    @classmethod
    def of(cls, agreement: Agreement) -> "AgreementOut":
        return cls(
            id=agreement.id,
            title=agreement.title,
            kind=agreement.kind.value,
            status=agreement.status.value,
            sent_at=agreement.sent_at,
            rep_signed_at=agreement.rep_signed_at,
            completed_at=agreement.completed_at,
            closed_at=agreement.closed_at,
            awaiting=[s.role.value for s in agreement.awaited_signers],
        )


class Agreements(Closed):
    rep_id: int
    items: list[AgreementOut]
