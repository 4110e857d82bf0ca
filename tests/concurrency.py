"""Many identical requests at once, each from a thread with its own test client and connection.

For tests marked ``real_commits``: the requests' commits must reach each other. The threads wait
at a barrier and then send together, like twenty clicks of an impatient user, or a form sent
again by a retrying proxy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db

TWENTY = 20
T = TypeVar("T")


def at_once(
    app: Flask,
    signed_in: FlaskClient,
    url: str,
    data: Mapping[str, Any] | None = None,
    method: str = "POST",
    times: int = TWENTY,
) -> list[int]:
    """Send the same request ``times`` times at once, as ``signed_in``'s user; the statuses.

    Each thread's client carries a copy of ``signed_in``'s session cookie. What the main
    thread's session remembers is dropped first and after, so it reads what the threads did.
    """
    cookie = signed_in.get_cookie("session", domain="localhost")
    assert cookie is not None, "sign the client in first"
    db.session.commit()
    db.session.remove()
    ready = threading.Barrier(times)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def send() -> None:
        client = app.test_client()
        client.set_cookie("session", cookie.value, domain="localhost")
        try:
            ready.wait(timeout=30)
            response = client.open(url, method=method, data=dict(data or {}))
            statuses.append(response.status_code)
            response.close()
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.session.remove()
    assert not failures, failures
    assert len(statuses) == times, statuses
    return statuses


def together(app: Flask, work: Callable[[], T], times: int = 2) -> list[T | Exception]:
    """Run ``work`` in ``times`` threads at once, each in an app context of its own (its own
    session and connection), released together by a barrier; what each returned or raised.

    For services run by concurrent workers (the CLI, the job queue) rather than requests.
    """
    db.session.commit()
    db.session.remove()
    ready = threading.Barrier(times)
    outcomes: list[T | Exception] = []

    def run() -> None:
        with app.app_context():
            try:
                ready.wait(timeout=30)
                outcomes.append(work())
            except Exception as error:  # the test reads it among the outcomes
                db.session.rollback()
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == times, outcomes
    return outcomes
