"""Debriefs: recording and reading them, the rep's reflection, the coach's notes and scores,
SMART commitments, acknowledgement and the rep's follow-up."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app import once
from app.accounts.access import require_view_person
from app.accounts.models import User
from app.certification import service as certification
from app.coaching.models import REFLECTION_QUESTIONS, Commitment, Debrief, DebriefKind, DebriefScore
from app.coaching.service.access import (
    require_answer_debrief,
    require_ask_for_debrief,
    require_coach,
    require_view_debrief,
)
from app.curriculum.models import ScenarioTemplate
from app.curriculum.schema import Rubric, Scenario
from app.curriculum.service import current_versions, stage_names
from app.errors import ChangedMeanwhile, Conflict, Invalid, NotFound
from app.extensions import db
from app.lookup import get_or_not_found
from app.notifications.service import notify
from app.pagination import Page, PageRequest, paginate_query

MAX_COMMITMENTS = 5
RECENT_DAYS = 30  # how far back a rep may date a debrief they ask for


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def debrief_link(debrief_id: int) -> str:
    """Where a notification about a debrief points (tests check it matches the route)."""
    return f"/coaching/debriefs/{debrief_id}"


# --- scenarios -------------------------------------------------------------------------------

_SCENARIOS: dict[str, Scenario] = {}


def scenario_spec(row: ScenarioTemplate) -> Scenario:
    """The stored scenario version as its validated data class (versions never change)."""
    spec = _SCENARIOS.get(row.content_hash)
    if spec is None:
        spec = _SCENARIOS[row.content_hash] = Scenario.model_validate(row.content)
    return spec


def current_scenarios(stage: str | None = None) -> list[ScenarioTemplate]:
    criteria = () if stage is None else (ScenarioTemplate.stage == stage,)
    order = (ScenarioTemplate.stage, ScenarioTemplate.title)
    return current_versions(ScenarioTemplate, *criteria, order_by=order)


# --- creating and reading --------------------------------------------------------------------


@dataclass(frozen=True)
class DebriefSetup:
    """What the coach chooses before the session: when, what kind, which stage and scenario."""

    held_on: date
    kind: DebriefKind
    stage: str | None = None
    scenario_key: str | None = None


def _new_debrief(rep: User, coach: User | None, setup: DebriefSetup) -> Debrief:
    """A debrief with its stage, scenario and the rubric version it will be scored on."""
    stage = setup.stage or None
    if stage is not None and stage not in stage_names():
        raise Invalid("Choose one of the sales stages.", field="stage")
    if setup.kind is DebriefKind.ROLE_PLAY and stage is None:
        raise Invalid("A role-play practises one sales stage: choose it.", field="stage")
    scenario = None
    if setup.scenario_key:
        scenario = next(
            (r for r in current_scenarios(stage) if r.scenario_key == setup.scenario_key), None
        )
        if scenario is None:
            raise Invalid("Choose a scenario of the debrief's stage.", field="scenario")
    rubric = None
    if stage is not None:
        try:
            rubric = certification.rubric_for(rep, stage)
        except NotFound:
            rubric = None  # a stage without a rubric: a debrief without scores
    debrief = Debrief(
        rep=rep,
        coach=coach,
        held_on=setup.held_on,
        kind=setup.kind,
        stage=stage,
        scenario=scenario,
        rubric=rubric,
        created_at=now(),
    )
    db.session.add(debrief)
    return debrief


def create_debrief(actor: User, rep: User, setup: DebriefSetup, today: date) -> Debrief:
    """A debrief waiting for the coach's notes; the rep is asked to answer the questions first."""
    require_coach(actor, rep)
    debrief = _new_debrief(rep, actor, setup)
    db.session.flush()
    when = "today" if setup.held_on == today else f"on {setup.held_on.day} {setup.held_on:%b}"
    notify(
        rep,
        "debrief-prepare",
        f"{actor.full_name} opened a {setup.kind.label.lower()} debrief {when}: "
        "answer the reflection questions first.",
        debrief_link(debrief.id),
    )
    return debrief


def start_debrief(
    actor: User, setup: DebriefSetup, answers: Mapping[str, str], today: date
) -> Debrief:
    """A rep asks their coach for a debrief (a call they want to review), answering first."""
    require_ask_for_debrief(actor)
    if setup.held_on < today - timedelta(days=RECENT_DAYS):
        raise Invalid(f"Choose a date in the last {RECENT_DAYS} days or later.", field="held_on")
    debrief = _new_debrief(actor, actor.coach, setup)
    db.session.flush()
    return answer_reflection(actor, debrief, answers)


def get_debrief(actor: User, debrief_id: int) -> Debrief:
    debrief = get_or_not_found(Debrief, debrief_id, "No such debrief.")
    require_view_debrief(actor, debrief)
    return debrief


def _debriefs_query(rep: User) -> Select[tuple[Debrief]]:
    """The rep's debriefs, newest first, with their scores and commitments."""
    return (
        select(Debrief)
        .where(Debrief.rep_id == rep.id)
        .options(selectinload(Debrief.scores), selectinload(Debrief.commitments))
        .order_by(Debrief.held_on.desc(), Debrief.id.desc())
    )


def debriefs_of(actor: User, rep: User) -> list[Debrief]:
    """Newest first."""
    require_view_person(actor, rep)
    return list(db.session.scalars(_debriefs_query(rep)))


def debriefs_page(actor: User, rep: User, request: PageRequest) -> Page[Debrief]:
    """A page of the rep's debriefs, newest first, scores and commitments loaded with it."""
    require_view_person(actor, rep)
    return paginate_query(_debriefs_query(rep), request)


def rubric_of(debrief: Debrief) -> Rubric | None:
    return certification.rubric_spec(debrief.rubric) if debrief.rubric is not None else None


# --- the rep's reflection --------------------------------------------------------------------


def answer_reflection(
    actor: User, debrief: Debrief, answers: Mapping[str, str], version: int | None = None
) -> Debrief:
    """The rep's answers, before the coach records theirs (so the rep gets there themselves).

    ``version`` is the debrief's version the form was loaded with: an edit from a page older
    than someone else's save is refused rather than overwriting it.
    """
    require_answer_debrief(actor, debrief)
    _lock_at(debrief, version)
    if debrief.is_recorded:
        raise Conflict("Your coach has recorded this debrief; add a follow-up instead.")
    cleaned = {key: (answers.get(key) or "").strip() for key, _ in REFLECTION_QUESTIONS}
    if not any(cleaned.values()):
        raise Invalid("Answer at least one of the questions.", field="went_well")
    for key, text in cleaned.items():
        setattr(debrief, f"rep_{key}", text)
    debrief.rep_answered_at = now()
    if debrief.coach is not None:
        notify(
            debrief.coach,
            "debrief-answered",
            f"{actor.full_name} answered the reflection questions for the "
            f"{debrief.kind.label.lower()} debrief of {debrief.held_on.day} {debrief.held_on:%b}.",
            debrief_link(debrief.id),
        )
    db.session.flush()
    return debrief


# --- the coach's record ----------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentEntry:
    """One SMART commitment as entered; ``row`` names the form row for messages."""

    action: str
    measure: str
    due_on: date | None
    criterion: str | None = None
    row: int = 0


@dataclass
class DebriefRecord:
    notes: Mapping[str, str] = field(default_factory=dict)  # went_well, better, differently
    scores: Mapping[str, int | None] = field(default_factory=dict)
    comments: Mapping[str, str] = field(default_factory=dict)
    commitments: Sequence[CommitmentEntry] = ()


def check_commitment(entry: CommitmentEntry, today: date, rubric: Rubric | None) -> None:
    """SMART: a specific action, how it is measured, a due date in the future."""
    prefix = f"commitments-{entry.row}-"
    if not entry.action.strip():
        raise Invalid("Say what the rep will do.", field=prefix + "action")
    if not entry.measure.strip():
        raise Invalid("Say how you will both know it was done.", field=prefix + "measure")
    if entry.due_on is None:
        raise Invalid("Give the date it is due.", field=prefix + "due_on")
    if entry.due_on <= today:
        raise Invalid("The due date must be in the future.", field=prefix + "due_on")
    if entry.criterion:
        keys = [c.key for c in rubric.criteria] if rubric else []
        if entry.criterion not in keys:
            raise Invalid("Choose a criterion of this stage's rubric.", field=prefix + "criterion")


def record_debrief(
    actor: User,
    debrief: Debrief,
    record: DebriefRecord,
    today: date,
    key: str | None = None,
    version: int | None = None,
) -> Debrief:
    """The coach's notes, optional scores and the commitments; the rep is notified.

    Once per form (``key``): a repeat answers with the recorded debrief, and nothing twice.
    """
    require_coach(actor, debrief.rep)
    if once.first_submission(key) is not None:
        db.session.refresh(debrief)
        return debrief
    _lock_at(debrief, version)
    if debrief.is_recorded:
        raise Conflict("This debrief is already recorded.")
    rubric = rubric_of(debrief)
    if not record.commitments:
        raise Invalid("End the debrief with at least one commitment.")
    if len(record.commitments) > MAX_COMMITMENTS:
        raise Invalid(f"Keep it to {MAX_COMMITMENTS} commitments at most: focus helps.")
    for entry in record.commitments:
        check_commitment(entry, today, rubric)
    given = {key: level for key, level in record.scores.items() if level is not None}
    if given and rubric is None:
        raise Invalid("This debrief has no rubric to score on.")
    if rubric is not None:
        for position, criterion in enumerate(rubric.criteria):
            level = given.pop(criterion.key, None)
            if level is None:
                continue
            if level not in rubric.levels:
                raise Invalid(
                    f"Choose one of the levels {rubric.levels[0]}-{rubric.levels[-1]}.",
                    field=certification.score_field(criterion.key),
                )
            debrief.scores.append(
                DebriefScore(
                    criterion_key=criterion.key,
                    position=position,
                    level=level,
                    comment=(record.comments.get(criterion.key) or "").strip(),
                )
            )
        if given:
            raise Invalid(f"Unknown criterion: {', '.join(sorted(given))}.")
    for key, _ in REFLECTION_QUESTIONS:
        setattr(debrief, f"coach_{key}", (record.notes.get(key) or "").strip())
    for entry in record.commitments:
        debrief.commitments.append(
            Commitment(
                rep=debrief.rep,
                action=entry.action.strip(),
                measure=entry.measure.strip(),
                due_on=entry.due_on,
                criterion_key=entry.criterion or None,
            )
        )
    debrief.coach = debrief.coach or actor
    debrief.recorded_at = now()
    notify(
        debrief.rep,
        "debrief-recorded",
        f"New debrief from {actor.full_name}: read it and acknowledge it.",
        debrief_link(debrief.id),
    )
    db.session.flush()
    return debrief


# --- the rep's side afterwards ---------------------------------------------------------------


# Features above coaching that may hold an acknowledgement back (disputes: the notes are
# disputed) register a check here by name; it returns why not, or None. Coaching imports none.
AcknowledgementHold = Callable[[Debrief], str | None]
_ACKNOWLEDGEMENT_HOLDS: dict[str, AcknowledgementHold] = {}


def hold_acknowledgement_when(name: str, hold: AcknowledgementHold) -> None:
    """Register (or replace, on a re-import) a reason a recorded debrief cannot be acknowledged."""
    _ACKNOWLEDGEMENT_HOLDS[name] = hold


def acknowledge(actor: User, debrief: Debrief) -> Debrief:
    """The rep read the recorded debrief; a second click changes nothing."""
    require_answer_debrief(actor, debrief)
    _lock_at(debrief)
    if debrief.acknowledged_at is not None:
        return debrief
    if not debrief.is_recorded:
        raise Conflict("Your coach has not recorded this debrief yet.")
    for hold in _ACKNOWLEDGEMENT_HOLDS.values():
        reason = hold(debrief)
        if reason is not None:
            raise Conflict(reason)
    if debrief.acknowledged_at is not None:
        raise Conflict("You have already acknowledged this debrief.")
    debrief.acknowledged_at = now()
    db.session.flush()
    return debrief


def add_follow_up(actor: User, debrief: Debrief, text: str) -> Debrief:
    """The rep's own words on what changed since: "You coached me on X; I changed Y"."""
    require_answer_debrief(actor, debrief)
    _lock_at(debrief)
    if not debrief.is_recorded:
        raise Conflict("Your coach has not recorded this debrief yet.")
    if not text.strip():
        raise Invalid("Write what you changed since the debrief.", field="follow_up")
    debrief.follow_up = text.strip()
    debrief.follow_up_at = now()
    if debrief.coach is not None:
        notify(
            debrief.coach,
            "debrief-follow-up",
            f"{actor.full_name} added a follow-up to the debrief of "
            f"{debrief.held_on.day} {debrief.held_on:%b}.",
            debrief_link(debrief.id),
        )
    db.session.flush()
    return debrief


def _lock_at(debrief: Debrief, version: int | None = None) -> None:
    """Take the debrief's lock, reloaded; refuse if it moved on from the form's ``version``."""
    once.lock(debrief, Debrief.recorded_at)
    if version is not None and version != debrief.row_version:
        raise ChangedMeanwhile(
            "Someone else changed this debrief after you opened it. "
            "Here is the current version: check it and save again."
        )
