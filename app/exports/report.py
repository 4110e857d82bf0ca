"""A rep's progress report for the HR file: one PDF saying what the rep's pages say.

Plan progress by phase with each milestone's status, certifications, commitments kept,
the recent debriefs and the agreements signed, gathered through each feature's own service
(which checks that the actor may see the rep, as the pages do) and handed to the PDF
template as plain values.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.accounts.models import User
from app.accounts.service import organisation
from app.agreements import service as agreements
from app.agreements.models import AgreementStatus
from app.certification import service as certification
from app.certification.scoring import format_score
from app.certification.status import format_day
from app.coaching import service as coaching
from app.curriculum.service import stage_names
from app.pdf import render_pdf
from app.plans import service as plans

RECENT_DEBRIEFS = 5


def progress_report_pdf(actor: User, rep: User, today: date) -> bytes:
    return render_pdf("pdf/progress_report.html", progress_report(actor, rep, today))


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
