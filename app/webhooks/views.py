"""The admin's webhook pages: endpoints (register, edit, rotate the secret) and the delivery log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.errors import Invalid
from app.lookup import parse_id
from app.pagination import PageRequest
from app.web import show_domain_error
from app.webhooks import service
from app.webhooks.forms import ActionForm, EndpointForm
from app.webhooks.models import DeliveryStatus, EventType, WebhookEndpoint

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page needs a signed-in user; the services check for an admin."""


@bp.get("")
def endpoints() -> str:
    return render_template(
        "webhooks/endpoints.html", endpoints=service.endpoints(current_user), action=ActionForm()
    )


@bp.route("/new", methods=["GET", "POST"])
def new_endpoint() -> Response | str:
    service.endpoints(current_user)  # admins only, before showing the form
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            endpoint = service.create_endpoint(
                current_user, _details(form), form.submission_key.data
            )
        except Invalid as error:
            show_domain_error(form, error)
        else:
            return _show_secret(endpoint, endpoint.secret, "registered")
    return render_template("webhooks/endpoint_form.html", form=form, hook=None)


@bp.route("/<int:endpoint_id>", methods=["GET", "POST"])
def edit_endpoint(endpoint_id: int) -> Response | str:
    endpoint = service.get_endpoint(current_user, endpoint_id)
    form = EndpointForm(obj=endpoint)
    if form.validate_on_submit():
        try:
            service.update_endpoint(current_user, endpoint, _details(form))
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"Saved the endpoint {endpoint.url}.", "success")
            return redirect(url_for("webhooks.endpoints"))
    return render_template(
        "webhooks/endpoint_form.html", form=form, hook=endpoint, action=ActionForm()
    )


@bp.post("/<int:endpoint_id>/rotate")
def rotate_secret(endpoint_id: int) -> str:
    endpoint = service.get_endpoint(current_user, endpoint_id)
    form = ActionForm()
    form.validate_on_submit()
    secret = service.rotate_secret(current_user, endpoint, form.submission_key.data)
    return _show_secret(endpoint, secret, "rotated")


@bp.get("/deliveries")
def deliveries() -> str:
    status = request.args.get("status", "")
    event = request.args.get("event", "")
    endpoint_id = parse_id(request.args.get("to"))
    page_request = PageRequest.from_args(request.args, service.DELIVERY_SORTS, "-created")
    page = service.deliveries_page(
        current_user,
        page_request,
        DeliveryStatus(status) if status in set(DeliveryStatus) else None,
        EventType(event) if event in set(EventType) else None,
        endpoint_id,
    )
    return render_template(
        "webhooks/deliveries.html",
        page=page,
        status=status,
        event=event,
        endpoint_id=endpoint_id,
        endpoints=service.endpoints(current_user),
        event_types=list(EventType),
    )


@bp.get("/deliveries/<int:delivery_id>")
def delivery(delivery_id: int) -> str:
    found = service.get_delivery(current_user, delivery_id)
    return render_template(
        "webhooks/delivery.html",
        delivery=found,
        attempts=service.attempts_of(found),
        action=ActionForm(),
    )


@bp.post("/deliveries/<int:delivery_id>/resend")
def resend(delivery_id: int) -> Response:
    found = service.get_delivery(current_user, delivery_id)
    form = ActionForm()
    form.validate_on_submit()
    service.resend(current_user, found, form.submission_key.data)
    flash("The delivery is queued to be sent again.", "success")
    return redirect(url_for("webhooks.delivery", delivery_id=delivery_id))


def _show_secret(endpoint: WebhookEndpoint, secret: str, what: str) -> str:
    """The secret is shown on this one answer; it is never displayed again."""
    return render_template("webhooks/secret.html", hook=endpoint, secret=secret, what=what)


def _details(form: EndpointForm) -> service.EndpointDetails:
    return service.EndpointDetails(
        url=(form.url.data or "").strip(),
        description=form.description.data or "",
        events=tuple(EventType(value) for value in form.events.data or []),
        enabled=bool(form.enabled.data),
    )
