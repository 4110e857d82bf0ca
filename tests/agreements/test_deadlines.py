"""Signing deadlines ("sign by") and HR's countersignature asked of every HR person.

The deadline is set when sending (one agreement, or a batch), shows on every list and on the
sign page (overdue in the reader's own time zone), in the signer's digest and in the calendar
feeds of whoever still has to sign, until they have.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import Role, User
from app.agreements import service
from app.agreements.audit import Evidence
from app.agreements.models import Agreement
from app.agreements.service import signing
from app.calendars import service as calendars
from app.errors import Invalid
from app.extensions import db
from app.notifications.models import DigestFrequency, Notification
from app.notifications.service import set_preferences
from app.reminders.digest import digests_for
from tests.agreements.conftest import EVIDENCE, VALUES, WINDOW, _fresh
from tests.conftest import PASSWORD, create_user
from tests.querycount import counting_queries
from tests.smtp import SmtpTestServer

PIP = "performance-improvement"
EXPECTATIONS = "onboarding-expectations"
Login = Callable[[User], FlaskClient]
# At any moment these two zones are on different days (UTC-11 and UTC+14).
BEHIND, AHEAD = "Pacific/Pago_Pago", "Pacific/Kiritimati"


def _today(zone: str) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(zone)).date()


def _draft(hr: User, rep: User, template: str = PIP) -> Agreement:
    return service.create_draft(hr, rep, template, VALUES[template], EVIDENCE)


def test_an_agreement_is_due_the_day_hr_chose_or_by_default_in_the_settings_days(
    app: Flask, hr: User, make_rep: Callable[..., User]
) -> None:
    chosen = _today(hr.timezone) + timedelta(days=3)
    first = service.send(hr, _draft(hr, make_rep()), EVIDENCE, chosen)
    app.config["AGREEMENT_SIGN_DAYS"] = 21
    second = service.send(hr, _draft(hr, make_rep()), EVIDENCE)

    assert first.sign_by == chosen
    assert second.sign_by == _today(hr.timezone) + timedelta(days=21)
    assert first.events[-1].detail == f"Sign by {chosen.isoformat()}"  # on the audit trail
    notice = db.session.scalars(
        select(Notification).where(Notification.recipient_id == first.rep_id)
    ).one()
    assert f"by {chosen:%a} {chosen.day} {chosen:%b %Y}" in notice.message


def test_a_day_already_past_is_refused_and_nothing_is_sent(
    hr: User, make_rep: Callable[..., User]
) -> None:
    draft = _draft(hr, make_rep())
    with pytest.raises(Invalid) as refused:
        service.send(hr, draft, EVIDENCE, _today(hr.timezone) - timedelta(days=1))
    assert refused.value.field == "sign_by"
    db.session.refresh(draft)
    assert draft.sign_by is None and draft.sent_at is None


def test_overdue_is_measured_in_the_readers_own_time_zone(
    hr: User, make_rep: Callable[..., User]
) -> None:
    agreement = service.send(hr, _draft(hr, make_rep()), EVIDENCE)
    agreement.sign_by = _today(BEHIND)  # still today where the day is behind

    assert not agreement.is_overdue(_today(BEHIND))
    assert agreement.is_overdue(_today(AHEAD))  # already tomorrow there


def test_the_pages_show_the_date_and_mark_it_overdue(
    app: Flask, hr: User, make_rep: Callable[..., User], login: Login
) -> None:
    rep = make_rep(name="Ava Chen")
    agreement = service.send(hr, _draft(hr, rep), EVIDENCE)
    agreement.sign_by = _today(BEHIND)
    rep.timezone = BEHIND
    db.session.commit()
    day = f"{agreement.sign_by:%a} {agreement.sign_by.day} {agreement.sign_by:%b %Y}"

    client = login(rep)
    for url in ("/agreements/mine", f"/agreements/{agreement.id}/sign"):
        page = client.get(url).text
        assert f"Sign by {day}" in page and "Overdue" not in page

    rep.timezone = AHEAD
    db.session.commit()
    for url in ("/agreements/mine", f"/agreements/{agreement.id}/sign"):
        page = client.get(url).text
        assert f"Sign by {day}" in page and "Overdue" in page
    hr.timezone = AHEAD
    db.session.commit()
    hr_client = app.test_client()
    hr_client.post("/login", data={"email": hr.email, "password": PASSWORD})
    page = hr_client.get("/agreements").text
    assert re.search(rf"Sign by {day}\s*<span[^>]*>Overdue", page)


def test_hr_chooses_the_date_on_the_send_form(
    hr: User, make_rep: Callable[..., User], login: Login
) -> None:
    draft = _draft(hr, make_rep())
    db.session.commit()
    client = login(hr)
    page = client.get(f"/agreements/{draft.id}").text
    default = service.default_sign_by(hr)
    assert f'name="sign_by" type="date" value="{default.isoformat()}"' in page

    past = (_today(hr.timezone) - timedelta(days=2)).isoformat()
    response = client.post(f"/agreements/{draft.id}/send", data={"sign_by": past})
    assert response.status_code in (302, 303, 400)
    db.session.refresh(draft)
    assert draft.sent_at is None
    chosen = _today(hr.timezone) + timedelta(days=5)
    response = client.post(f"/agreements/{draft.id}/send", data={"sign_by": chosen.isoformat()})
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.sign_by == chosen and draft.sent_at is not None


def test_a_batch_is_due_the_day_chosen_for_it(
    hr: User, make_rep: Callable[..., User], evidence: Evidence
) -> None:
    reps = [make_rep(name="Ava Chen"), make_rep(name="Ben Okafor")]
    chosen = _today(hr.timezone) + timedelta(days=10)
    raw = VALUES[PIP]
    fingerprint = service.bulk.bulk_fingerprint(PIP, reps, raw, sign_by=chosen)  # type: ignore[attr-defined]
    service.start_bulk_send(hr, PIP, reps, raw, fingerprint, evidence, sign_by=chosen)
    db.session.commit()

    sent = db.session.scalars(select(Agreement)).all()
    assert len(sent) == 2 and {a.sign_by for a in sent} == {chosen}
    other = service.bulk.bulk_fingerprint(PIP, reps, raw, sign_by=chosen + timedelta(days=1))  # type: ignore[attr-defined]
    assert other != fingerprint  # a changed date after the preview is previewed again


def test_the_reps_digest_says_by_when_and_whether_it_is_late(
    hr: User, make_rep: Callable[..., User]
) -> None:
    rep = make_rep(day_of_ramp=1)
    late = service.send(hr, _draft(hr, rep), EVIDENCE)
    late.sign_by = _today(rep.timezone) - timedelta(days=2)
    on_time = service.send(hr, _draft(hr, rep, EXPECTATIONS), EVIDENCE)
    db.session.commit()

    [digest] = digests_for([(rep, "day x")], datetime.now(UTC))
    [section] = [s for s in digest.sections if s.title == "Agreements to sign"]
    lines = {line.values: line for line in section.lines}
    late_line = lines[(("agreement_id", late.id),)]
    assert late_line.late and late_line.detail.endswith(": overdue")
    on_time_line = lines[(("agreement_id", on_time.id),)]
    assert not on_time_line.late
    assert on_time_line.detail.endswith(f"sign by {on_time.sign_by.day} {on_time.sign_by:%b}")


def _feed(user: User) -> dict[str, icalendar.Event]:
    db.session.expire_all()
    body = calendars.to_ical(user, calendars.events_for(user, date.today()), "http://x", "Ramp")
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_deadline_is_in_the_calendar_of_whoever_still_has_to_sign_until_they_have(
    hr: User, make_rep: Callable[..., User]
) -> None:
    rep = make_rep(name="Ava Chen")
    coach = rep.coach
    other_hr = create_user(Role.HR, name="Omar HR")
    agreement = service.send(hr, _draft(hr, rep, EXPECTATIONS), EVIDENCE)  # coach countersigns
    db.session.commit()
    sign_uid = f"agreement-sign-{agreement.id}@127.0.0.1"
    assert agreement.sign_by is not None

    event = _feed(rep)[sign_uid]
    assert event.decoded("DTSTART") == agreement.sign_by
    assert "Sign by today: Onboarding" in str(event["SUMMARY"])
    assert str(event["URL"]).endswith(f"/agreements/{agreement.id}/sign")
    assert sign_uid in _feed(coach)  # a coach's feed carries their reps' dates
    assert not any(uid.startswith("agreement-") for uid in _feed(hr))  # HR signs after the rep

    signing.sign(rep, agreement, _fresh(rep), EVIDENCE, WINDOW)
    db.session.commit()
    assert sign_uid not in _feed(rep)
    coach_uid = f"agreement-countersign-coach-{agreement.id}@127.0.0.1"
    hr_uid = f"agreement-countersign-hr-{agreement.id}@127.0.0.1"
    assert coach_uid in _feed(coach) and str(_feed(coach)[coach_uid]["SUMMARY"]).startswith(
        "Ava Chen: Countersign by today"
    )
    assert hr_uid in _feed(hr) and hr_uid in _feed(other_hr)
    assert _feed(hr)[hr_uid]["UID"] == _feed(hr)[hr_uid]["UID"]  # stable across fetches

    signing.sign(hr, agreement, _fresh(hr), EVIDENCE, WINDOW)
    db.session.commit()
    assert hr_uid not in _feed(hr) and hr_uid not in _feed(other_hr)
    assert coach_uid in _feed(coach)


def test_a_voided_agreement_leaves_the_calendars(hr: User, make_rep: Callable[..., User]) -> None:
    rep = make_rep()
    agreement = service.send(hr, _draft(hr, rep), EVIDENCE)
    db.session.commit()
    assert f"agreement-sign-{agreement.id}@127.0.0.1" in _feed(rep)
    service.void(hr, agreement, "Sent to the wrong person.", EVIDENCE)
    db.session.commit()
    assert not any(uid.startswith("agreement-") for uid in _feed(rep))


# --- HR countersigns as a group ---------------------------------------------------------------


def test_every_active_hr_person_is_asked_and_emailed_as_they_chose(
    hr: User, make_rep: Callable[..., User], smtp_server: SmtpTestServer
) -> None:
    quiet = create_user(Role.HR, name="Quinn Quiet")
    set_preferences(quiet, quiet, email_at_once=False, digest=DigestFrequency.NEVER)
    gone = create_user(Role.HR, name="Gil Gone", active=False)
    rep = make_rep(name="Ava Chen")
    agreement = service.send(hr, _draft(hr, rep), EVIDENCE)
    db.session.commit()
    smtp_server.received.clear()

    with counting_queries() as statements:
        signing.sign(rep, agreement, _fresh(rep), EVIDENCE, WINDOW)
    db.session.commit()

    asked = db.session.scalars(
        select(Notification).where(Notification.kind == signing.HR_COUNTERSIGN)
    ).all()
    assert {n.recipient_id for n in asked} == {hr.id, quiet.id}  # not the deactivated one
    assert all(n.link == f"/agreements/{agreement.id}/sign" for n in asked)
    assert all("countersignature as HR" in n.message for n in asked)
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == [hr.email]
    assert gone.id not in {n.recipient_id for n in asked}
    # The HR people are read in one query (with their roles joined), whatever their number.
    user_reads = [s for s in statements if "FROM users" in s and "user_roles" in s]
    assert len(user_reads) == 1


def test_once_one_hr_person_countersigns_the_others_are_told_it_waits_on_nobody(
    hr: User, make_rep: Callable[..., User]
) -> None:
    other = create_user(Role.HR, name="Omar HR")
    rep = make_rep(name="Ava Chen")
    agreement = service.send(hr, _draft(hr, rep), EVIDENCE)
    signing.sign(rep, agreement, _fresh(rep), EVIDENCE, WINDOW)
    db.session.commit()

    signing.sign(other, agreement, _fresh(other), EVIDENCE, WINDOW)
    db.session.commit()

    notice = db.session.scalars(
        select(Notification).where(
            Notification.kind == signing.HR_COUNTERSIGN, Notification.recipient_id == hr.id
        )
    ).one()
    assert notice.read_at is not None
    assert "countersigned for HR by Omar HR: nothing waits on you" in notice.message
    assert "waits for your countersignature" not in notice.message
