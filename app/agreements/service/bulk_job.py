"""Sending a previewed batch, as a job: the request records it, the job worker sends it.

Drafting and sending one agreement per rep takes a moment each, far too long for one request
with a team of a hundred. ``start_bulk_send`` records exactly what was previewed on a
``BulkSend`` row and queues ``send_bulk`` once the request commits; the progress page reads the
row. The job sends each rep's agreement in a transaction of its own, with the count of those
sent, so progress shows as it goes and a crash loses at most the rep in hand. Each agreement
carries the bulk send's id under a UNIQUE (bulk send, rep) constraint: a retried attempt skips
the reps already sent, and two attempts racing for the same rep cannot both send it. The sweep
(``sweep_interrupted_bulk_sends``, when a worker starts and every minute) queues again a bulk
send whose worker went quiet, or marks it failed once its attempts are spent.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.agreements.audit import Evidence, now
from app.agreements.models import Agreement, BulkSend, BulkSendStatus
from app.agreements.service.access import require_manage
from app.agreements.service.drafting import create_draft, current_template, send
from app.agreements.service.finding import held_from_template
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.jobs import Attempt, commit_progress, enqueue_after_commit, sweep_stale

SEND_JOB = "agreements.bulk_send"
HOLDS_IT = "holds this agreement already (sent since the preview); left out"
INTERRUPTED = "Sending was interrupted (its worker stopped) and could not be finished."
_UNFINISHED = (BulkSendStatus.QUEUED, BulkSendStatus.RUNNING)


def start_bulk_send(
    actor: User,
    template_key: str,
    reps: Sequence[User],
    raw_values: Mapping[str, str | None],
    fingerprint: str,
    evidence: Evidence,
    resend: Collection[int] = (),
    override_reason: str = "",
    sign_by: date | None = None,
) -> BulkSend:
    """Record a previewed batch to send; its job is queued when the caller commits.

    ``resend``: the reps who hold this agreement already and get it again as HR chose; the
    job leaves out anyone else who holds it by the time it runs.
    """
    require_manage(actor)
    bulk = BulkSend(
        requested_by_id=actor.id,
        template_id=current_template(template_key).id,
        rep_ids=[rep.id for rep in reps],
        resend_rep_ids=sorted(resend),
        values=dict(raw_values),
        override_reason=override_reason,
        sign_by=sign_by,
        fingerprint=fingerprint,
        ip_address=evidence.ip_address,
        user_agent=evidence.user_agent,
        status=BulkSendStatus.QUEUED,
        total=len(reps),
        sent=0,
        error="",
        created_at=now(),
        attempts=0,
    )
    db.session.add(bulk)
    db.session.flush()
    enqueue_after_commit(SEND_JOB, bulk.id)
    return bulk


def send_bulk(bulk_id: int, *, attempt: Attempt) -> None:
    """The job: send each rep of the batch their agreement once, committing as it goes."""
    bulk = db.session.get(BulkSend, bulk_id)
    if bulk is None or bulk.status not in _UNFINISHED:
        return  # finished by an earlier attempt, or given up on by the sweep
    _update(
        bulk_id, status=BulkSendStatus.RUNNING, attempts=BulkSend.attempts + 1, heartbeat_at=now()
    )
    try:
        left_out = _send_each(bulk)
    except DomainError as refusal:  # no retry can change it: the sender lost the right, say
        db.session.rollback()
        _finish(bulk_id, BulkSendStatus.FAILED, refusal.message)
        return
    except Exception as exc:  # a crash: the queue retries, and each retry skips what was sent
        db.session.rollback()
        message = f"{type(exc).__name__}: {exc}"[:500]
        if attempt.last:
            _finish(bulk_id, BulkSendStatus.FAILED, message)
        else:
            _update(bulk_id, error=f"Attempt {attempt.number} failed ({message}); retrying.")
        raise
    _finish(bulk_id, BulkSendStatus.DONE, "; ".join(left_out))


def _send_each(bulk: BulkSend) -> list[str]:
    """Send the reps not sent yet, each in a commit of its own; the reps left out, and why."""
    bulk_id, actor = bulk.id, bulk.requested_by
    if actor is None:
        raise NotFound("The person who sent this batch no longer exists.")
    require_manage(actor)
    template_key = bulk.template.template_key
    if current_template(template_key).id != bulk.template_id:
        raise Conflict("The template changed after the preview; preview the batch again.")
    evidence, values = Evidence(bulk.ip_address, bulk.user_agent), dict(bulk.values)
    sent = select(Agreement.rep_id).where(Agreement.bulk_send_id == bulk_id)
    to_send = db.session.execute(
        select(User.id, User.full_name)
        .where(User.id.in_(bulk.rep_ids), User.id.not_in(sent))
        .order_by(User.full_name, User.id)
    ).all()
    # Sent the same agreement since the preview (by hand, or by another batch): not again.
    held = held_from_template(template_key, [rep_id for rep_id, _ in to_send])
    again, reason = set(bulk.resend_rep_ids or ()), bulk.override_reason
    left_out = [f"{name}: {HOLDS_IT}" for rep_id, name in to_send if _left_out(rep_id, held, again)]
    for rep_id, name in to_send:
        if _left_out(rep_id, held, again):
            continue
        try:
            rep = db.session.get_one(User, rep_id)
            draft = create_draft(actor, rep, template_key, values, evidence, bulk_id, reason)
            send(actor, draft, evidence, bulk.sign_by)
            _count_sent(bulk_id)
        except IntegrityError:  # another attempt sent this rep meanwhile: the constraint held
            db.session.rollback()
        except DomainError as problem:  # this rep only: deactivated, or lost their coach
            db.session.rollback()
            left_out.append(f"{name}: {problem.message}")
    return left_out


def _left_out(rep_id: int, held: Collection[int], again: Collection[int]) -> bool:
    """A rep who holds the agreement already, and whom HR did not choose to send it again."""
    return rep_id in held and rep_id not in again


def _count_sent(bulk_id: int) -> None:
    """Commit the rep's agreement with the count of those sent, and a sign of life."""
    _update(bulk_id, sent=_sent_count(bulk_id), heartbeat_at=now())


def _sent_count(bulk_id: int) -> ScalarSelect[int]:
    """Counted, not incremented: right whichever attempt or worker sent them."""
    sent = select(func.count(Agreement.id)).where(Agreement.bulk_send_id == bulk_id)
    return sent.scalar_subquery()


def _finish(bulk_id: int, status: BulkSendStatus, error: str) -> None:
    _update(
        bulk_id,
        status=status,
        sent=_sent_count(bulk_id),
        error=error[:2000],
        finished_at=now(),
        heartbeat_at=now(),
    )


def _update(bulk_id: int, **values: object) -> None:
    commit_progress(BulkSend, bulk_id, **values)


def sweep_interrupted_bulk_sends(stale_after: timedelta, max_attempts: int) -> tuple[int, int]:
    """Queue again, or fail, bulk sends left unfinished with no sign of life; (requeued, failed)."""
    failed = {"status": BulkSendStatus.FAILED, "error": INTERRUPTED}
    return sweep_stale(BulkSend, _UNFINISHED, SEND_JOB, stale_after, max_attempts, failed)


def get_bulk_send(actor: User, bulk_id: int) -> BulkSend:
    """A bulk send, for HR and admins (who may send agreements); 404 for an unknown id."""
    require_manage(actor)
    bulk = db.session.get(BulkSend, bulk_id, populate_existing=True)  # the job writes it
    if bulk is None:
        raise NotFound("There is no such bulk send.")
    return bulk


def sent_by(actor: User, bulk: BulkSend) -> list[Agreement]:
    """The agreements a bulk send has sent so far, by the rep's name."""
    require_manage(actor)
    return list(
        db.session.scalars(
            select(Agreement)
            .join(Agreement.rep)
            .where(Agreement.bulk_send_id == bulk.id)
            .order_by(User.full_name, Agreement.id)
            .options(selectinload(Agreement.rep))
        )
    )
