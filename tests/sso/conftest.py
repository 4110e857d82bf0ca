"""Single sign-on tests run against a real OpenID provider (``tests/sso/oidc.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.sso.provider import init_sso
from tests.sso.oidc import RunningProvider, run_provider

# The test client's address (SERVER_NAME is "localhost" in the tests' app).
CALLBACK = "http://localhost/login/sso/callback"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    """One provider per module: it keeps no state a test depends on (each signs in afresh)."""
    with run_provider(CALLBACK, tmp_path_factory.mktemp("oidc")) as running:
        yield running


@pytest.fixture
def sso(app: Flask, provider: RunningProvider) -> Iterator[RunningProvider]:
    """The tests' app pointed at the provider for one test (the config is restored after)."""
    app.config.update(provider.app_config())
    init_sso(app)
    yield provider
    app.extensions.pop("salesramp.sso", None)
    app.extensions.pop("authlib.integrations.flask_client", None)
