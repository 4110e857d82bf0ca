"""Web behaviour shared by every blueprint: error pages, security headers, template helpers."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy import event
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response
from wtforms import HiddenField

from app.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.lookup import MAX_ID
from app.nul import refuse_nul_characters
from app.once import new_key
from app.pagination import Page
from app.security import service as security
from app.security.models import EventKind
from app.timezones import DEFAULT_ZONE, format_moment, zone
from app.transaction import take_kept_rows

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)

# Served over HTTPS (SALESRAMP_HTTPS=1): browsers use only HTTPS here for a year.
HSTS = "max-age=31536000; includeSubDomains"

STATUS_FOR = {NotAllowed: 403, NotFound: 404, Conflict: 409, Invalid: 400}
TITLES = {
    400: "That request was not valid",
    403: "You do not have access to this",
    404: "Page not found",
    405: "That action is not possible here",
    409: "That cannot be done now",
    422: "That input cannot be used",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


def register_web_behaviour(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(StaleDataError, _changed_meanwhile)
    app.register_error_handler(HTTPException, _http_error)
    app.before_request(refuse_nul_characters)
    security.use_address_source(client_address)
    # Flask runs these last registered first: the headers are decided before the commit
    # expires the signed-in user, who would otherwise be loaded again just to say so.
    app.after_request(_end_transaction)
    app.after_request(_security_headers)
    if app.config.get("BENCH_QUERY_HEADER"):
        _count_queries(app)
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = moment_for_reader
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["id_url"] = id_url
    app.jinja_env.globals["page_window"] = page_window
    app.jinja_env.globals["reader_today"] = reader_today
    app.jinja_env.globals["new_submission_key"] = new_key


def _end_transaction(response: Response) -> Response:
    """The one place a request's writes are committed: all of them, or none.

    Views and services never commit. A request that ends well (below 400, no domain error shown
    on a form) commits everything it changed; any other outcome rolls everything back, so an
    error halfway through a request leaves nothing half-written. An exception raised by the
    commit itself (a constraint a concurrent request got to first) becomes the error page.
    Rows kept whatever happens (the security log's record of a refusal) are saved either way.
    """
    kept = take_kept_rows()
    if response.status_code < 400 and not g.get("discard_writes"):
        db.session.add_all(kept)
        db.session.commit()
    else:
        db.session.rollback()
        if kept:
            db.session.add_all(kept)
            db.session.commit()
    return response


def _count_queries(app: Flask) -> None:
    """``make bench`` reads each page's SQL statement count from an ``X-Query-Count`` header.

    Only with ``SALESRAMP_BENCH_QUERY_HEADER=1``: the count is of this request's statements,
    up to the response (the commit after it is not counted).
    """

    def count(*_args: Any) -> None:
        if has_request_context():
            g.query_count = g.get("query_count", 0) + 1

    def add_header(response: Response) -> Response:
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    app.after_request(add_header)


def discard_writes() -> None:
    """Roll back what this request changed so far, and commit nothing when it ends."""
    db.session.rollback()
    g.discard_writes = True


def _domain_error(error: DomainError) -> Response | tuple[str, int]:
    discard_writes()
    status = next((code for cls, code in STATUS_FOR.items() if isinstance(error, cls)), 400)
    if status == 403:
        record_denial(error.message)
    referrer = request.referrer or ""
    if request.method == "POST" and status in (400, 409) and referrer.startswith(request.host_url):
        # A button pressed on a page whose state moved on: say why, back on that page.
        flash(error.message, "warning")
        return redirect(referrer, 303)
    return render_template(
        "error.html", status=status, title=TITLES[status], message=error.message
    ), status


def _changed_meanwhile(error: StaleDataError) -> Response | tuple[str, int]:
    """A row changed by another request since this one loaded it: a conflict, never a 500."""
    return _domain_error(Conflict("Someone else changed this meanwhile; reload and try again."))


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    discard_writes()
    message = "The form expired or was sent from elsewhere. Go back, reload the page and try again."
    return render_template("error.html", status=400, title=TITLES[400], message=message), 400


def answer_errors_under(
    app: Flask, prefix: str, answer: Callable[[HTTPException], Response]
) -> None:
    """Let a part of the site answer its own errors, e.g. the JSON API under ``/api/``.

    Errors in its views reach its blueprint's handlers; this is for the URLs under ``prefix``
    that no route matched (a 404, or a 405 for a method a route does not take).
    """
    app.extensions.setdefault(_OWN_ANSWERS, {})[prefix] = answer


_OWN_ANSWERS = "salesramp.error_answers"


def _http_error(error: HTTPException) -> Response | tuple[str, int]:
    own = current_app.extensions.get(_OWN_ANSWERS, {})
    answer = next((a for prefix, a in own.items() if request.path.startswith(prefix)), None)
    if answer is not None:
        return answer(error)
    if error.code is None or error.code < 400 or request.path.startswith("/static/"):
        return error.get_response()
    discard_writes()  # an error page never follows half of a request's writes
    title = TITLES.get(error.code, error.name)
    if error.code == 403:
        record_denial(error.description or "")
    return render_template(
        "error.html", status=error.code, title=title, message=error.description
    ), error.code


def record_denial(reason: str) -> None:
    """Every 403 goes to the security log (saved although the request rolls back)."""
    actor = current_user if current_user.is_authenticated else None
    detail = f"{request.method} {request.path}: {reason}"
    security.record_refusal(EventKind.PERMISSION_DENIED, actor=actor, detail=detail)


def client_address() -> str | None:
    """The client's address for the security log (behind a proxy: as ProxyFix sets it)."""
    return request.remote_addr if has_request_context() else None


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config.get("HTTPS"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # The cheap tests first: an error page sets its own, and must not load the user (a query).
    cached = "Cache-Control" in response.headers or request.path.startswith("/static/")
    if not cached and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's complaint next to the field it is about, or at the top of the form.

    The service refused, so whatever it had flushed before refusing is rolled back.
    """
    discard_writes()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class OnceForm(FlaskForm):
    """A form carrying a fresh submission key each time it is shown (see ``app.once``).

    A corrected form re-rendered after an error keeps its key: the refused attempt claimed
    nothing, so the key is still unused.
    """

    submission_key = HiddenField(default=new_key)


def safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path on this site, never to another host (else: home).

    Browsers read a backslash as a slash and drop tabs and newlines, so ``/\\evil.com`` is
    refused too: Werkzeug quotes it in the Location header, but not in the redirect page's link.
    Both ways of signing in (password, single sign-on) go on to the page asked for through it.
    """
    unsafe = target is None or "\\" in target or any(ord(char) < 0x20 for char in target)
    if target and not unsafe and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("plans.home")


# --- password freshness: signing an agreement needs a password entered moments ago ------------

PASSWORD_AT = "password_at"
# Set when this session began with a single sign-on: re-authenticating (to sign an agreement)
# goes back to the provider rather than asking for a password the person may not have.
SIGNED_IN_WITH_SSO = "signed_in_with_sso"
# Set when the provider's re-authentication was refused: the page it was for says why once,
# instead of sending the person straight back to the provider.
REAUTH_REFUSED = "sso_reauth_refused"


def mark_password_entered() -> None:
    """Remember when this session last proved the password: signing needs a fresh login."""
    session[PASSWORD_AT] = int(time.time())


def password_entered_at() -> datetime | None:
    """When this session last entered the password (UTC, naive), or None if never."""
    stamp = session.get(PASSWORD_AT)
    if not isinstance(stamp, int):
        return None
    return datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)


# --- what several parts of a page ask for, looked up once per request -----------------------

T = TypeVar("T")


def once_per_request(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` the first time a request asks for ``name``, the same answer after that.

    The menu's badges (unread notifications, agreements to sign) are asked for by the layout
    and again by some pages; each is one query per page, not one per mention.
    """
    cache = _request_cache()
    if name not in cache:
        cache[name] = compute()
    return cast(T, cache[name])


def known_for_request(answers: dict[str, Any]) -> None:
    """Answers found together (in one query) for what :func:`once_per_request` asks by name."""
    _request_cache().update(answers)


def _request_cache() -> dict[str, Any]:
    # Kept with the request, not in ``g``: an app context may outlive a request (the tests').
    cache: dict[str, Any] = request.environ.setdefault("salesramp.once_per_request", {})
    return cache


# --- lists: links that change one query argument and keep the others -----------------------


def url_with(**changes: Any) -> str:
    """This page's URL with some query arguments changed (``None`` removes one)."""
    args: dict[str, Any] = {key: request.args.getlist(key) for key in request.args}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def id_url(endpoint: str, id_name: str = "rep_id", **values: Any) -> Callable[[int], str]:
    """``url_for(endpoint, **values)`` for many ids: built once, then each id put in place.

    A list of fifty reps links each row to a few pages; ``url_for`` costs some 20 us a call,
    which a thousand-rep list pays hundreds of times. The URL is built with a placeholder id
    (the largest, which no other part of it can contain twice) and split around it.
    """
    placeholder = str(MAX_ID)
    built = url_for(endpoint, **({id_name: MAX_ID} | values))
    if built.count(placeholder) != 1:  # the placeholder also appears elsewhere: build each
        return lambda id_: url_for(endpoint, **({id_name: id_} | values))
    before, after = built.split(placeholder)
    return lambda id_: f"{before}{int(id_)}{after}"


def page_window(page: Page[Any], around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and a few around the current one (None: a gap)."""
    wanted = {1, page.pages, *range(page.number - around, page.number + around + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= page.pages)
    window: list[int | None] = []
    for number in numbers:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


@lru_cache(maxsize=4096)
def format_day(value: date | None, missing: str = "—") -> str:
    """A day as "Tue 4 Mar 2025"; cached, as ``strftime`` is slow and lists repeat a few days."""
    if value is None:
        return missing
    return f"{value:%a} {value.day} {value:%b %Y}"


# Times on anonymous pages, and in documents that leave the app (app.pdf passes its own
# ``moment_zone``, so a PDF reads the same whoever happened to render it).


@pass_context
def moment_for_reader(context: Context, value: datetime | None) -> str:
    """The ``moment`` filter: a stored time in the zone of whoever reads the page.

    A template may fix the zone with a ``moment_zone`` variable (documents do: UTC).
    """
    return format_moment(value, context.get("moment_zone") or reader_zone())


def reader_zone() -> str:
    """The signed-in person's time zone; UTC on anonymous pages and outside a request."""
    if not has_request_context():
        return DEFAULT_ZONE
    return once_per_request("reader_zone", _signed_in_zone)


def reader_today() -> date:
    """Today in the reader's time zone: what "overdue" is measured against on their pages."""
    return datetime.now(UTC).astimezone(zone(reader_zone())).date()


def _signed_in_zone() -> str:
    # The layout has loaded the signed-in person already: reading the zone asks no query.
    return current_user.timezone if current_user.is_authenticated else DEFAULT_ZONE


def format_number(value: Any) -> str:
    if value is None:
        return "—"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
