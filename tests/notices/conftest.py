"""Fixtures for notices: HR, and a rep under a signed improvement agreement (``world``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.accounts.models import Role, User


@pytest.fixture
def hr(make_user: Callable[..., User]) -> User:
    return make_user(Role.HR, name="Priya Shah")
