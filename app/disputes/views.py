"""Disputing an item, the list of disputes, one dispute and its decision."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.accounts.models import Role
from app.certification.models import ScoreCorrection
from app.disputes import service
from app.disputes.forms import AcknowledgeForm, DisputeForm, ResolveForm
from app.disputes.models import Dispute, DisputeStatus, ItemKind
from app.errors import Conflict, Invalid, NotFound
from app.lookup import parse_id
from app.pagination import PageRequest
from app.web import show_domain_error

bp = Blueprint("disputes", __name__, url_prefix="/disputes")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; services decide what they may see."""


@bp.app_template_global("dispute_on")
def _dispute_on(kind: str, item_id: int) -> service.DisputeNote | None:
    """For the attempt and debrief pages (features below this one): their dispute, if any."""
    if not current_user.is_authenticated:
        return None
    return service.dispute_on(current_user, kind, item_id)


def _kind(kind: str) -> ItemKind:
    try:
        return ItemKind(kind)
    except ValueError:
        raise NotFound("No such kind of record.") from None


@bp.get("")
def index() -> str:
    shown = request.args.get("show", "open")
    shown = shown if shown in service.SHOWN else "open"
    page = service.disputes_page(current_user, shown, PageRequest.from_args(request.args, ()))
    today = accounts.local_today(current_user)
    ages = {dispute.id: service.age_of(dispute, today) for dispute in page.items}
    reviews = current_user.has_role(Role.COACH, Role.HR, Role.ADMIN)
    return render_template(
        "disputes/index.html", page=page, ages=ages, shown=shown, reviews=reviews,
        target=service.turnaround_days(),
    )  # fmt: skip


@bp.route("/new/<kind>/<int:item_id>", methods=["GET", "POST"])
def new(kind: str, item_id: int) -> Response | tuple[str, int] | str:
    item = service.find_item(_kind(kind), item_id)
    service.require_own_item(current_user, item)
    form = DisputeForm()
    if form.validate_on_submit():
        try:
            dispute = service.open_dispute(
                current_user, item.kind, item.id, form.reason.data or "", form.submission_key.data
            )
        except (Invalid, Conflict) as error:
            show_domain_error(form, error)
        else:
            flash("Your dispute is sent; you will be told the outcome.", "success")
            return redirect(url_for("disputes.show", dispute_id=dispute.id))
    page = render_template(
        "disputes/new.html", form=form, item=item, acknowledge_form=AcknowledgeForm(),
        existing=service.open_dispute_of(item.kind, item.id),
        acknowledged=service.is_acknowledged(item),
    )  # fmt: skip
    return (page, 400) if form.is_submitted() else page


@bp.post("/acknowledge/<kind>/<int:item_id>")
def acknowledge(kind: str, item_id: int) -> Response:
    item = service.find_item(_kind(kind), item_id)
    if AcknowledgeForm().validate_on_submit():
        service.acknowledge(current_user, item.kind, item.id)
        flash("Acknowledged.", "success")
    return redirect(item.link)


@bp.route("/<int:dispute_id>", methods=["GET", "POST"])
def show(dispute_id: int) -> Response | tuple[str, int] | str:
    dispute = service.get_dispute(current_user, dispute_id)
    form = ResolveForm()
    if form.is_submitted():
        service.require_resolve(current_user, dispute)  # the rep, another coach: 403
    can_resolve = dispute.is_open and service.can_resolve(current_user, dispute.rep)
    corrections = service.correction_choices(dispute) if can_resolve else []
    form.correction.choices = [("", "None"), *((str(c.id), _said(c)) for c in corrections)]
    if form.validate_on_submit():
        try:
            outcome = DisputeStatus(form.outcome.data)
            correction = parse_id(form.correction.data)
            service.resolve_dispute(
                current_user, dispute, outcome, form.resolution.data or "",
                correction, form.submission_key.data,
            )  # fmt: skip
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash("The dispute is resolved; the rep has been told.", "success")
            return redirect(url_for("disputes.show", dispute_id=dispute.id))
    page = _render_dispute(dispute, form, can_resolve, has_corrections=bool(corrections))
    return (page, 400) if form.is_submitted() else page


def _render_dispute(
    dispute: Dispute, form: ResolveForm, can_resolve: bool, has_corrections: bool
) -> str:
    return render_template(
        "disputes/show.html", dispute=dispute, form=form, can_resolve=can_resolve,
        has_corrections=has_corrections,
        age=service.age_of(dispute, accounts.local_today(current_user)),
        dispute_item_link=service.item_link(dispute.item_kind, dispute.item_id),
    )  # fmt: skip


def _said(correction: ScoreCorrection) -> str:
    """A correction as the resolver picks it: the levels and the day."""
    return f"From {correction.old_level} to {correction.new_level} on {correction.at:%-d %b %Y}"
