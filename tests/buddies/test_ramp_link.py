"""The new hire's ramp page links to their buddy pairing for the pair and the coach only."""

from __future__ import annotations

from app.buddies import service
from app.extensions import db
from tests.buddies.conftest import People


def test_the_ramp_page_links_to_the_pairing_for_the_rep_and_the_coach(people: People, login):
    rep = people.rep
    client = login(rep)
    assert 'id="buddy-link"' not in client.get("/ramp").text  # no buddy yet
    pairing = service.pair(people.coach, rep, people.peer)
    db.session.commit()
    link = f'href="/buddies/{pairing.id}" id="buddy-link"'
    own = client.get("/ramp").text
    assert link in own and "My buddy: Pat Peer" in own
    client.post("/logout")

    client = login(people.coach)
    coach_view = client.get(f"/reps/{rep.id}").text
    assert link in coach_view and "Buddy: Pat Peer" in coach_view
    client.post("/logout")

    # HR and admins see the ramp page but reach pairings from the buddies list.
    for reader in (people.hr, people.admin):
        client = login(reader)
        assert 'id="buddy-link"' not in client.get(f"/reps/{rep.id}").text
        client.post("/logout")


def test_the_link_is_for_the_pair_and_coach_only(people: People) -> None:
    pairing = service.pair(people.coach, people.rep, people.peer)
    db.session.flush()
    for reader in (people.rep, people.peer, people.coach):
        found = service.buddy_link_for(reader, people.rep)
        assert found is not None and found.link == service.pairing_link(pairing.id)
    for reader in (people.ae, people.other_coach, people.hr, people.admin):
        assert service.buddy_link_for(reader, people.rep) is None
    service.end_pairing(people.coach, pairing, "Moved teams")
    assert service.buddy_link_for(people.rep, people.rep) is None
