"""Asking for a table's file as a manager does: the page's button, the progress page, the file."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def finished_file(client: FlaskClient, url: str, **form: str) -> TestResponse:
    """Queue ``url`` (``/exports/<name>.<fmt>``) with the page's filters as the button sends
    them; the tests run each job as it is queued, so the progress page offers the file."""
    started = client.post(f"{url}/start", data=form)
    assert started.status_code == 303, started.status_code
    progress = started.headers["Location"]
    page = client.get(progress)
    assert "Ready: " in page.text
    assert "can be downloaded for 7 days after it is written" in page.text  # then pruned
    status = client.get(f"{progress}/status").get_json()
    assert status["status"] == "done" and status["done"] == status["total"]
    download = client.get(status["download"])
    download.get_data()
    download.close()  # send_file's file handle
    return download
