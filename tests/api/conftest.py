"""Tokens for the API tests: made through the service, as the account page makes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask

from app.accounts.models import User
from app.api import service
from app.extensions import db


def make_token_for(user: User, expires: datetime | None = None, name: str = "test") -> str:
    made = service.create_token(user, name, expires)
    assert made is not None
    db.session.commit()
    return made.secret


@pytest.fixture
def token_for(app: Flask) -> Callable[..., str]:
    """``token_for(user)``: a new token's secret for ``user``."""
    return make_token_for


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
