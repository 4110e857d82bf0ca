"""My calendar: the private feed link (get, regenerate, revoke) and the feed itself."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import service as accounts
from app.calendars import service
from app.calendars.forms import RegenerateForm, RevokeForm

bp = Blueprint("calendars", __name__, url_prefix="/calendar")
# The feed is fetched by calendar apps, which do not sign in: its token is the credential.
feed_bp = Blueprint("calendar_feed", __name__, url_prefix="/calendar")


@bp.before_request
@login_required
def _signed_in() -> None:
    """The page is always about the signed-in person's own link."""


@bp.get("")
def mine() -> str:
    feed = service.feed_of(current_user)
    links = None
    if feed is not None:
        https = url_for("calendar_feed.feed", token=feed.token, _external=True)
        links = {
            "https": https,
            "webcal": "webcal://" + https.split("://", 1)[1],
            "download": url_for("calendar_feed.feed", token=feed.token, download=1),
        }
    return render_template(
        "calendars/mine.html",
        feed=feed,
        links=links,
        regenerate_form=RegenerateForm(prefix="regenerate"),
        revoke_form=RevokeForm(prefix="revoke"),
        days_back=service.DAYS_BACK,
        days_ahead=service.DAYS_AHEAD,
    )


@bp.post("/regenerate")
def regenerate() -> Response:
    form = RegenerateForm(prefix="regenerate")
    form.validate_on_submit()
    had_one = service.feed_of(current_user) is not None
    service.regenerate(current_user, form.submission_key.data)
    flash(
        "New calendar link made: the old one no longer works; subscribe again with this one."
        if had_one
        else "Your calendar link is ready.",
        "success",
    )
    return redirect(url_for("calendars.mine"), 303)


@bp.post("/revoke")
def revoke() -> Response:
    form = RevokeForm(prefix="revoke")
    form.validate_on_submit()
    service.revoke(current_user, form.submission_key.data)
    flash("Calendar link revoked: calendars subscribed to it stop updating.", "success")
    return redirect(url_for("calendars.mine"), 303)


@feed_bp.get("/feed/<token>.ics")
def feed(token: str) -> Response:
    """The iCalendar feed; 404 for a token that is unknown, revoked or regenerated since."""
    today = datetime.now(UTC).date()
    base_url = request.host_url
    body = service.feed_for_token(token, today, base_url, accounts.organisation().name)
    if body is None:
        abort(404)
    response = Response(body, content_type="text/calendar; charset=utf-8")
    if request.args.get("download"):
        response.headers["Content-Disposition"] = 'attachment; filename="salesramp.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
