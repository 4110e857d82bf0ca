"""HR's list of written notices; reviewing, sending and signing are the agreements pages'."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.notices import service
from app.notices.forms import NoticeFilterForm
from app.notifications import service as notifications
from app.pagination import PageRequest

bp = Blueprint("notices", __name__, url_prefix="/notices")
# An agreement's page says which condition and clause drafted a notice.
bp.add_app_template_global(service.episode_of_notice, "notice_episode_of")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in user; the service decides what they may see."""


@bp.get("")
def index() -> str:
    service.require_see_notices(current_user)
    notifications.mark_read(current_user, service.notices_link())
    form = NoticeFilterForm(request.args)
    filters = service.NoticeFilters(status=form.status_filter(), search=form.q.data or "")
    page_request = PageRequest.from_args(request.args, service.SORTS, default_sort="-drafted")
    page = service.notices_page(current_user, filters, page_request)
    return render_template("notices/index.html", form=form, page=page)
