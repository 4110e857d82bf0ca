"""Schemathesis against the app: every operation, a few dozen generated requests each.

With an admin's token (who may read everyone and import activity) every answer must be no
server error, have a status the document declares for the operation, the declared content
type, and a body that fits the declared schema. Generated requests include invalid ones
(wrong types, out-of-range numbers, missing fields), which must be refused with a declared
4xx problem, never a 500. The examples per operation are bounded so the suite stays fast.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from tests.api.conftest import People, make_token_for


def _document() -> schemathesis.BaseSchema:
    """The document as the app serves it; each case is then sent to the test's own app."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collect", "TESTING": True}
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = _document()


@pytest.fixture
def admin_token(app: Flask, people: People, monkeypatch: pytest.MonkeyPatch) -> str:
    """An admin's token; Avery's record has something of every kind to show."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000/minute")
    return make_token_for(people.admin)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_its_document(
    case: schemathesis.Case, client: FlaskClient, admin_token: str
) -> None:
    case.call_and_validate(
        session=client, headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS
    )
