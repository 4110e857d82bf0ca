"""Agreements lists: HR's and coaches' list, and a rep's own agreements."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.agreements import service
from app.agreements.forms import FILTER_KEYS, ExportForm, filter_form, filters_from
from app.agreements.views.blueprint import bp
from app.generation import kept
from app.pagination import PageRequest


@bp.get("")
def index() -> Response | str:
    if not service.can_list(current_user):
        return redirect(url_for("agreements.mine"))
    page_request = PageRequest.from_args(request.args, tuple(service.SORTS), service.DEFAULT_SORT)
    filters = filters_from(request.args)
    listing = kept(
        "agreements.index",
        (current_user.id, filters, page_request),
        lambda: service.list_page(current_user, filters, page_request),
    )
    export_form = ExportForm(data={k: request.args.get(k, "") for k in FILTER_KEYS})
    return render_template(
        "agreements/index.html",
        form=filter_form(request.args, accounts.teams()),
        listing=listing,
        page=listing.page,
        export_form=export_form,
        can_manage=service.can_manage(current_user),
    )


@bp.get("/mine")
def mine() -> str:
    own = service.agreements_of(current_user, current_user)
    waiting = service.waiting_page(current_user, PageRequest.from_args(request.args, ()))
    return render_template("agreements/mine.html", waiting=waiting, own=own)
