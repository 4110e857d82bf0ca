"""The pairing form's peer picker at scale: suggestions first, a name search and pages, all
without JavaScript (a GET search narrows the select; the POST keeps the page it came from)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from app.buddies import service
from app.buddies.models import BuddyPairing
from app.extensions import db
from app.pagination import PageRequest
from tests.buddies.conftest import People
from tests.conftest import create_user


@pytest.fixture
def crowd(people: People) -> list[User]:
    """Sixty more reps (no plan, so never suggested): with Pat and Alex, 62 peers, two pages."""
    reps = [create_user(Role.REP, name=f"Zed Crowd {n:02d}") for n in range(60)]
    db.session.commit()
    return reps


def _options(html: str) -> list[str]:
    return re.findall(r'<option value="(\d+)"', html)


def test_suggestions_come_first_and_the_list_pages(people: People, crowd: list[User], login):
    client = login(people.coach)
    first = client.get(f"/buddies/pair/{people.rep.id}").text
    options = _options(first)
    assert len(options) == 50 and options[0] == str(people.peer.id)
    assert "Showing 1\u201350 of 62 peers with room" in first and 'rel="next"' in first
    second = client.get(f"/buddies/pair/{people.rep.id}?page=2").text
    assert len(_options(second)) == 12 and not set(_options(second)) & set(options)


def test_a_name_search_narrows_the_choice_and_pairs_from_it(
    people: People, crowd: list[User], login
):
    client = login(people.coach)
    url = f"/buddies/pair/{people.rep.id}?q=crowd+07"
    found = client.get(url).text
    assert _options(found) == [str(crowd[7].id)] and "Suggested peers" in found
    assert client.post(url, data={"buddy_id": str(crowd[7].id)}).status_code == 302
    pairing = db.session.scalar(select(BuddyPairing))
    assert pairing.buddy_id == crowd[7].id
    nobody = client.get(f"/buddies/pair/{people.rep.id}?q=%25_nobody").text
    assert _options(nobody) == [] and "No peer with room has a name containing" in nobody


def test_full_peers_are_not_offered_whatever_the_search(people: People, app) -> None:
    app.config["BUDDY_MAX_PER_PEER"] = 1
    other = create_user(Role.REP, coach=people.coach, name="Other Newhire")
    service.pair(people.coach, other, people.peer)
    db.session.flush()
    choice = service.peer_choice(people.coach, people.rep, PageRequest(search="pat"))
    assert choice.offered.total == 0 and choice.suggested == []
