"""Scheduled assessments: booked in the coach's zone, told to the rep at once (in the app and
by email), moved and cancelled once, in both calendar feeds as timed events with a stable UID
and a rising SEQUENCE, on both people's pages, the coach's work queue and digest, and held once
the assessment is recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.calendars import service as calendars
from app.certification import service
from app.certification.models import ScheduledAssessment, ScheduleStatus
from app.errors import ChangedMeanwhile, Conflict, Invalid, NotAllowed
from app.extensions import db
from app.notifications.models import Notification
from app.reminders.digest import digests_for
from app.reminders.workqueue import work_queue
from tests.conftest import PASSWORD, create_rep, create_user
from tests.smtp import SmtpTestServer

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


def _next_week() -> date:
    return datetime.now(UTC).date() + timedelta(days=7)


def _slot(on: date | None = None, at: time = time(14, 0), minutes: int = 45) -> service.Slot:
    return service.Slot(
        on or _next_week(), at, minutes, "https://meet.example.com/abc", "Bring a call"
    )


@pytest.fixture
def pair(curriculum) -> tuple[User, User]:
    """A coach in Berlin and their rep in New York."""
    coach = create_user(Role.COACH, name="Casey Coach", timezone=BERLIN)
    rep = create_rep(day_of_ramp=20, coach=coach, name="Riley Rep")
    rep.timezone = NEW_YORK
    db.session.commit()
    return coach, rep


def _utc(on: date, at: time, zone: str) -> datetime:
    return datetime.combine(on, at, ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)


def test_a_coach_books_in_their_zone_and_the_rep_is_told_at_once_in_theirs(
    pair, smtp_server: SmtpTestServer
) -> None:
    coach, rep = pair
    booking = service.schedule(coach, rep, "prospecting", _slot(), key="form-1")
    db.session.commit()

    assert booking.starts_at == _utc(_next_week(), time(14, 0), BERLIN)
    assert booking.ends_at - booking.starts_at == timedelta(minutes=45)
    assert booking.timezone == BERLIN and booking.status is ScheduleStatus.SCHEDULED
    notice = db.session.scalars(select(Notification).where(Notification.recipient == rep)).one()
    local = booking.starts_at.replace(tzinfo=UTC).astimezone(ZoneInfo(NEW_YORK))
    assert f"{local:%H:%M} E" in notice.message  # 08:00 EST / EDT: the rep's own clock
    assert notice.link == f"/certifications/reps/{rep.id}/prospecting"
    [email] = smtp_server.messages
    assert email["To"].addresses[0].addr_spec == rep.email
    assert "scheduled your Prospecting certification assessment" in email["Subject"]


def test_the_same_form_sent_twice_books_once(pair) -> None:
    coach, rep = pair
    first = service.schedule(coach, rep, "prospecting", _slot(), key="form-2")
    db.session.commit()
    again = service.schedule(coach, rep, "prospecting", _slot(), key="form-2")
    db.session.commit()

    assert again.id == first.id
    assert db.session.scalar(select(func.count(ScheduledAssessment.id))) == 1


def test_only_whoever_may_assess_the_rep_books_and_changes_it(pair) -> None:
    coach, rep = pair
    other_coach = create_user(Role.COACH)
    hr = create_user(Role.HR)
    for outsider in (rep, other_coach, hr):
        with pytest.raises(NotAllowed):
            service.schedule(outsider, rep, "prospecting", _slot())
    booking = service.schedule(coach, rep, "prospecting", _slot())
    for outsider in (rep, other_coach, hr):
        with pytest.raises(NotAllowed):
            service.get_booking(outsider, booking.id)
    admin = create_user(Role.ADMIN)
    assert service.get_booking(admin, booking.id) is booking


def test_a_time_past_or_a_length_out_of_range_is_refused(pair) -> None:
    coach, rep = pair
    with pytest.raises(Invalid) as past:
        service.schedule(coach, rep, "prospecting", _slot(on=date.today() - timedelta(days=1)))
    assert past.value.field == "on"
    with pytest.raises(Invalid) as long:
        service.schedule(coach, rep, "prospecting", _slot(minutes=9 * 60))
    assert long.value.field == "minutes"


def test_moving_and_cancelling_bump_the_sequence_once_and_tell_the_rep(pair) -> None:
    coach, rep = pair
    booking = service.schedule(coach, rep, "prospecting", _slot())
    db.session.commit()

    service.reschedule(coach, booking, _slot(at=time(16, 30)), sequence=0)
    db.session.commit()
    assert booking.sequence == 1
    assert booking.starts_at == _utc(_next_week(), time(16, 30), BERLIN)
    with pytest.raises(ChangedMeanwhile):  # the same change from the page loaded before it
        service.reschedule(coach, booking, _slot(at=time(9, 0)), sequence=0)
    db.session.rollback()

    service.cancel(coach, booking, "Riley is travelling.", sequence=1)
    db.session.commit()
    assert (booking.status, booking.sequence) == (ScheduleStatus.CANCELLED, 2)
    with pytest.raises(Conflict):
        service.cancel(coach, booking, "Again", sequence=2)
    messages = db.session.scalars(
        select(Notification.message).where(Notification.recipient == rep).order_by(Notification.id)
    ).all()
    assert [m.split(" your ")[0] for m in messages] == [
        "Casey Coach scheduled",
        "Casey Coach moved",
        "Casey Coach cancelled",
    ]
    assert messages[-1].endswith("Riley is travelling.")


def _feed(user: User) -> dict[str, icalendar.Event]:
    db.session.expire_all()
    body = calendars.to_ical(user, calendars.events_for(user, date.today()), "http://x", "Ramp")
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_both_calendars_carry_it_as_a_timed_event_updated_in_place(pair) -> None:
    coach, rep = pair
    booking = service.schedule(coach, rep, "prospecting", _slot())
    db.session.commit()
    uid = f"assessment-{booking.id}@127.0.0.1"

    for person in (rep, coach):
        event = _feed(person)[uid]
        assert event.decoded("DTSTART") == booking.starts_at.replace(tzinfo=UTC)
        assert event.decoded("DTEND") == booking.ends_at.replace(tzinfo=UTC)
        assert str(event["LOCATION"]) == "https://meet.example.com/abc"
        assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (0, "CONFIRMED")
    assert str(_feed(rep)[uid]["SUMMARY"]) == (
        "Prospecting certification assessment with Casey Coach"
    )
    assert str(_feed(coach)[uid]["SUMMARY"]) == "Riley Rep: Prospecting certification assessment"

    service.reschedule(coach, booking, _slot(at=time(11, 0)), sequence=0)
    db.session.commit()
    moved = _feed(rep)[uid]
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == _utc(_next_week(), time(11, 0), BERLIN).replace(tzinfo=UTC)

    service.cancel(coach, booking, "Sick", sequence=1)
    db.session.commit()
    for person in (rep, coach):
        cancelled = _feed(person)[uid]
        assert (int(cancelled["SEQUENCE"]), str(cancelled["STATUS"])) == (2, "CANCELLED")


def test_recording_the_assessment_marks_the_booking_held(pair, assess) -> None:
    coach, rep = pair
    booking = service.schedule(coach, rep, "prospecting", _slot())
    db.session.commit()

    assessment = assess(coach, rep, "prospecting")

    db.session.refresh(booking)
    assert booking.status is ScheduleStatus.HELD
    assert booking.attempt_id == assessment.attempt_id


def test_it_is_in_the_coachs_work_queue_and_digest_as_an_assessment_to_do(pair) -> None:
    coach, rep = pair
    soon = datetime.now(UTC).date() + timedelta(days=2)
    service.schedule(coach, rep, "prospecting", _slot(on=soon))
    service.schedule(coach, rep, "discovery", _slot(on=soon + timedelta(days=30)))  # not yet
    db.session.commit()

    [booked] = work_queue(coach).booked
    assert (booked.rep_name, booked.stage_name) == ("Riley Rep", "Prospecting")
    [digest] = digests_for([(coach, "day x")], datetime.now(UTC))
    [section] = [s for s in digest.sections if s.title == "Assessments to do"]
    [line] = section.lines
    assert line.text == "Prospecting certification assessment, Riley Rep"
    assert line.detail.startswith(f"{soon:%a} {soon.day} {soon:%b %Y}, 14:00 CE")


def test_both_pages_show_it_in_each_readers_zone_and_the_coach_changes_it(
    app: Flask, pair, login: Callable[[User], FlaskClient]
) -> None:
    coach, rep = pair
    client = login(coach)
    page = client.get(f"/certifications/reps/{rep.id}/prospecting/schedule")
    assert page.status_code == 200 and "Europe/Berlin" in page.text

    day = _next_week()
    refused = client.post(
        f"/certifications/reps/{rep.id}/prospecting/schedule",
        data={"on": (date.today() - timedelta(days=2)).isoformat(), "start": "14:00",
              "minutes": "45", "place": "Room 1"},
    )  # fmt: skip
    assert refused.status_code == 400 and "That time has passed" in refused.text
    done = client.post(
        f"/certifications/reps/{rep.id}/prospecting/schedule",
        data={"on": day.isoformat(), "start": "14:00", "minutes": "45", "place": "Room 1"},
    )
    assert done.status_code == 302
    booking = db.session.scalars(select(ScheduledAssessment)).one()
    coach_page = client.get(f"/certifications/reps/{rep.id}/prospecting").text
    assert "14:00 CE" in coach_page and "Room 1" in coach_page and "Change or cancel" in coach_page

    rep_client = app.test_client()
    rep_client.post("/login", data={"email": rep.email, "password": PASSWORD})
    rep_page = rep_client.get(f"/certifications/reps/{rep.id}/prospecting").text
    local = booking.starts_at.replace(tzinfo=UTC).astimezone(ZoneInfo(NEW_YORK))
    assert f"{local:%H:%M} E" in rep_page and "Change or cancel" not in rep_page
    assert "Assessments scheduled" in rep_client.get("/certifications/mine").text

    form = client.get(f"/certifications/scheduled/{booking.id}").text
    assert 'name="start" required type="time" value="14:00"' in form
    cancelled = client.post(
        f"/certifications/scheduled/{booking.id}/cancel",
        data={"cancel-reason": "Riley is ill.", "cancel-sequence": "0"},
    )
    assert cancelled.status_code == 302
    again = client.post(
        f"/certifications/scheduled/{booking.id}/cancel",
        data={"cancel-reason": "Riley is ill.", "cancel-sequence": "0"},
    )
    assert again.status_code in (302, 303, 409)
    db.session.refresh(booking)
    assert (booking.status, booking.sequence) == (ScheduleStatus.CANCELLED, 1)
