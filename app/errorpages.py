"""Error pages that must render whatever state the database is in: 413, 500 and 503.

A failed statement can leave the session unusable, and the normal layout asks the database for
the menu's badges and the signed-in person's name. So these pages roll the request back first
and render a plain layout that asks the database nothing. A database that refuses writes
(read-only, disk full) is a 503 with a "try again later" message rather than a bug report.
"""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, current_app, g, render_template
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import InternalServerError, RequestEntityTooLarge
from werkzeug.wrappers import Response

from app.extensions import db, login_manager

log = logging.getLogger("salesramp.errors")

# SQLite's primary result codes for a database that cannot take writes.
SQLITE_READONLY, SQLITE_FULL = 8, 13
SQLITE_MESSAGES = ("attempt to write a readonly database", "database or disk is full")
# PostgreSQL SQLSTATEs: a read-only transaction (a standby, default_transaction_read_only),
# and class 53, insufficient resources (disk full, out of memory).
POSTGRESQL_READ_ONLY = "25006"
POSTGRESQL_NO_RESOURCES = "53"
RETRY_AFTER_SECONDS = 120


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(InternalServerError, _server_error)


def cannot_write(error: BaseException | None) -> bool:
    """Is ``error`` (or what it wraps) the database refusing writes: read-only or full?"""
    while error is not None:
        original = error.orig if isinstance(error, DBAPIError) else error
        code = getattr(original, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in (SQLITE_READONLY, SQLITE_FULL):
            return True
        if isinstance(original, sqlite3.Error) and str(original) in SQLITE_MESSAGES:
            return True
        state = getattr(original, "sqlstate", None) or ""
        if state == POSTGRESQL_READ_ONLY or state.startswith(POSTGRESQL_NO_RESOURCES):
            return True
        error = error.__cause__ or error.__context__
    return False


def _rollback() -> None:
    """Discard the request's writes; a connection too broken even to roll back is let go."""
    try:
        db.session.rollback()
    except Exception:  # the page must still render; the session is thrown away at teardown
        log.exception("rolling back before an error page failed")


def _plain_page(status: int, title: str, message: str) -> Response:
    """An error page in the layout without the menu, which would query the database."""
    if "_login_user" not in g:
        # Loading the user may be what failed: Flask-Login's template context would try again.
        g._login_user = login_manager.anonymous_user()
    body = render_template("error.html", status=status, title=title, message=message, plain=True)
    response = current_app.make_response((body, status))
    # Set here so the security headers need not ask whether someone is signed in (a query).
    response.headers["Cache-Control"] = "no-store"
    return response


def _too_large(_error: RequestEntityTooLarge) -> Response:
    _rollback()
    limit_mib = current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
    message = (
        "What you sent is larger than SalesRamp accepts, so none of it was read or saved. "
        f"A form must be far smaller than that, and an uploaded file at most {limit_mib:.0f} MB. "
        "Go back and try again with less."
    )
    return _plain_page(413, "That was too large to send", message)


def _server_error(error: InternalServerError) -> Response:
    _rollback()
    if cannot_write(error.original_exception):
        log.error("the database refuses writes: %s", error.original_exception)
        response = _plain_page(
            503,
            "SalesRamp cannot save changes right now",
            "The database is not accepting changes at the moment (it is read-only or its disk "
            "is full), so nothing you just sent was saved. Please try again in a few minutes.",
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _plain_page(
        500,
        "Something went wrong on our side",
        "The error was logged and nothing you just sent was saved. Please try again, or go "
        "back to your home page.",
    )
