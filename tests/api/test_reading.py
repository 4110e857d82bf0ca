"""What the API shows, and to whom: the same rules as the pages, for every read endpoint.

Avery (coached by Casey) has a plan on day 30, a passed certification, a debrief with a
commitment, a week of figures and a sent agreement. Blake is another rep, coached by Dana.
"""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.access import can_view_person, viewable_people
from app.accounts.models import User
from app.extensions import db
from app.security.models import EventKind, SecurityEvent
from tests.api.conftest import AVERY, People, bearer, make_token_for

ENDPOINTS = ["", "/plan", "/certifications", "/commitments", "/activity", "/agreements"]


def _get(client: FlaskClient, user: User, url: str) -> tuple[int, str]:
    response = client.get(url, headers=bearer(make_token_for(user)))
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("avery", True),
        ("blake", False),  # a rep's token never reads another rep
        ("casey", True),
        ("dana", False),  # nor a coach's another coach's rep
        ("hr", True),
        ("admin", True),
    ],
)
def test_who_reads_averys_records(
    people: People, client: FlaskClient, endpoint: str, who: str, allowed: bool
) -> None:
    status, body = _get(client, getattr(people, who), f"/api/v1/people/{people.avery.id}{endpoint}")
    if allowed:
        assert status == 200, body
        assert f'"{AVERY}"' in body or f'"rep_id":{people.avery.id}' in body
    else:
        assert status == 403, body
        assert AVERY not in body


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_unknown_person_is_404_as_a_problem(
    people: People, client: FlaskClient, endpoint: str
) -> None:
    response = client.get(
        f"/api/v1/people/2147483647{endpoint}", headers=bearer(make_token_for(people.hr))
    )
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no such person.",
    }


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("avery", {AVERY}),
        ("casey", {AVERY, "Casey Coach"}),
        (
            "hr",
            {AVERY, "Blake Other", "Casey Coach", "Dana Elsewhere", "Harper People", "Alex Admin"},
        ),
    ],
)
def test_people_lists_whom_the_owner_may_see(
    people: People, client: FlaskClient, who: str, seen: set[str]
) -> None:
    response = client.get("/api/v1/people", headers=bearer(make_token_for(getattr(people, who))))
    assert response.status_code == 200
    assert {person["full_name"] for person in response.json["items"]} == seen
    assert response.json["total"] == len(seen)


def test_people_pages_link_to_their_neighbours(people: People, client: FlaskClient) -> None:
    headers = bearer(make_token_for(people.hr))
    first = client.get("/api/v1/people?per_page=4", headers=headers).json
    assert (first["total"], first["pages"], first["page"]) == (6, 2, 1)
    assert first["links"]["prev"] is None
    second = client.get(first["links"]["next"], headers=headers).json
    assert second["page"] == 2 and second["links"]["next"] is None
    assert second["links"]["prev"] == first["links"]["self"]
    names = [p["full_name"] for p in first["items"] + second["items"]]
    assert names == sorted(names) and len(set(names)) == 6


def test_the_plan_shows_each_milestone_with_its_due_date_and_state(
    people: People, client: FlaskClient
) -> None:
    response = client.get(
        f"/api/v1/people/{people.avery.id}/plan", headers=bearer(make_token_for(people.avery))
    )
    assert response.status_code == 200
    plan = response.json
    assert plan["day_of_ramp"] == 30 and plan["template_key"] == "sdr-ramp"
    assert plan["total"] == len(plan["milestones"]) > 0
    states = {m["state"] for m in plan["milestones"]}
    assert "overdue" in states  # day 30 of a plan nobody worked on
    assert plan["status"] == "at risk"
    first = plan["milestones"][0]
    assert date.fromisoformat(first["due_date"]) >= date.fromisoformat(plan["start_date"])


def test_certifications_show_attempts_results_and_expiry(
    people: People, client: FlaskClient
) -> None:
    body = client.get(
        f"/api/v1/people/{people.avery.id}/certifications",
        headers=bearer(make_token_for(people.avery)),
    ).json
    prospecting = next(c for c in body["items"] if c["stage"] == "prospecting")
    assert prospecting["status"] == "passed"
    (attempt,) = prospecting["attempts"]
    assert attempt["decided"] and attempt["passed"] is True
    assert attempt["expires_on"] == prospecting["expires_on"]


def test_commitments_activity_and_agreements(people: People, client: FlaskClient) -> None:
    headers = bearer(make_token_for(people.casey))
    base = f"/api/v1/people/{people.avery.id}"
    (commitment,) = client.get(base + "/commitments", headers=headers).json["items"]
    assert commitment["action"] == "Ask about impact" and commitment["open"] is True
    week = client.get(base + "/activity?weeks=2", headers=headers).json["weeks"][0]
    assert week["logged"]["dials"] == 14 and week["logged"]["deals_won"] is None
    assert week["imported"] is None
    (agreement,) = client.get(base + "/agreements", headers=headers).json["items"]
    assert agreement["status"] == "sent" and agreement["awaiting"] == ["rep", "hr"]
    assert "document" not in agreement and "values" not in agreement


def test_me_is_the_tokens_owner(people: People, client: FlaskClient) -> None:
    status, body = _get(client, people.dana, "/api/v1/me")
    assert status == 200 and '"full_name":"Dana Elsewhere"' in body and '"coach"' in body


def test_a_refusal_is_in_the_security_log(people: People, client: FlaskClient) -> None:
    _get(client, people.blake, f"/api/v1/people/{people.avery.id}/plan")
    event = db.session.scalars(
        db.select(SecurityEvent).where(SecurityEvent.kind == EventKind.PERMISSION_DENIED)
    ).one()
    assert event.actor_id == people.blake.id and "/plan" in event.detail


def test_the_people_list_uses_the_pages_rule(people: People) -> None:
    """``viewable_people`` in SQL says what ``can_view_person`` says, for every pair."""
    everyone = list(db.session.scalars(select(User)))
    for actor in everyone:
        listed = set(db.session.scalars(select(User.id).where(viewable_people(actor))))
        assert listed == {p.id for p in everyone if can_view_person(actor, p)}, actor.full_name
