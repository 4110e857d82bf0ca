"""Agreements under concurrency: the audit chain, signing, bulk sends, two editors of a draft."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.agreements import audit
from app.agreements.models import Agreement
from app.extensions import db
from tests.concurrency import TWENTY, at_once

Login = Callable[[User], FlaskClient]


def reload(agreement_id: int) -> Agreement:
    db.session.expire_all()
    found = db.session.get(Agreement, agreement_id)
    assert found is not None
    return found


@pytest.mark.real_commits  # the threads' commits must reach each other
def test_opening_the_sign_page_twenty_times_at_once_keeps_the_trail_intact(
    app: Flask, login: Login, make_agreement: Callable[..., Agreement]
) -> None:
    """Each opening is on the trail once, in order: no UNIQUE error on the sequence number."""
    agreement = make_agreement()
    agreement_id = agreement.id
    signed_in = login(agreement.rep)

    statuses = at_once(app, signed_in, f"/agreements/{agreement_id}/sign", method="GET")

    assert statuses == [200] * TWENTY
    agreement = reload(agreement_id)
    assert audit.event_count(agreement, "opened") == TWENTY
    assert audit.verify_chain(agreement).intact
