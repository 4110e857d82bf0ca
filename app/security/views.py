"""The security log for admins: a page of events, newest first, and a CSV of the same filter."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_login import current_user, login_required

from app.accounts.access import require_role
from app.accounts.models import Role
from app.pagination import PageRequest
from app.security import service
from app.security.models import EventKind

bp = Blueprint("security", __name__, url_prefix="/admin/security-log")


@bp.before_request
@login_required
def _admins_only() -> None:
    """The log shows who signed in from where: admins only."""
    require_role(current_user, Role.ADMIN)


@bp.get("/")
def events() -> str:
    wanted = _filter()
    page_request = PageRequest.from_args(request.args, service.EVENT_SORTS, default_sort="-at")
    page = service.events_page(page_request, wanted)
    return render_template("security/events.html", page=page, wanted=wanted, kinds=list(EventKind))


@bp.get("/events.csv")
def export() -> Response:
    """The log as CSV, streamed: written as it is read, never whole in memory."""
    wanted = _filter()
    service.record(EventKind.EXPORT, actor=current_user, detail="security log as CSV")
    name = f"security-log-{datetime.now(UTC):%Y%m%d-%H%M%S}.csv"
    return Response(
        stream_with_context(service.events_csv(wanted)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _filter() -> service.EventFilter:
    """The kind and person from the URL; anything malformed means no filter, not an error."""
    kind = request.args.get("kind", "")
    person = request.args.get("person", "")
    return service.EventFilter(
        kind=EventKind(kind) if kind in EventKind._value2member_map_ else None,
        person_id=int(person) if person.isdigit() and len(person) < 10 else None,
        search=(request.args.get("q") or "").strip()[:100],
    )
