"""``GET /healthz`` for load balancers: no login, no HTML, 503 when a dependency is down."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from app.health import service

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    checks = service.health()
    healthy = all(value == "ok" for value in checks.values())
    response = jsonify(checks)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if healthy else 503
