"""Operations logging: one structured line per request, and SQL statements slower than a limit.

Each request gets an id: the ``X-Request-Id`` a proxy or load balancer sent (when it looks like
one), or a new one. It is returned in the response's ``X-Request-Id`` header and is on the
request's log line and on any slow statement it ran, so one failure can be followed across the
proxy's, the app's and the database's logs. The lines are JSON, through the ``logging`` module
(``salesramp.request`` and ``salesramp.sql``), so the deployment decides where they go.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import event, inspect
from werkzeug.wrappers import Response

from app.extensions import db

request_log = logging.getLogger("salesramp.request")
sql_log = logging.getLogger("salesramp.sql")

REQUEST_ID_HEADER = "X-Request-Id"
# A proxy's id is kept only if it is short and plain: it is echoed into headers and logs.
ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
STATEMENT_CHARS = 500  # of a slow statement's SQL (never its parameters: they may be personal)


def register_request_log(app: Flask) -> None:
    """Call before the other after_request hooks are registered: it then runs after them all."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    _default_handler(app)
    with app.app_context():
        _log_slow_statements(app.config["SLOW_QUERY_MS"] / 1000)


def _default_handler(app: Flask) -> None:
    """Without a logging configuration (``make run``), the lines go to standard error.

    A deployment that configures logging (handlers on the root logger) decides for itself;
    the tests read the records through pytest's capture.
    """
    salesramp = logging.getLogger("salesramp")
    if app.testing or salesramp.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    salesramp.addHandler(handler)
    salesramp.setLevel(logging.INFO)


def current_request_id() -> str:
    """This request's id, or "" outside a request (the CLI)."""
    return str(g.get("request_id", "")) if has_request_context() else ""


def _start() -> None:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = sent if ACCEPTED_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    """Log the request's outcome; an error page replacing a failed commit is logged instead."""
    request_id = g.get("request_id") or uuid.uuid4().hex
    started = g.get("request_started", time.perf_counter())
    response.headers[REQUEST_ID_HEADER] = request_id
    request_log.info(
        _line(
            request_id=request_id,
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=_signed_in_id(),
        )
    )
    return response


def _signed_in_id() -> int | None:
    """The person the request was served to, if it looked them up: never a lookup of its own
    (the database may be why the request failed), and never the session's sign-in token,
    which is a secret (``app/accounts/signins.py``)."""
    user = g.get("_login_user")  # where Flask-Login keeps whom it found for this request
    # The commit before this hook expired the user's attributes: their id is read from the
    # identity map, as reading ``user.id`` would load the user again, a query on every page.
    # An anonymous visitor is no mapped row, so has no identity.
    state = inspect(user, raiseerr=False) if user is not None else None
    identity = state.identity if state is not None else None
    return int(identity[0]) if identity else None


def _line(**fields: Any) -> str:
    """One JSON object: a path or id with a newline in it cannot forge another log line."""
    return json.dumps(fields, ensure_ascii=True, separators=(",", ":"))


def _log_slow_statements(threshold_seconds: float) -> None:
    def before(conn: Any, _cursor: Any, *_args: Any) -> None:
        conn.info.setdefault("salesramp.started", []).append(time.perf_counter())

    def after(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        started = conn.info.get("salesramp.started")
        if not started:
            return
        seconds = time.perf_counter() - started.pop()
        if seconds >= threshold_seconds:
            sql_log.warning(
                _line(
                    slow_query_ms=round(seconds * 1000, 1),
                    request_id=current_request_id(),
                    statement=" ".join(statement.split())[:STATEMENT_CHARS],
                )
            )

    def failed(context: Any) -> None:  # no after_cursor_execute: forget its start
        if context.connection is not None:
            started = context.connection.info.get("salesramp.started")
            if started:
                started.pop()

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    event.listen(db.engine, "handle_error", failed)
