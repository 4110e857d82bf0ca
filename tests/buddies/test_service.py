"""Pairing, check-ins with carried commitments, and lapses raised to the coach, through the
services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.buddies import service
from app.buddies.models import BuddyLapse, BuddyPairing
from app.calendars.service.feed import events_for
from app.errors import Conflict, Invalid, NotAllowed
from app.extensions import db
from app.notifications.models import Notification
from app.pagination import PageRequest
from app.plans.models import Plan
from app.reminders.digest import coach_sections
from app.reminders.workqueue import WaitingKind, work_queue
from tests.buddies.conftest import People
from tests.conftest import create_rep


def _plan_start(rep) -> date:
    return db.session.scalar(select(Plan.start_date).where(Plan.rep_id == rep.id))


def _paired_from_start(people: People) -> BuddyPairing:
    pairing = service.pair(people.coach, people.rep, people.peer)
    pairing.paired_on = _plan_start(people.rep)
    db.session.commit()
    return pairing


def _entry(held_on: date, **values) -> service.CheckInEntry:
    return service.CheckInEntry(held_on, values.pop("worked_on", "Cold calls"), **values)


def _kinds(user, kind: str) -> list[Notification]:
    query = select(Notification).where(
        Notification.recipient_id == user.id, Notification.kind == kind
    )
    return list(db.session.scalars(query))


def test_suggestions_are_same_role_experienced_peers_with_their_load(people: People):
    peers = {p.name: p for p in service.peers_for(people.coach, people.rep)}
    assert peers["Pat Peer"].suggested and peers["Pat Peer"].role == "SDR"
    assert not peers["Alex Exec"].suggested  # an AE
    assert "Nina Newhire" not in peers
    assert next(iter(peers)) == "Pat Peer"  # suggested first
    service.pair(people.coach, people.rep, people.peer)
    db.session.commit()
    assert {p.name: p for p in service.peers_for(people.coach, people.rep)}["Pat Peer"].buddies == 1


def test_a_full_peer_is_neither_suggested_nor_accepted(people: People, app):
    app.config["BUDDY_MAX_PER_PEER"] = 1
    other = create_rep(day_of_ramp=10, coach=people.coach)
    service.pair(people.coach, other, people.peer)
    db.session.commit()
    peer = {p.name: p for p in service.peers_for(people.coach, people.rep)}["Pat Peer"]
    assert peer.full and not peer.suggested
    with pytest.raises(Invalid):
        service.pair(people.coach, people.rep, people.peer)


@pytest.mark.parametrize("who", ["rep", "peer", "other_coach", "hr"])
def test_only_the_coach_or_an_admin_pairs(people: People, who: str):
    with pytest.raises(NotAllowed):
        service.pair(getattr(people, who), people.rep, people.peer)
    assert service.pair(people.admin, people.rep, people.peer).buddy_id == people.peer.id


def test_replacing_a_buddy_keeps_the_history_and_one_active_pairing(people: People):
    first = service.pair(people.coach, people.rep, people.peer)
    db.session.commit()
    second_buddy = create_rep(day_of_ramp=150, name="Quinn Second")
    second = service.pair(people.coach, people.rep, second_buddy)
    db.session.commit()
    assert first.ended_at is not None and "Replaced by Quinn Second" in first.end_reason
    assert service.active_pairing_of(people.rep).id == second.id
    assert [p.id for p in service.pairing_history_of(people.rep)] == [second.id, first.id]
    service.end_pairing(people.coach, second, "Quinn moved teams")
    db.session.commit()
    assert service.active_pairing_of(people.rep) is None
    assert second.ended_by_id == people.coach.id and second.end_reason == "Quinn moved teams"


def test_the_same_pairing_form_sent_twice_pairs_once(people: People):
    first = service.pair(people.coach, people.rep, people.peer, key="k" * 20)
    again = service.pair(people.coach, people.rep, people.peer, key="k" * 20)
    db.session.commit()
    assert first.id == again.id
    assert db.session.scalar(select(db.func.count(BuddyPairing.id))) == 1
    assert len(_kinds(people.peer, "buddy-paired")) == 1


def test_commitments_carry_to_the_next_check_in_where_they_are_marked(people: People):
    pairing = _paired_from_start(people)
    start = _plan_start(people.rep)
    service.record_check_in(
        people.rep,
        pairing,
        _entry(start + timedelta(days=7), will_do=["Book 3 meetings", "Shadow a demo", ""]),
    )
    db.session.commit()
    open_ones = service.to_review(service.check_ins_of(pairing))
    assert [c.action for c in open_ones] == ["Book 3 meetings", "Shadow a demo"]
    kept = frozenset({open_ones[0].id})
    service.record_check_in(people.peer, pairing, _entry(start + timedelta(days=14), kept=kept))
    db.session.commit()
    first, second = service.check_ins_of(pairing)
    assert [(c.action, c.kept) for c in first.commitments] == [
        ("Book 3 meetings", True),
        ("Shadow a demo", False),
    ]
    assert all(c.reviewed_in_id == second.id for c in first.commitments)
    assert (first.due_on, second.due_on) == (start + timedelta(days=7), start + timedelta(days=14))
    assert len(_kinds(people.rep, "buddy-check-in")) == 1  # the buddy recorded the second


def test_one_check_in_per_due_date_and_only_by_the_pair(people: People):
    pairing = _paired_from_start(people)
    held = _plan_start(people.rep) + timedelta(days=6)
    service.record_check_in(people.rep, pairing, _entry(held))
    db.session.commit()
    with pytest.raises(Invalid):
        service.record_check_in(people.peer, pairing, _entry(held + timedelta(days=1)))
    db.session.rollback()
    for outsider in (people.coach, people.hr, people.ae):
        with pytest.raises(NotAllowed):
            service.record_check_in(outsider, pairing, _entry(held))
    with pytest.raises(Invalid):
        service.record_check_in(people.rep, pairing, _entry(date.today() + timedelta(days=1)))
    with pytest.raises(Invalid):
        service.record_check_in(people.rep, pairing, _entry(held, worked_on="  "))
    service.end_pairing(people.coach, pairing, "Done")
    with pytest.raises(Conflict):
        service.record_check_in(people.rep, pairing, _entry(held + timedelta(days=7)))


def test_two_missed_check_ins_alert_the_coach_once_per_lapse(people: People):
    pairing = _paired_from_start(people)  # day 20: days 7 and 14 are past their windows
    start = _plan_start(people.rep)
    assert service.run_lapse_alerts() == 1
    db.session.commit()
    assert service.run_lapse_alerts() == 0  # the next hour, the next day: no spam
    later = date.today() + timedelta(days=7)  # day 21 missed too: the same lapse goes on
    assert service.run_lapse_alerts(today=later) == 0
    db.session.commit()
    alerts = _kinds(people.coach, "buddy-lapse")
    assert len(alerts) == 1 and "Nina Newhire" in alerts[0].message
    lapse = db.session.scalar(select(BuddyLapse))
    assert lapse.first_missed_on == start + timedelta(days=7)

    queue = work_queue(people.coach)
    assert [i.kind for i in queue.items if i.kind == WaitingKind.BUDDY_LAPSE] == [
        WaitingKind.BUDDY_LAPSE
    ]
    digest = " ".join(line.text for section in coach_sections(queue) for line in section.lines)
    assert "Follow up a lapsed buddy" in digest and "Nina Newhire" in digest
    service.record_check_in(people.rep, pairing, _entry(date.today()))
    db.session.commit()
    assert lapse.resolved_at is not None
    assert not [i for i in work_queue(people.coach).items if i.kind == WaitingKind.BUDDY_LAPSE]


def test_a_check_in_back_dated_into_a_missed_window_raises_no_second_alert(people: People):
    pairing = _paired_from_start(people)  # day 20: days 7 and 14 missed, one lapse
    start = _plan_start(people.rep)
    assert service.run_lapse_alerts() == 1
    db.session.commit()
    service.record_check_in(people.rep, pairing, _entry(start + timedelta(days=7)))
    db.session.commit()
    # Days 14 and 21 are now two misses in a row, but the coach heard of 14 already.
    assert service.run_lapse_alerts(today=date.today() + timedelta(days=8)) == 0
    db.session.commit()
    assert len(_kinds(people.coach, "buddy-lapse")) == 1


def test_one_missed_check_in_is_not_a_lapse(people: People):
    pairing = _paired_from_start(people)
    service.record_check_in(
        people.rep, pairing, _entry(_plan_start(people.rep) + timedelta(days=7))
    )
    db.session.commit()
    assert service.run_lapse_alerts() == 0
    assert _kinds(people.coach, "buddy-lapse") == []


def test_a_lapse_without_a_coach_goes_to_hr(people: People):
    people.rep.coach = None
    pairing = service.pair(people.admin, people.rep, people.peer)
    pairing.paired_on = _plan_start(people.rep)
    db.session.commit()
    assert service.run_lapse_alerts() == 1
    assert len(_kinds(people.hr, "buddy-lapse")) == 1


def test_due_check_ins_are_in_both_peoples_calendars(people: People):
    pairing = _paired_from_start(people)
    start = _plan_start(people.rep)
    service.record_check_in(people.rep, pairing, _entry(start + timedelta(days=7)))
    db.session.commit()
    for person, other in ((people.rep, "Pat Peer"), (people.peer, "Nina Newhire")):
        events = [e for e in events_for(person, date.today()) if "Buddy check-in" in e.summary]
        assert [e.on for e in events] == [
            start + timedelta(days=d) for d in (7, 14, 21, 28, 44, 58, 90)
        ]
        assert events[0].summary == f"\u2713 Buddy check-in with {other}"
        assert events[1].summary == f"Buddy check-in with {other}"
    assert not [e for e in events_for(people.coach, date.today()) if "Buddy" in e.summary]


def test_a_pairing_made_late_is_held_only_to_later_dates(people: People):
    late_rep = create_rep(day_of_ramp=50, coach=people.coach)
    pairing = service.pair(people.coach, late_rep, people.peer)
    db.session.commit()
    assert all(d > date.today() for d in service.schedule_of(pairing))
    assert service.run_lapse_alerts() == 0


def test_hr_sees_every_pairing_and_a_rep_only_their_own(people: People):
    service.pair(people.coach, people.rep, people.peer)
    db.session.commit()
    request = PageRequest()
    assert service.pairings_page(people.hr, None, "", request).total == 1
    assert service.pairings_page(people.peer, None, "", request).total == 1
    assert service.pairings_page(people.ae, None, "", request).total == 0
    assert service.pairings_page(people.other_coach, None, "", request).total == 0
    assert service.pairings_page(people.hr, "ended", "", request).total == 0
    assert service.pairings_page(people.hr, None, "pat", request).total == 1
