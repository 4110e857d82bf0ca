"""Agreements under concurrency: the audit chain, signing, bulk sends, two editors of a draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.agreements import audit
from app.agreements.models import Agreement, BulkSend
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


def bulk_setup(
    make_rep: Callable[..., User], make_team: Callable[..., Any], values: dict
) -> tuple[str, dict[str, str]]:
    """Two reps in a team, and the bulk form previewed for them: the URL and the form to send."""
    team = make_team("Team North")
    for name in ("Ava Chen", "Ben Okafor"):
        make_rep(name=name).team = team
    db.session.commit()
    form = {f"v_{k}": v or "" for k, v in values["performance-improvement"].items()}
    form |= {"team": str(team.id), "submission_key": "k-bulk"}
    return "/agreements/bulk?template=performance-improvement", form


def previewed(client: FlaskClient, url: str, form: dict[str, str]) -> dict[str, str]:
    page = client.post(url, data={**form, "action": "preview"}).text
    fingerprint = page.split('name="previewed" type="hidden" value="')[1].split('"')[0]
    assert 'name="submission_key" type="hidden" value="k-bulk"' in page  # the same form
    return {**form, "action": "send", "previewed": fingerprint}


def test_pressing_send_twice_on_a_bulk_preview_sends_each_rep_one_agreement(
    client: FlaskClient,
    login: Login,
    hr: User,
    make_rep: Callable[..., User],
    make_team: Callable[..., Any],
    values: dict,
) -> None:
    url, form = bulk_setup(make_rep, make_team, values)
    login(hr)
    send = previewed(client, url, form)
    answers = [client.post(url, data=send) for _ in range(2)]
    assert [(a.status_code, a.location) for a in answers] == [(303, answers[0].location)] * 2
    assert answers[0].location.startswith("/agreements/bulk/")  # one batch's progress page
    assert db.session.query(Agreement).count() == 2
    assert db.session.query(BulkSend).count() == 1


@pytest.mark.real_commits
def test_twenty_identical_bulk_sends_at_once_send_each_rep_one_agreement(
    app: Flask,
    client: FlaskClient,
    login: Login,
    hr: User,
    make_rep: Callable[..., User],
    make_team: Callable[..., Any],
    values: dict,
) -> None:
    url, form = bulk_setup(make_rep, make_team, values)
    signed_in = login(hr)
    send = previewed(signed_in, url, form)
    assert at_once(app, signed_in, url, send) == [303] * TWENTY
    assert db.session.query(Agreement).count() == 2
    assert db.session.query(BulkSend).count() == 1


def test_two_people_editing_a_draft_the_second_sees_the_first_ones_change(
    client: FlaskClient,
    login: Login,
    hr: User,
    make_agreement: Callable[..., Agreement],
    values: dict,
) -> None:
    """Optimistic locking on the draft's revision: the stale save is shown the current values."""
    agreement = make_agreement(send=False)
    login(hr)
    url = f"/agreements/{agreement.id}/edit"
    revision = str(agreement.revision)
    assert f'name="revision" type="hidden" value="{revision}"' in client.get(url).text
    form = {f"v_{k}": v or "" for k, v in values["performance-improvement"].items()}
    first = client.post(url, data={**form, "v_review_dates": "Mondays", "revision": revision})
    assert first.status_code == 302

    stale = client.post(url, data={**form, "v_review_dates": "Fridays", "revision": revision})

    assert stale.status_code == 409
    assert "Someone else changed this draft after you opened it" in stale.text
    assert "Mondays" in stale.text and "Fridays" not in stale.text
    assert reload(agreement.id).values["review_dates"] == "Mondays"
