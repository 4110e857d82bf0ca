"""Throttled sign-in and its trail in the security log, kept out of the login view itself.

Flask-Limiter counts *failed* sign-ins per account (the email typed, known or not, so the
answer does not reveal which emails exist) and per client address; once a limit is used up,
every attempt is refused with 429 before the password is even checked, so the right password
does not get through either. The limits are ``SIGN_IN_LIMIT_PER_ACCOUNT`` and
``SIGN_IN_LIMIT_PER_ADDRESS``; the counters live in memory, or in Redis with
``SALESRAMP_REDIS_URL`` so that every process and host shares them. When that Redis is
unreachable, Flask-Limiter counts in this process instead (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``)
until it answers again, so sign-in keeps working and keeps being throttled, per process; the
first sign-in after the fall-back says so in the log and in the security log. With
``RATELIMIT_ENABLED`` off nothing is counted and nothing is throttled.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, render_template, request
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user, user_logged_in
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.accounts.service import find_by_email
from app.extensions import limiter
from app.security import service as security
from app.security.models import EventKind

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

_FAILED = "salesramp.sign_in_failed"
_HOW = "salesramp.sign_in_how"  # how this request's sign-in came about, for the security log
_FELL_BACK = "salesramp.sign_in_counters_in_memory"
# Only something shaped like an email is written to the log: a password typed into the email
# box by mistake must not end up there.
_EMAIL_SHAPE = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}")


def guard_sign_in(view: F) -> F:
    """Throttle a sign-in view and log its failures; successes are logged by :func:`_signed_in`."""

    @limiter.limit(
        lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
        key_func=account_key,
        methods=["POST"],
        deduct_when=_failed,
    )
    @limiter.limit(
        lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"],
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=_failed,
    )
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        already_signed_in = current_user.is_authenticated
        _note_fallback()
        response = view(*args, **kwargs)
        if request.method == "POST" and not already_signed_in and not current_user.is_authenticated:
            g.setdefault(_FAILED, True)
            email = _typed_email()
            security.record(
                EventKind.SIGN_IN_FAILED,
                subject=find_by_email(email) if email else None,
                subject_label=_loggable(email),
                detail=g.get(_HOW) or "email or password not accepted",
            )
        return response

    return cast(F, guarded)


def _note_fallback() -> None:
    """Say once that the shared counters are unreachable, and once that they are back.

    Flask-Limiter's ``limiter`` is its in-memory fallback while the configured storage is down.
    With rate limiting switched off (``RATELIMIT_ENABLED``) there are no counters, shared or
    not, and nothing to say: sign-in is simply not throttled.
    """
    if not limiter.enabled:
        return
    fell_back = limiter.limiter.storage is not limiter.storage
    if fell_back == current_app.extensions.get(_FELL_BACK, False):
        return
    current_app.extensions[_FELL_BACK] = fell_back
    if not fell_back:
        log.warning("sign-in throttling: the shared counters answer again")
        return
    detail = "sign-in counters unreachable: counting in each process until they answer again"
    log.warning("sign-in throttling: %s", detail)
    security.record_refusal(EventKind.THROTTLE_STORE_DOWN, detail=detail)


def register_sign_in_guard(app: Flask) -> None:
    """The friendly 429 page, and the log entry for every successful sign-in."""
    app.register_error_handler(RateLimitExceeded, _too_many_attempts)
    user_logged_in.connect(_signed_in, app)


def note_sign_in(how: str) -> None:
    """Say how this request's sign-in (or its refusal) came about: the security log's detail."""
    g.setdefault(_HOW, how)


def _signed_in(_app: Flask, user: User, **_extra: Any) -> None:
    security.record(EventKind.SIGN_IN, actor=user, subject=user, detail=g.get(_HOW, ""))


def _failed(_response: Response) -> bool:
    return bool(g.get(_FAILED))


def _typed_email() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def account_key() -> str:
    """Flask-Limiter's key for the account a form names: the email typed, known or not."""
    return f"account:{_typed_email()}"


def _loggable(email: str) -> str:
    return email if _EMAIL_SHAPE.fullmatch(email) else "(not an email address)"


def _too_many_attempts(error: RateLimitExceeded) -> tuple[str, int, dict[str, str]]:
    """Say when to try again, in words and in ``Retry-After``; log the refusal."""
    current = limiter.current_limit
    now = int(time.time())
    wait = max(1, current.reset_at - now) if current is not None else 60
    email = _typed_email()
    security.record_refusal(
        EventKind.SIGN_IN_THROTTLED,
        subject=find_by_email(email) if email else None,
        subject_label=_loggable(email),
        detail=f"{request.method} {request.path}: over the limit of {error.limit.limit}",
    )
    retry_at = datetime.fromtimestamp(now + wait, UTC)
    # In words, to the nearest minute: the window's reset can fall a second past the minute.
    page = render_template(
        "accounts/throttled.html",
        wait_minutes=max(1, round(wait / 60)),
        retry_at=retry_at,
        resetting=request.endpoint == "accounts.forgot_password",
    )
    return page, 429, {"Retry-After": str(wait)}
