"""The demo's disputes: one waiting for a decision, one decided, as a coach and HR meet them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.certification.models import Assessment, CertificationAttempt, Score, ScoreCorrection
from app.coaching.models import Debrief
from app.disputes.models import DisputeStatus, ItemKind
from app.disputes.service import open_dispute, resolve_dispute
from app.extensions import db


def seed_disputes(reps: Sequence[User], now: datetime) -> None:
    """Hiro disputes yesterday's discovery result (open); Diego disputed a corrected score
    last week and his coach rejected it, saying why (in the order of ``app.demo.REPS``)."""
    moment = now.replace(tzinfo=None)
    diego, hiro = reps[3], reps[7]
    failed = db.session.scalars(
        select(CertificationAttempt)
        .where(CertificationAttempt.rep_id == hiro.id, CertificationAttempt.passed.is_(False))
        .order_by(CertificationAttempt.id.desc())
    ).first()
    if failed is not None:
        reason = (
            "The buyer in the role-play never gave a number to quantify, so I could not "
            "score on impact. Please look at minutes 8 to 11 of the recording again."
        )
        dispute = open_dispute(hiro, ItemKind.CERTIFICATION, failed.id, reason)
        dispute.opened_at = moment - timedelta(hours=20)
    correction = db.session.scalars(
        select(ScoreCorrection)
        .join(Score, Score.id == ScoreCorrection.score_id)
        .join(Assessment, Assessment.id == Score.assessment_id)
        .join(CertificationAttempt, CertificationAttempt.id == Assessment.attempt_id)
        .where(CertificationAttempt.rep_id == diego.id)
    ).first()
    if correction is not None and diego.coach is not None:
        dispute = open_dispute(
            diego, ItemKind.CORRECTION, correction.id, "I summarised the buyer twice, not once."
        )
        decision = (
            "I listened to the call again with you: the second summary repeated your own "
            "pitch, not what the buyer said. The corrected score stands."
        )
        resolve_dispute(diego.coach, dispute, DisputeStatus.REJECTED, decision)
        dispute.opened_at = moment - timedelta(days=9)
        dispute.resolved_at = moment - timedelta(days=6)
    _dispute_a_debrief(reps, moment)
    db.session.flush()


def _dispute_a_debrief(reps: Sequence[User], moment: datetime) -> None:
    """The first rep with recorded, unacknowledged debrief notes disputes them: the debrief
    page shows the open dispute and offers no acknowledgement meanwhile."""
    debrief = db.session.scalars(
        select(Debrief)
        .where(
            Debrief.rep_id.in_([rep.id for rep in reps]),
            Debrief.recorded_at.is_not(None),
            Debrief.acknowledged_at.is_(None),
        )
        .order_by(Debrief.recorded_at.desc(), Debrief.id)
    ).first()
    if debrief is None:
        return
    reason = "I did ask about the budget: it is at minute 4 of the call, before the demo."
    dispute = open_dispute(debrief.rep, ItemKind.DEBRIEF, debrief.id, reason)
    dispute.opened_at = moment - timedelta(hours=30)
