"""Limits on what a request may carry: body sizes, and ids in URLs that fit the database.

An unauthenticated client must not make the server read (or spool to disk) a body larger than
any page needs, and a hand-edited id too large for an INTEGER column must be a 404, not a 500
from PostgreSQL. Both are decided here, before any view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter, Map

from app.lookup import MAX_ID

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


class IdConverter(IntegerConverter):
    """``<int:...>`` for ids: 1 to ``MAX_ID``; a larger number matches no route (a 404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def accepts_upload(view: ViewT) -> ViewT:
    """Mark a view that takes a file: it may receive up to ``MAX_CONTENT_LENGTH`` bytes.

    Every other view expects only a form, and gets the smaller ``MAX_FORM_LENGTH``.
    """
    view.accepts_upload = True  # type: ignore[attr-defined]
    return view


def register_limits(app: Flask) -> None:
    """Bound ids in URLs (before any blueprint adds a rule) and request bodies."""
    app.url_map.converters["int"] = IdConverter
    # First of all before_request hooks: CSRF protection reads the form, and so the body.
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_body)


def _limit_body() -> None:
    """Refuse an oversize body from its Content-Length, before a byte of it is read.

    A body without a length (chunked) is cut off by Werkzeug at the same limit while it reads.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    upload = getattr(view, "accepts_upload", False)
    limit: int = current_app.config["MAX_CONTENT_LENGTH" if upload else "MAX_FORM_LENGTH"]
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        abort(413)
