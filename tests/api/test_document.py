"""The OpenAPI 3.1 document and its docs page: public, generated, served from this site only."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from app.config import PROJECT_ROOT

OPERATIONS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/people"),
    ("get", "/api/v1/people/{rep_id}"),
    ("get", "/api/v1/people/{rep_id}/plan"),
    ("get", "/api/v1/people/{rep_id}/certifications"),
    ("get", "/api/v1/people/{rep_id}/commitments"),
    ("get", "/api/v1/people/{rep_id}/activity"),
    ("get", "/api/v1/people/{rep_id}/agreements"),
    ("post", "/api/v1/activity"),
}


def test_the_document_is_openapi_3_1_with_every_operation(app: Flask, client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")  # no token: it describes, it opens nothing
    assert response.status_code == 200 and response.content_type == "application/json"
    document = response.json
    assert document["openapi"] == "3.1.0"
    found = {(m, path) for path, ops in document["paths"].items() for m in ops}
    assert found == OPERATIONS
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"bearer": []}], (method, path)
            assert {"401", "429", "500"} <= set(operation["responses"])
            for code, answer in operation["responses"].items():
                (media_type,) = answer["content"]
                expected = "application/json" if code < "400" else "application/problem+json"
                assert media_type == expected, (method, path, code)


def test_the_docs_page_loads_only_vendored_assets(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert "/static/vendor/swagger-ui/swagger-ui.css" in sources
    assert all(source.startswith("/static/") for source in sources)
    for source in sources:
        assert (PROJECT_ROOT / source.lstrip("/")).is_file(), source
    vendored = (PROJECT_ROOT / "static/vendor/swagger-ui/swagger-ui-bundle.js").read_text()
    assert "unpkg.com" not in vendored and "cdn.jsdelivr" not in vendored
    script = (PROJECT_ROOT / "static/js/api-docs.js").read_text()
    assert "validatorUrl: null" in script  # else Swagger UI asks swagger.io to validate
