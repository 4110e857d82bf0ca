"""Counting the SQL statements a page asks: query counts are a behaviour, tested like one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


class Statements(list[str]):
    """The SQL statements run inside ``counting_queries``, in order (their count: ``len``)."""


@contextmanager
def counting_queries() -> Iterator[Statements]:
    """Record every statement any engine runs until the block ends (savepoints left out)."""
    seen = Statements()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def count_pages(app: Any, pages: dict[str, tuple[int, str]], password: str) -> dict[str, int]:
    """How many statements each page asks: ``pages`` maps a name to (who looks, URL).

    Each person signs in once; each page is asked once to warm what is warmed once per
    process, then counted from a fresh session, as a real request starts.
    """
    from flask import g

    from app.accounts.models import User
    from app.extensions import db
    from app.generation import forget_kept_figures

    clients: dict[int, Any] = {}
    counts = {}
    for name, (user_id, url) in pages.items():
        g.pop("_login_user", None)  # the tests' app context outlives requests: forget who was in
        if user_id not in clients:
            client = clients[user_id] = app.test_client()
            email = db.session.get(User, user_id).email
            response = client.post("/login", data={"email": email, "password": password})
            assert response.status_code == 302, response.text
        client = clients[user_id]
        client.get(url)
        db.session.remove()
        g.pop("_login_user", None)
        forget_kept_figures()  # the page's own work is counted, not a kept copy of it
        with counting_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(statements)
    return counts


@dataclass(frozen=True)
class KeptView:
    """A page viewed with what the process kept from a first view, and the statements that
    view asked and the same view worked out afresh asked."""

    response: Any
    kept: Statements
    afresh: Statements


def kept_view(client: Any, url: str) -> KeptView:
    """``url`` viewed twice (the second from kept figures), then once more afresh."""
    from app.generation import forget_kept_figures

    client.get(url)
    with counting_queries() as kept:
        response = client.get(url)
    forget_kept_figures()
    with counting_queries() as afresh:
        client.get(url)
    return KeptView(response, kept, afresh)
