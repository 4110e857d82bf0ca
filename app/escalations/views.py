"""The Escalations list: what was raised, to whom, and whether it is resolved."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.accounts import service as accounts
from app.escalations import service
from app.escalations.forms import EscalationFilterForm
from app.escalations.models import Level
from app.lookup import parse_id
from app.notifications import service as notifications
from app.pagination import PageRequest

bp = Blueprint("escalations", __name__, url_prefix="/escalations")
# A rep's page (plans/ramp.html) shows their escalation history to their coach and HR.
bp.add_app_template_global(service.escalations_of, "escalations_of")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


@bp.get("")
def index() -> str:
    service.require_see_escalations(current_user)
    form = EscalationFilterForm(request.args)
    form.team.choices = [
        ("", "All teams"),
        *((str(t.id), t.name) for t in accounts.teams_for(current_user)),
    ]
    level = parse_id(form.level.data)
    rep_id = parse_id(request.args.get("rep"))
    if rep_id is not None:  # where a manager's or HR's escalation notification points
        notifications.mark_read(current_user, service.escalations_link(rep_id))
    filters = service.EscalationFilters(
        status=form.status.data or None,
        level=Level(level) if level in (1, 2) else None,
        kind=form.kind.data or None,
        team_id=parse_id(form.team.data),
        rep_id=rep_id,
        search=form.q.data or "",
    )
    page_request = PageRequest.from_args(request.args, service.SORTS, default_sort="-raised")
    page = service.escalations_page(current_user, filters, page_request)
    return render_template(
        "escalations/index.html", form=form, page=page, thresholds=service.thresholds()
    )
