"""Every error under /api/v1 as RFC 9457 problem details (``application/problem+json``).

The one place the API turns domain errors, HTTP errors, throttling and crashes into answers:
never an HTML page, never a redirect to the sign-in page. Like the pages' error handlers, it
rolls the request's writes back first, and a 403 goes to the security log.
"""

from __future__ import annotations

import logging
import time
from http import HTTPStatus
from typing import Any

from flask import Blueprint, current_app, g, request
from flask_limiter import RateLimitExceeded
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.api.models import ApiToken
from app.api.schemas import Problem
from app.errorpages import RETRY_AFTER_SECONDS, cannot_write
from app.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from app.extensions import db, limiter
from app.metrics.service import RowsRefused
from app.security import service as security
from app.security.models import EventKind
from app.web import answer_errors_under, discard_writes

log = logging.getLogger("salesramp.api")

PROBLEM_JSON = "application/problem+json"
STATUS_FOR = {NotAllowed: 403, NotFound: 404, Conflict: 409, Invalid: 422}


class ApiProblem(Exception):
    """Raised inside the API to answer with a problem at once (a missing token, bad input)."""

    def __init__(
        self, status: int, detail: str, headers: dict[str, str] | None = None, **extra: object
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    status: int, detail: str, headers: dict[str, str] | None = None, **extra: object
) -> Response:
    body = Problem(title=HTTPStatus(status).phrase, status=status, detail=detail, **extra)  # type: ignore[arg-type]
    response = current_app.response_class(
        body.model_dump_json(exclude_none=True), status=status, mimetype=PROBLEM_JSON
    )
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def register_problems(bp: Blueprint, app_prefix: str) -> None:
    """Problems for errors in the API's views, and for URLs under ``app_prefix`` none matched."""
    bp.register_error_handler(ApiProblem, _api_problem)
    bp.register_error_handler(DomainError, _domain_error)
    bp.register_error_handler(StaleDataError, _changed_meanwhile)
    bp.register_error_handler(RateLimitExceeded, _too_many)
    # By code as well as by class: Flask prefers the app's handler for a code (the 413 and 500
    # pages) over a blueprint's for a base class.
    for code in default_exceptions:
        if code != 500:
            bp.register_error_handler(code, _http_error)
    bp.register_error_handler(HTTPException, _http_error)
    bp.register_error_handler(InternalServerError, _server_error)
    bp.record_once(lambda state: _answer_unmatched(state.app, app_prefix))


def _answer_unmatched(app: Any, prefix: str) -> None:
    answer_errors_under(app, prefix, _http_error)


def _api_problem(error: ApiProblem) -> Response:
    discard_writes()
    return problem_response(error.status, error.detail, error.headers, **error.extra)


def _domain_error(error: DomainError) -> Response:
    discard_writes()
    status = next((code for cls, code in STATUS_FOR.items() if isinstance(error, cls)), 422)
    if status == 403:
        _record_denial(error.message)
    if isinstance(error, RowsRefused):
        return problem_response(
            status, error.message, errors=error.errors, error_count=error.error_count
        )
    return problem_response(status, error.message)


def _changed_meanwhile(_error: StaleDataError) -> Response:
    discard_writes()
    return problem_response(409, "Someone else changed this meanwhile; read it again and retry.")


def _http_error(error: HTTPException) -> Response:
    discard_writes()
    status = error.code or 500
    detail = {
        404: "There is nothing at this address in the API.",
        405: f"{request.method} is not possible here.",
        413: "The request body is larger than the API accepts; send fewer rows at a time.",
    }.get(status, error.description or HTTPStatus(status).phrase)
    headers = {}
    allowed = getattr(error, "valid_methods", None)
    if status == 405 and allowed:
        headers["Allow"] = ", ".join(sorted(allowed))
    if status == 403:
        _record_denial(detail)
    return problem_response(status, detail, headers)


def _too_many(error: RateLimitExceeded) -> Response:
    discard_writes()
    current = limiter.current_limit
    wait = max(1, current.reset_at - int(time.time())) if current else 60
    # Not in the security log: a runaway script would fill it; refused tokens are logged.
    return problem_response(
        429,
        f"Too many requests: at most {error.limit.limit}. Try again in {wait} seconds.",
        {"Retry-After": str(wait)},
    )


def _server_error(error: InternalServerError) -> Response:
    try:
        db.session.rollback()
    except Exception:  # the answer must still go out; the session is dropped at teardown
        log.exception("rolling back before an API error failed")
    g.discard_writes = True
    if cannot_write(error.original_exception):
        log.error("the database refuses writes: %s", error.original_exception)
        return problem_response(
            503,
            "The database is not accepting changes right now; nothing was saved. Try again later.",
            {"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return problem_response(500, "Something went wrong on our side; nothing was saved.")


def _record_denial(reason: str) -> None:
    detail = f"{request.method} {request.path}: {reason}"
    security.record_refusal(EventKind.PERMISSION_DENIED, actor=_token_owner(), detail=detail)


def _token_owner() -> User | None:
    token: ApiToken | None = g.get("api_token")
    return token.user if token is not None else None
