"""Input holding NUL (0x00) is refused before any view reads it.

PostgreSQL can neither store nor compare text holding NUL, so a search, a form or an API body
carrying one would end in a server error there (and pass on SQLite).
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import UnprocessableEntity

NUL_REFUSED = (
    "The request holds a NUL character (0x00), which no field accepts: remove it and try again."
)


def refuse_nul_characters() -> None:
    """Refuse input holding NUL (0x00) before any view reads it: 422.

    PostgreSQL cannot store text with NUL, nor compare with it, so a search, a form or an API
    body carrying one would otherwise end in a server error there (and pass on SQLite). Query
    arguments, plain forms and JSON bodies are checked; uploads are read by their own checks.
    """
    values: list[object] = [*request.args.keys(), *request.args.values()]
    if request.mimetype == "application/x-www-form-urlencoded":
        values += [*request.form.keys(), *request.form.values()]
    elif request.is_json:
        values.append(request.get_json(silent=True))
    if any(_holds_nul(value) for value in values):
        raise UnprocessableEntity(NUL_REFUSED)


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
