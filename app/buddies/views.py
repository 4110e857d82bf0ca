"""Buddies: the list, pairing a new hire with a peer, a pairing's page and its check-ins."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.accounts import service as accounts
from app.accounts.models import User
from app.buddies import service
from app.buddies.forms import CheckInForm, EndPairingForm, PairForm, PairingFilterForm
from app.buddies.models import BuddyPairing
from app.errors import Invalid
from app.lookup import parse_id
from app.notifications import service as notifications
from app.pagination import PageRequest
from app.web import show_domain_error

bp = Blueprint("buddies", __name__, url_prefix="/buddies")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


@bp.app_template_global("buddy_link_for")
def _buddy_link_for(rep: User) -> service.BuddyLink | None:
    """For the ramp page (plans is below buddies): the pairing, if the reader may follow it."""
    if not current_user.is_authenticated:
        return None
    return service.buddy_link_for(current_user, rep)


@bp.get("")
def index() -> str:
    form = PairingFilterForm(request.args)
    page_request = PageRequest.from_args(request.args, service.SORTS, default_sort="-paired")
    page = service.pairings_page(
        current_user, form.status.data or None, form.q.data or "", page_request
    )
    today = accounts.local_today(current_user)
    return render_template(
        "buddies/index.html",
        form=form,
        page=page,
        stats=service.stats_of(page.items),
        unpaired=service.unpaired_new_hires(current_user, today),
        settings=service.buddy_settings(),
    )


@bp.route("/pair/<int:rep_id>", methods=["GET", "POST"])
def pair(rep_id: int) -> ResponseReturnValue:
    rep = accounts.get_user(rep_id)
    choice = service.peer_choice(current_user, rep, PageRequest.from_args(request.args, ()))
    form = PairForm()
    offered = choice.offered.items
    suggested = [(str(p.user_id), _peer_label(p)) for p in offered if p.suggested]
    others = [(str(p.user_id), _peer_label(p)) for p in offered if not p.suggested]
    groups = {"Suggested": suggested, "Other peers": others}
    form.buddy_id.choices = {name: options for name, options in groups.items() if options}
    if form.validate_on_submit():
        try:
            buddy = service.find_peer(parse_id(form.buddy_id.data))
            pairing = service.pair(current_user, rep, buddy, form.submission_key.data)
        except Invalid as error:
            show_domain_error(form, error)
        else:
            flash(f"{buddy.full_name} is now {rep.full_name}'s buddy.", "success")
            return redirect(url_for("buddies.pairing", pairing_id=pairing.id))
    return render_template(
        "buddies/pair.html",
        form=form,
        rep=rep,
        choice=choice,
        current=service.active_pairing_of(rep),
        settings=service.buddy_settings(),
    ), 400 if form.errors else 200


def _peer_label(peer: service.Peer) -> str:
    role = f"{peer.role}, " if peer.role else ""
    started = f"started {peer.started_on:%-d %b %Y}, " if peer.started_on else ""
    load = f"buddy to {peer.buddies} now"
    return f"{peer.name} ({role}{started}{load})"


@bp.get("/<int:pairing_id>")
def pairing(pairing_id: int) -> str:
    found = service.get_pairing(current_user, pairing_id)
    notifications.mark_read(current_user, service.pairing_link(found.id))
    return _render_pairing(found)


@bp.post("/<int:pairing_id>/check-ins")
def check_in(pairing_id: int) -> ResponseReturnValue:
    found = service.get_pairing(current_user, pairing_id)
    form = CheckInForm()  # kept ids outside the last check-in's commitments are ignored
    if not form.validate_on_submit():
        return _render_pairing(found, check_in_form=form), 400
    entry = service.CheckInEntry(
        held_on=form.held_on.data,
        worked_on=form.worked_on.data or "",
        blockers=form.blockers.data or "",
        will_do=(form.will_do.data or "").splitlines(),
        kept=frozenset(form.kept.data or ()),
    )
    try:
        service.record_check_in(current_user, found, entry, form.submission_key.data)
    except Invalid as error:
        show_domain_error(form, error)
        return _render_pairing(found, check_in_form=form), 400
    flash("Check-in recorded.", "success")
    return redirect(url_for("buddies.pairing", pairing_id=found.id) + "#check-ins")


@bp.post("/<int:pairing_id>/end")
def end(pairing_id: int) -> ResponseReturnValue:
    found = service.get_pairing(current_user, pairing_id)
    service.require_pair(current_user, found.rep)
    form = EndPairingForm(prefix="end")
    if not form.validate_on_submit():
        return _render_pairing(found, end_form=form), 400
    service.end_pairing(current_user, found, form.reason.data or "", form.submission_key.data)
    flash(f"{found.rep.full_name} and {found.buddy.full_name} are no longer paired.", "success")
    return redirect(url_for("buddies.pairing", pairing_id=found.id))


def _render_pairing(
    found: BuddyPairing,
    check_in_form: CheckInForm | None = None,
    end_form: EndPairingForm | None = None,
) -> str:
    page = service.pairing_page(current_user, found)
    check_in_form = check_in_form or CheckInForm()
    check_in_form.kept.choices = [(c.id, c.action) for c in page.to_review]
    if request.method == "GET":
        check_in_form.held_on.data = accounts.local_today(found.rep)
    return render_template(
        "buddies/pairing.html",
        page=page,
        check_in_form=check_in_form,
        end_form=end_form or EndPairingForm(prefix="end"),
        settings=service.buddy_settings(),
    )
