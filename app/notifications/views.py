"""One's own notification settings: how one hears, beyond the notifications in the app."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.config import WEEKDAYS
from app.notifications import service
from app.notifications.forms import PreferencesForm
from app.notifications.models import DigestFrequency

bp = Blueprint("notifications", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences() -> Response | str:
    chosen = service.preferences_of(current_user)
    form = PreferencesForm(data={"email_at_once": chosen.email_at_once, "digest": chosen.digest})
    if form.validate_on_submit():
        service.set_preferences(
            current_user,
            current_user,
            email_at_once=form.email_at_once.data,
            digest=DigestFrequency(form.digest.data),
        )
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.preferences"), 303)
    config = current_app.config
    return render_template(
        "notifications/preferences.html",
        form=form,
        chosen=chosen,
        hour=int(config["DIGEST_HOUR"]),
        weekday=WEEKDAYS[int(config["DIGEST_WEEKDAY"])].capitalize(),
    )
