"""My debriefs and notifications are paged: a long history shows 50 at a time, newest first."""

from __future__ import annotations

from datetime import date, timedelta

from app.coaching import service
from app.extensions import db
from tests.querycount import counting_queries


def test_my_debriefs_page_through_the_history(rep, coach, make_debrief, login):
    today = date.today()
    for days_ago in range(3):
        make_debrief(coach, rep, held_on=today - timedelta(days=days_ago))
    client = login(rep)
    first = client.get("/coaching/mine", query_string={"per_page": 2}).text
    assert "Showing 1\N{EN DASH}2 of 3 debriefs" in first
    assert 'rel="next" href="/coaching/mine?per_page=2&amp;page=2"' in first
    second = client.get("/coaching/mine", query_string={"per_page": 2, "page": 2}).text
    assert "Showing 3\N{EN DASH}3 of 3 debriefs" in second


def test_notifications_page_unread_first(rep, coach, login):
    for number in range(3):
        service.notify(rep, "test", f"Message {number}", f"/coaching/mine#{number}")
    db.session.commit()
    client = login(rep)
    first = client.get("/coaching/notifications", query_string={"per_page": 2}).text
    assert "Showing 1\N{EN DASH}2 of 3 notifications" in first
    assert "Mark all as read" in first
    assert 'aria-label="Pages of notifications"' in first


def test_the_unread_count_is_asked_once_per_page(rep, coach, login):
    """The menu and My debriefs both show it (three mentions): one query, not three."""
    service.notify(rep, "test", "Hello", "/coaching/mine#x")
    db.session.commit()
    client = login(rep)
    client.get("/coaching/mine")
    with counting_queries() as statements:
        page = client.get("/coaching/mine").text
    assert 'id="unread-count"' in page
    counts = [s for s in statements if "count(notifications.id)" in s]
    assert len(counts) == 1
    to_sign = [s for s in statements if "FROM agreements" in s]
    assert len(to_sign) == 1


def test_a_reps_debriefs_page_through_the_history(rep, coach, make_debrief, login):
    today = date.today()
    for days_ago in range(3):
        make_debrief(coach, rep, held_on=today - timedelta(days=days_ago))
    client = login(coach)
    page = client.get(f"/coaching/reps/{rep.id}", query_string={"per_page": 2, "page": 2}).text
    assert "Showing 3\N{EN DASH}3 of 3 debriefs" in page
    assert 'rel="prev"' in page
