"""A rep's progress report for the HR file: one PDF saying what the rep's pages say.

Plan progress by phase with each milestone's status, certifications, commitments kept,
the recent debriefs and the agreements signed, gathered through each feature's own service
(which checks that the actor may see the rep, as the pages do) and handed to the PDF
template as plain values.

Rendering takes over a second while gathering takes milliseconds, so the PDF is rendered once
per distinct content and stored (:class:`StoredProgressReport`): a download gathers the values,
digests them, and serves the stored copy while the digest holds. Gathering is skipped too
while no write the report may read has happened since the copy was confirmed that day
(``app.exports.freshness`` counts them): a repeated download then reads one row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.accounts.access import require_view_person
from app.accounts.models import User
from app.accounts.service import organisation
from app.agreements import service as agreements
from app.agreements.models import AgreementStatus
from app.certification import service as certification
from app.certification.scoring import format_score
from app.certification.status import format_day
from app.coaching import service as coaching
from app.curriculum.service import stage_names
from app.exports import freshness  # noqa: F401 (counts the writes a stored copy may miss)
from app.exports.models import StoredProgressReport
from app.extensions import db
from app.pdf import render_pdf
from app.plans import service as plans

RECENT_DEBRIEFS = 5


@dataclass(frozen=True)
class ReportCopy:
    """The report's digest (its ETag) and its PDF, read only when sent (not for a 304)."""

    fingerprint: str
    _pdf: Callable[[], bytes]

    @property
    def pdf(self) -> bytes:
        return self._pdf()


def progress_report_pdf(actor: User, rep: User, today: date) -> ReportCopy:
    """The report as stored when it still says the same; rendered and stored again otherwise.

    The stored copy is served without reading the report again while nothing it reads was
    written since it was last confirmed for today (``StoredProgressReport.checked``). Otherwise
    the values are gathered and digested: the fingerprint changes exactly when the report
    would read differently (a milestone done, a new debrief, the date printed on it), so a
    write the report does not show confirms the stored copy rather than rendering it again.
    """
    require_view_person(actor, rep)
    stored = db.session.get(StoredProgressReport, rep.id)
    if stored is not None and stored.as_of == today and stored.checked == stored.changes:
        return ReportCopy(stored.fingerprint, lambda: stored.pdf)
    # Read before gathering: a write committed meanwhile counts after it, so it is seen.
    changes = stored.changes if stored is not None else 0
    values = progress_report(actor, rep, today)
    fingerprint = report_fingerprint(values)
    if stored is not None and stored.fingerprint == fingerprint:
        _confirm(rep.id, changes, today)
        return ReportCopy(fingerprint, lambda: stored.pdf)
    pdf = render_pdf("pdf/progress_report.html", values)
    _store(rep.id, stored, fingerprint, pdf, today, changes)
    return ReportCopy(fingerprint, lambda: pdf)


def report_fingerprint(values: dict[str, Any]) -> str:
    canonical = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _confirm(rep_id: int, changes: int, today: date) -> None:
    """The stored copy says what the report says as of ``changes`` writes, on ``today``."""
    db.session.execute(
        update(StoredProgressReport)
        .where(StoredProgressReport.rep_id == rep_id)
        .values(checked=changes, as_of=today)
    )


def _store(
    rep_id: int,
    stored: StoredProgressReport | None,
    fingerprint: str,
    pdf: bytes,
    today: date,
    changes: int,
) -> None:
    """Keep the new copy; two first downloads at once store it once (the other one's stays).

    A new row is not confirmed (``checked`` -1): a write committed while this one gathered
    had no row to count on, so the next download reads the report again."""
    rendered_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    if stored is not None:
        stored.fingerprint, stored.pdf, stored.rendered_at = fingerprint, pdf, rendered_at
        stored.checked, stored.as_of = changes, today
        db.session.flush()
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                StoredProgressReport(
                    rep_id=rep_id,
                    fingerprint=fingerprint,
                    pdf=pdf,
                    rendered_at=rendered_at,
                    as_of=today,
                    changes=0,
                    checked=-1,
                )
            )
    except IntegrityError:  # another request stored this rep's report meanwhile
        pass


def progress_report(actor: User, rep: User, today: date) -> dict[str, Any]:
    """Plain values for the report (no ORM objects reach the template)."""
    summary = plans.ramp_of(actor, rep, today)
    return {
        "organisation": organisation().name,
        "rep_name": rep.full_name,
        "rep_title": rep.job_title,
        "today": format_day(today),
        "plan": _plan(summary),
        "certifications": _certifications(actor, rep, today),
        "commitments": _commitments(actor, rep),
        "debriefs": _debriefs(actor, rep),
        "agreements": _agreements(actor, rep),
    }


def _plan(summary: plans.RampSummary) -> dict[str, Any] | None:
    if summary.plan is None:
        return None
    milestones = sorted(summary.plan.milestones, key=lambda m: (m.phase, m.due_date, m.id))
    return {
        "title": summary.plan.template.title,
        "start": format_day(summary.plan.start_date),
        "day": summary.day,
        "status": summary.status.value.capitalize(),
        "percent": summary.percent,
        "done": summary.done,
        "total": summary.total,
        "phases": [
            {
                "name": phase.name,
                "days": f"Days {phase.first_day}\u2013{phase.last_day}",
                "done": phase.done,
                "total": phase.total,
                "percent": phase.percent,
                "milestones": [
                    {
                        "title": m.title,
                        "due": format_day(m.due_date),
                        "state": summary.states[m.id].value.capitalize(),
                    }
                    for m in milestones
                    if m.phase == phase.number
                ],
            }
            for phase in summary.phases
        ],
    }


def _certifications(actor: User, rep: User, today: date) -> list[dict[str, str]]:
    return [
        {
            "stage": cert.stage_name,
            "status": cert.status.value.capitalize(),
            "best": format_score(cert.best_average) if cert.best_average else "",
            "until": format_day(cert.reading.expires_on) if cert.reading.expires_on else "",
        }
        for cert in certification.certifications_of(actor, rep, today)
    ]


def _commitments(actor: User, rep: User) -> dict[str, Any]:
    found = coaching.commitments_of(actor, rep)
    reviewed = [c for c in found if c.outcome is not None]
    counts = {label: 0 for label in ("Kept", "Partly kept", "Missed")}
    for commitment in reviewed:
        assert commitment.outcome is not None
        counts[commitment.outcome.label] += 1
    return {
        "total": len(found),
        "reviewed": len(reviewed),
        "counts": counts,
        "open": len([c for c in found if c.is_open]),
    }


def _debriefs(actor: User, rep: User) -> list[dict[str, str]]:
    names = stage_names()
    recorded = [d for d in coaching.debriefs_of(actor, rep) if d.is_recorded]
    recorded.sort(key=lambda d: (d.held_on, d.id), reverse=True)
    return [
        {
            "held_on": format_day(d.held_on),
            "kind": d.kind.label,
            "stage": names.get(d.stage, d.stage) if d.stage else "",
            "went_well": d.coach_went_well,
            "better": d.coach_better,
        }
        for d in recorded[:RECENT_DEBRIEFS]
    ]


def _agreements(actor: User, rep: User) -> list[dict[str, str]]:
    return [
        {
            "title": a.title,
            "completed": format_day(a.completed_at.date()) if a.completed_at else "",
        }
        for a in agreements.agreements_of(actor, rep)
        if a.status == AgreementStatus.COMPLETED
    ]
