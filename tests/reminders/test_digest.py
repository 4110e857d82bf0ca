"""The digest: its contents for a rep and a coach, its hour in each time zone, once per period."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import Role
from app.extensions import db
from app.notifications.models import DigestFrequency
from app.notifications.service import set_preferences
from app.reminders.digest import digests_for, people_due, period_due
from app.reminders.models import DigestSent
from app.reminders.sending import send_digests
from tests.conftest import create_rep
from tests.querycount import counting_queries

from .conftest import debrief_with_commitment, send_agreement, today, utc_now

DAILY, WEEKLY, NEVER = DigestFrequency.DAILY, DigestFrequency.WEEKLY, DigestFrequency.NEVER
MONDAY_0659_UTC = datetime(2026, 11, 30, 6, 59, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("frequency", "zone", "moment", "expected"),
    [
        (DAILY, "UTC", MONDAY_0659_UTC, None),  # a minute before 7 o'clock
        (DAILY, "UTC", MONDAY_0659_UTC + timedelta(minutes=1), "day 2026-11-30"),
        (DAILY, "UTC", MONDAY_0659_UTC + timedelta(hours=15), "day 2026-11-30"),  # later that day
        # 06:59 UTC is 15:59 in Tokyo (due) and 01:59 in New York (not yet; the day before).
        (DAILY, "Asia/Tokyo", MONDAY_0659_UTC, "day 2026-11-30"),
        (DAILY, "America/New_York", MONDAY_0659_UTC, None),
        (
            DAILY,
            "America/New_York",
            MONDAY_0659_UTC + timedelta(hours=5, minutes=1),
            "day 2026-11-30",
        ),
        # 7:00 in Kolkata (UTC+5:30) is 01:30 UTC.
        (DAILY, "Asia/Kolkata", datetime(2026, 11, 30, 1, 29, tzinfo=UTC), None),
        (DAILY, "Asia/Kolkata", datetime(2026, 11, 30, 1, 30, tzinfo=UTC), "day 2026-11-30"),
        (DAILY, "No/Such_Zone", MONDAY_0659_UTC + timedelta(minutes=1), "day 2026-11-30"),
        (WEEKLY, "UTC", MONDAY_0659_UTC + timedelta(minutes=1), "week 2026-W49"),
        (WEEKLY, "UTC", MONDAY_0659_UTC + timedelta(days=1), None),  # Tuesday
        # Sunday 23:00 UTC is already Monday 08:00 in Tokyo.
        (WEEKLY, "Asia/Tokyo", datetime(2026, 11, 29, 23, 0, tzinfo=UTC), "week 2026-W49"),
        (WEEKLY, "UTC", datetime(2026, 11, 29, 23, 0, tzinfo=UTC), None),
        (NEVER, "UTC", MONDAY_0659_UTC + timedelta(hours=1), None),
    ],
)
def test_the_digest_is_due_from_its_hour_in_each_persons_time_zone(
    frequency, zone, moment, expected
):
    assert period_due(frequency, zone, moment, hour=7, weekday=0) == expected


def _lines(digest):
    return {s.title: [(line.text, line.detail) for line in s.lines] for s in digest.sections}


def test_a_reps_digest_lists_what_is_overdue_due_soon_and_waiting_for_them(make_rep):
    rep = make_rep(day_of_ramp=20)
    debrief_with_commitment(rep.coach, rep, held_days_ago=10, due_days_ago=2)
    send_agreement(rep)
    db.session.commit()

    [digest] = digests_for([(rep, "day x")], utc_now())
    found = _lines(digest)

    assert list(found) == [
        "Overdue",
        "Certifications within 14 days",
        "Your commitments",
        "Agreements to sign",
    ]
    overdue = [text for text, _ in found["Overdue"]]
    assert len(overdue) == 5 and found["Overdue"][0][1].endswith("17 days late")
    start = today() - timedelta(days=19)
    certification = start + timedelta(days=27)
    assert found["Certifications within 14 days"] == [
        (
            "Pass the Prospecting certification (cold call and emails)",
            f"due {certification.day} {certification:%b}",
        )
    ]
    assert [text for text, _ in found["Your commitments"]] == ["Ask two discovery questions"]
    assert [text for text, _ in found["Agreements to sign"]] == [
        "Performance improvement agreement"
    ]
    assert digest.count == 8
    assert digest.sections[0].endpoint == "plans.my_ramp"


def test_a_new_rep_hears_only_of_what_falls_due_this_week(make_rep):
    rep = make_rep(day_of_ramp=1)

    [digest] = digests_for([(rep, "day x")], utc_now())

    assert [t for t, _ in _lines(digest)["Due this week"]] == [
        "Set up your CRM, dialer and sequences",
        "Agree your ramp goals with your manager",
    ]
    assert [s.title for s in digest.sections] == ["Due this week"]


def test_a_coachs_digest_is_their_work_queue(waiting):
    world = waiting()

    [digest] = digests_for([(world.coach, "day x")], utc_now())
    found = _lines(digest)

    assert [text for text, _ in found["Waiting on you"]] == [
        "Review a commitment: Ask two discovery questions, Riley Rep",
        f"Verify a milestone: {world.verification.title}, Riley Rep",
        f"Write debrief notes: Role-play debrief of {world.unrecorded.held_on.day} "
        f"{world.unrecorded.held_on:%b %Y}, Olive Other",
        "Assess a certification: Prospecting certification (self-assessed), Olive Other",
    ]
    assert [detail for _, detail in found["Waiting on you"]] == [
        "waiting 5 days, late",
        "waiting 3 days, late",
        "waiting 1 day, on time",
        "waiting less than a day, on time",
    ]
    assert found["Reps at risk"] == [("Riley Rep", "4 overdue milestones")]


def _sent_rows() -> int:
    return db.session.scalar(select(func.count(DigestSent.id))) or 0


def test_a_period_sends_once_and_the_next_period_sends_again(make_rep, app):
    rep = make_rep(day_of_ramp=20)
    set_preferences(rep, rep, email_at_once=True, digest=DAILY)
    db.session.commit()
    seven = datetime.combine(today(), datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)

    first = send_digests(seven)
    again = send_digests(seven + timedelta(hours=3))
    next_day = send_digests(seven + timedelta(days=1))

    assert first["emailed"] >= 1 and again == {"due": 0, "emailed": 0, "nothing to say": 0}
    assert next_day["emailed"] >= 1
    periods = db.session.scalars(
        select(DigestSent.period).where(DigestSent.user_id == rep.id).order_by(DigestSent.period)
    ).all()
    assert periods == [f"day {today()}", f"day {today() + timedelta(days=1)}"]


def test_never_sends_nothing_and_nothing_to_say_is_recorded_without_email(make_user, curriculum):
    idle_coach = make_user(Role.COACH)  # daily by default, nothing waiting
    never = create_rep(day_of_ramp=20)
    set_preferences(never, never, email_at_once=True, digest=NEVER)
    db.session.commit()
    seven = datetime.combine(today(), datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)

    due = {person.id for person, _ in people_due(seven)}
    sent = send_digests(seven)

    assert idle_coach.id in due and never.id not in due
    assert sent["nothing to say"] >= 1
    row = db.session.scalar(select(DigestSent).where(DigestSent.user_id == idle_coach.id))
    assert row is not None and row.items == 0


def test_a_batch_of_fifty_people_costs_the_queries_of_five(waiting):
    world = waiting()
    people = [world.coach, world.rep, world.other_rep]
    people += [create_rep(day_of_ramp=20) for _ in range(2)]
    more = [create_rep(day_of_ramp=30) for _ in range(45)]
    everyone = [*people, *more, *(rep.coach for rep in more)]
    for person in everyone:
        db.session.refresh(person)
        person.roles  # noqa: B018 (loaded, as the batch's query loads them)

    digests_for([(p, "day x") for p in people], utc_now())  # what is read once per transaction
    with counting_queries() as five:
        digests_for([(p, "day x") for p in people], utc_now())
    with counting_queries() as fifty:
        digests_for([(p, "day x") for p in everyone], utc_now())

    assert len(fifty) == len(five)


@pytest.mark.real_commits
def test_two_runners_at_once_send_each_digest_once(app: Flask, curriculum):
    reps = [create_rep(day_of_ramp=20) for _ in range(4)]
    for rep in reps:
        set_preferences(rep, rep, email_at_once=True, digest=DAILY)
    db.session.commit()
    seven = datetime.combine(today(), datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
    rep_ids = {rep.id for rep in reps}
    db.session.remove()
    ready = threading.Barrier(2)
    results: list[dict[str, int]] = []
    failures: list[BaseException] = []

    def run() -> None:
        with app.app_context():
            try:
                ready.wait(timeout=30)
                results.append(send_digests(seven))
            except BaseException as error:
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures, failures
    rows = db.session.execute(select(DigestSent.user_id, DigestSent.period)).all()
    assert sorted(r for r in rows if r[0] in rep_ids) == sorted(
        (rep_id, f"day {today()}") for rep_id in rep_ids
    )
    # The coaches too (their reps are at risk): every digest claimed once, by one runner.
    claimed = [r for r in rows if r[0] not in rep_ids]
    assert len(claimed) == 4
    assert sum(result["emailed"] for result in results) == len(rows)


def test_the_cron_command_sends_what_is_due_and_says_how_many(runner, make_rep, monkeypatch, app):
    rep = make_rep(day_of_ramp=20)
    set_preferences(rep, rep, email_at_once=False, digest=DAILY)
    db.session.commit()
    monkeypatch.setitem(app.config, "DIGEST_HOUR", 0)

    first = runner.invoke(args=["reminders", "send"])
    second = runner.invoke(args=["reminders", "send"])

    assert first.exit_code == 0 and "emailed: 2" in first.output  # the rep and their coach
    assert second.output.strip() == "due: 0, emailed: 0, nothing to say: 0"
