"""The demo organisation's coaching: a rep with a repeated gap and a history of commitments."""

from __future__ import annotations

import pytest

from app.accounts.service import authenticate
from app.coaching import service
from app.coaching.followthrough import Outcome


@pytest.fixture
def seeded(demo_snapshot, app):
    """The demo as ``flask demo`` seeds it (seeded once per run, see ``demo_snapshot``)."""


def _person(email: str):
    user = authenticate(email, "demo")
    assert user is not None
    return user


def test_a_rep_has_a_repeated_gap_across_debriefs_and_an_assessment(seeded) -> None:
    sam = _person("coach2@demo.salesramp")
    hiro = next(rep for rep in sam.reps if rep.full_name == "Hiro Tanaka")
    gaps = service.repeated_gaps_of(sam, hiro)
    gap = next(g for g in gaps if g.criterion == "pain-and-impact")
    assert len(gap.dates) == 3
    assert gap.summary.endswith("Uncovering pain and impact, 1/4")
    assert gap.commitments  # what was promised about it is named
    sources = {s.source for s in service.scored_sessions(hiro, service.debriefs_of(sam, hiro))}
    assert sources == {"debrief", "assessment"}


def test_reps_have_a_history_of_kept_partly_kept_and_missed_commitments(seeded) -> None:
    admin = _person("admin@demo.salesramp")
    outcomes = set()
    for email in ("coach1@demo.salesramp", "coach2@demo.salesramp"):
        for rep in _person(email).reps:
            outcomes |= {c.outcome for c in service.commitments_of(admin, rep) if c.outcome}
    assert outcomes == set(Outcome)
    sam = _person("coach2@demo.salesramp")
    hiro = next(rep for rep in sam.reps if rep.full_name == "Hiro Tanaka")
    progress = service.progress_of(sam, hiro)
    assert progress.kept_rate is not None and 0 < progress.kept_rate < 1
    prep = service.one_on_one_prep(sam, hiro, progress.debriefs[0].held_on)
    assert any(item.commitment.outcome is Outcome.MISSED for item in prep.open_commitments)


def test_the_demo_rep_login_has_a_debrief_to_prepare(seeded) -> None:
    ava = _person("rep1@demo.salesramp")
    (debrief,) = service.debriefs_of(ava, ava)
    assert not debrief.is_recorded
    # Unread: the debrief to prepare, and the agreement she was sent to sign.
    unread = [n.kind for n in service.notifications_of(ava) if n.read_at is None]
    assert sorted(unread) == ["agreement-to-sign", "debrief-prepare"]


def test_every_coaching_page_of_the_demo_renders(seeded, client) -> None:
    client.post("/login", data={"email": "coach2@demo.salesramp", "password": "demo"})
    sam = _person("coach2@demo.salesramp")
    for rep in sam.reps:
        page = client.get(f"/coaching/reps/{rep.id}")
        assert page.status_code == 200, page.text
        assert client.get(f"/coaching/reps/{rep.id}/one-on-one").status_code == 200
        assert client.get(f"/coaching/reps/{rep.id}/new").status_code == 200
        for debrief in service.debriefs_of(sam, rep):
            assert client.get(f"/coaching/debriefs/{debrief.id}").status_code == 200
    hiro = next(rep for rep in sam.reps if rep.full_name == "Hiro Tanaka")
    page = client.get(f"/coaching/reps/{hiro.id}").text
    assert "Same gap as" in page and "<svg" in page
    client.post("/logout")
    client.post("/login", data={"email": "rep1@demo.salesramp", "password": "demo"})
    page = client.get("/coaching/mine").text
    assert 'id="unread-count"' in page
