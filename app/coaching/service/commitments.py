"""Following commitments through: what is open, reviewing each as kept, partly kept or missed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import once
from app.accounts.access import require_view_person
from app.accounts.models import User
from app.coaching.followthrough import Due, Outcome, closes, due_state
from app.coaching.models import Commitment, Debrief
from app.coaching.service.access import require_coach, require_view_commitment
from app.coaching.service.debriefs import debrief_link, now, rubric_of
from app.errors import Conflict, Invalid
from app.extensions import db
from app.lookup import get_or_not_found
from app.notifications.service import notify
from app.webhooks.models import EventType
from app.webhooks.service import record_event


@dataclass(frozen=True)
class OpenCommitment:
    commitment: Commitment
    due: Due


def commitments_of(actor: User, rep: User) -> list[Commitment]:
    """Every commitment of the rep, by due date."""
    require_view_person(actor, rep)
    query = (
        select(Commitment)
        .where(Commitment.rep_id == rep.id)
        .options(selectinload(Commitment.debrief))
        .order_by(Commitment.due_on, Commitment.id)
    )
    return list(db.session.scalars(query))


def commitments_of_reps(rep_ids: Sequence[int]) -> list[Commitment]:
    """Every commitment of these reps, by rep and due date, in one query (for exports: the
    caller has decided whose reps these are)."""
    query = (
        select(Commitment)
        .where(Commitment.rep_id.in_(rep_ids))
        .order_by(Commitment.rep_id, Commitment.due_on, Commitment.id)
    )
    return list(db.session.scalars(query))


def open_commitments(actor: User, rep: User, today: date) -> list[OpenCommitment]:
    """Not yet closed (never reviewed, or missed and kept visible), the most urgent first."""
    return [
        OpenCommitment(c, due_state(c.due_on, today))
        for c in commitments_of(actor, rep)
        if c.is_open
    ]


def open_commitments_of(debriefs: Iterable[Debrief], today: date) -> list[OpenCommitment]:
    """:func:`open_commitments` from the rep's debriefs, loaded with their commitments.

    A commitment is made in a debrief, for that debrief's rep, so the rep's debriefs hold all
    of the rep's commitments: no second query for them.
    """
    found = []
    for debrief in debriefs:
        for commitment in debrief.commitments:
            if commitment.is_open:
                # Linked now, while the debrief is at hand: a page reads it from the commitment.
                set_committed_value(commitment, "debrief", debrief)
                found.append(commitment)
    found.sort(key=lambda c: (c.due_on, c.id))
    return [OpenCommitment(c, due_state(c.due_on, today)) for c in found]


def criterion_name(commitment: Commitment) -> str | None:
    """The name of the criterion the commitment improves, on its debrief's rubric version."""
    rubric = rubric_of(commitment.debrief)
    if commitment.criterion_key is None or rubric is None:
        return commitment.criterion_key
    try:
        return rubric.criterion(commitment.criterion_key).name
    except KeyError:
        return commitment.criterion_key


def get_commitment(actor: User, commitment_id: int) -> Commitment:
    commitment = get_or_not_found(Commitment, commitment_id, "No such commitment.")
    require_view_commitment(actor, commitment)
    return commitment


def review_commitment(
    actor: User,
    commitment: Commitment,
    outcome: Outcome | None,
    note: str,
    close: bool = False,
    key: str | None = None,
) -> Commitment:
    """Kept and partly kept close the commitment; a missed one stays open unless closed too.

    Once per form (``key``); a repeat answers with the commitment as reviewed.
    """
    require_coach(actor, commitment.rep)
    if once.repeated(key, commitment, Commitment.closed_at):
        return commitment
    if not commitment.is_open:
        raise Conflict("This commitment is already closed.")
    if outcome is None:
        raise Invalid("Choose kept, partly kept or missed.", field="outcome")
    note = note.strip()
    if outcome is not Outcome.KEPT and not note:
        raise Invalid("Say what happened, so the next conversation starts from it.", field="note")
    commitment.outcome = outcome
    commitment.outcome_note = note
    commitment.reviewed_at = now()
    commitment.reviewed_by = actor
    if closes(outcome) or close:
        commitment.closed_at = commitment.reviewed_at
    if outcome is Outcome.MISSED:
        record_event(
            EventType.COMMITMENT_MISSED,
            {
                "commitment_id": commitment.id,
                "debrief_id": commitment.debrief_id,
                "rep_id": commitment.rep_id,
                "due_on": commitment.due_on.isoformat(),
                "closed": commitment.closed_at is not None,
                "reviewed_at": commitment.reviewed_at.isoformat(),
            },
        )
    notify(
        commitment.rep,
        "commitment-reviewed",
        f"{actor.full_name} marked your commitment \u201c{commitment.action[:80]}\u201d "
        f"{outcome.label.lower()}.",
        debrief_link(commitment.debrief_id),
    )
    db.session.flush()
    return commitment
