"""Flask-Login's side of sign-ins: load the user from the token, sign in and out, time out.

The rules (tokens, versions, lifetimes) are in ``app.accounts.signins``; this module only
moves them in and out of the request: Flask-Login's user loader, its unauthorized handler
(which says why a session ended and comes back to the page afterwards), and the sign-in and
sign-out steps the views call.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session
from flask_login import LoginManager, login_url, login_user, logout_user
from werkzeug.local import LocalProxy
from werkzeug.wrappers import Response

from app.accounts import signins
from app.accounts.models import User

ENDED_MESSAGES = {
    signins.Ended.IDLE: "You were signed out after {idle} without activity. "
    "Sign in again to continue where you were.",
    signins.Ended.EXPIRED: "You were signed out because you signed in more than {absolute} ago. "
    "Sign in again to continue where you were.",
    signins.Ended.REVOKED: "Your session has ended (you signed out, your password or access "
    "changed, or an admin signed you out). Sign in again to continue.",
}


def register_login_session(login_manager: LoginManager) -> None:
    """Give Flask-Login our loader and our "please sign in" answer."""
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(ask_to_sign_in)


def lifetimes(app: Flask) -> tuple[signins.Lifetimes, signins.Lifetimes]:
    """The (session, remember) lifetimes from the configuration."""
    config = app.config
    session_lifetimes = signins.Lifetimes(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=config["SESSION_MAX_HOURS"]),
    )
    remember_lifetimes = signins.Lifetimes(
        idle=timedelta(days=config["REMEMBER_IDLE_DAYS"]),
        absolute=timedelta(days=config["REMEMBER_MAX_DAYS"]),
    )
    return session_lifetimes, remember_lifetimes


def load_user(token: str) -> User | None:
    """Flask-Login's user loader, for the session cookie and the remember cookie alike.

    A token that no longer signs anyone in is dropped from the session and its remember
    cookie cleared, so the browser does not present it again; why it ended is kept for
    ``ask_to_sign_in``.
    """
    found = signins.resume(token, *lifetimes(current_app))
    if isinstance(found, User):
        return found
    g.sign_in_ended = found
    session.pop("_user_id", None)
    session["_remember"] = "clear"
    return None


def ask_to_sign_in() -> Response:
    """Send the visitor to the sign-in page with why, and the page to come back to."""
    ended = g.get("sign_in_ended")
    if ended in ENDED_MESSAGES:
        session_lifetimes, _ = lifetimes(current_app)
        message = ENDED_MESSAGES[ended].format(
            idle=_duration(session_lifetimes.idle), absolute=_duration(session_lifetimes.absolute)
        )
        flash(message, "warning")
    else:
        flash("Please sign in to see this page.", "info")
    # A POST cannot be repeated by a redirect: come back to the page it was sent from.
    target = request.url if request.method == "GET" else (request.referrer or request.url)
    return redirect(login_url("accounts.login", next_url=target))


def sign_in(user: User, *, remember: bool) -> None:
    """Start a new sign-in for ``user`` and hand its token to Flask-Login's cookies."""
    if isinstance(user, LocalProxy):  # ``current_user``: Flask-Login must get the user itself
        user = user._get_current_object()
    signins.start(user, remember=remember)
    login_user(user, remember=remember)


def sign_out(user: User) -> None:
    """End this sign-in (a copied cookie stops working too) and clear the cookies."""
    if user.is_authenticated:
        signins.end(user)
    logout_user()


def renew_sign_in(user: User) -> None:
    """After the person's own password change ended every sign-in: keep this device signed in."""
    current = user.current_sign_in
    sign_in(user, remember=bool(current and current.remember))


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 60 or minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"
