"""Many identical requests at once, each from a thread with its own test client and connection.

For tests marked ``real_commits``: the requests' commits must reach each other. The threads wait
at a barrier and then send together, like twenty clicks of an impatient user, or a form sent
again by a retrying proxy.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db

TWENTY = 20


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
