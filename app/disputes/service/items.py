"""The items a rep can acknowledge or dispute, read the same way whatever their kind."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import User
from app.certification import service as certification
from app.certification.models import CertificationAttempt, ScoreCorrection
from app.coaching import service as coaching
from app.coaching.models import Debrief
from app.curriculum.service import stage_names
from app.disputes.models import ItemKind
from app.errors import Conflict, NotAllowed
from app.extensions import db
from app.lookup import get_or_not_found

LABEL_LENGTH = 200


@dataclass(frozen=True)
class Item:
    """One disputable item: whose it is, what to call it, where it is shown."""

    kind: ItemKind
    id: int
    rep: User
    label: str
    link: str
    attempt: CertificationAttempt | None = None  # a certification's, or a correction's


def find_item(kind: ItemKind, item_id: int) -> Item:
    """The item as the rep sees it; 404 if none, 409 if the rep cannot see it yet."""
    if kind == ItemKind.CERTIFICATION:
        attempt = get_or_not_found(CertificationAttempt, item_id, "No such certification.")
        return _certification(attempt)
    if kind == ItemKind.CORRECTION:
        correction = get_or_not_found(ScoreCorrection, item_id, "No such score correction.")
        return _correction(correction)
    debrief = get_or_not_found(Debrief, item_id, "No such debrief.")
    if not debrief.is_recorded:
        raise Conflict("The coach has not recorded this debrief's notes yet.")
    label = f"{debrief.kind.label} debrief of {debrief.held_on:%-d %b %Y}"
    return Item(kind, debrief.id, debrief.rep, label, coaching.debrief_link(debrief.id))


def item_link(kind: ItemKind, item_id: int) -> str:
    """Where a disputed item is shown (a correction: on its certification attempt)."""
    if kind == ItemKind.CERTIFICATION:
        return certification.attempt_link(item_id)
    if kind == ItemKind.DEBRIEF:
        return coaching.debrief_link(item_id)
    correction = db.session.get(ScoreCorrection, item_id)
    if correction is None:  # removed with its attempt since
        return "/certifications"
    return certification.attempt_link(correction.score.assessment.attempt_id)


def require_own_item(actor: User, item: Item) -> None:
    """Only the rep acknowledges or disputes what was recorded about them."""
    if actor.id != item.rep.id:
        raise NotAllowed("Only the rep can acknowledge or dispute their own records.")


def _certification(attempt: CertificationAttempt) -> Item:
    if not attempt.is_decided:
        raise Conflict("This certification has no result yet.")
    stage = stage_names().get(attempt.stage, attempt.stage)
    result = "passed" if attempt.passed else "not passed"
    when = attempt.decided_at
    label = f"{stage} certification of {when:%-d %b %Y}: {result}" if when else stage
    link = certification.attempt_link(attempt.id)
    return Item(ItemKind.CERTIFICATION, attempt.id, attempt.rep, label, link, attempt)


def _correction(correction: ScoreCorrection) -> Item:
    attempt = correction.score.assessment.attempt
    if not attempt.is_decided:
        raise Conflict("This certification has no result yet.")
    stage = stage_names().get(attempt.stage, attempt.stage)
    label = (
        f"{stage} certification: score corrected from {correction.old_level} "
        f"to {correction.new_level} on {correction.at:%-d %b %Y}"
    )
    link = certification.attempt_link(attempt.id)
    return Item(ItemKind.CORRECTION, correction.id, attempt.rep, label, link, attempt)
