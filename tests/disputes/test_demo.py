"""The demo shows the consequence loop: an open dispute, a decided one, and a paused plan."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.service import authenticate
from app.disputes.models import Dispute, DisputeStatus, ItemKind
from app.extensions import db
from app.plans import service as plans
from app.plans.status import RepStatus


def test_the_demo_has_an_open_and_a_decided_dispute_and_a_paused_plan(demo_snapshot, app):
    found = {(d.status, d.item_kind): d for d in db.session.scalars(select(Dispute))}
    opened = found[DisputeStatus.OPEN, ItemKind.CERTIFICATION]
    decided = found[DisputeStatus.REJECTED, ItemKind.CORRECTION]
    notes = found[DisputeStatus.OPEN, ItemKind.DEBRIEF]  # its debrief offers no acknowledgement
    assert notes.rep.coach is not None
    assert (opened.rep.full_name, opened.item_kind) == ("Hiro Tanaka", ItemKind.CERTIFICATION)
    assert (decided.rep.full_name, decided.item_kind) == ("Diego Alvarez", ItemKind.CORRECTION)
    assert decided.resolution and decided.resolved_by == decided.rep.coach

    hr = authenticate("hr@demo.salesramp", "demo")
    assert hr is not None
    isla = next(s for s in plans.team_overview(hr) if s.rep.full_name == "Isla Novak")
    assert isla.status == RepStatus.PAUSED
    assert isla.plan is not None and isla.plan.pauses[0].reason == "Parental leave"
