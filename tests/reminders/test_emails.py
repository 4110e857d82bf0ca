"""Email at once when something starts waiting on a person, and the digest by email, received
by a real SMTP server (aiosmtpd); both follow each person's notification settings."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr

from sqlalchemy import func, select

from app.accounts.models import Role
from app.agreements import service as agreements
from app.agreements.models import Agreement
from app.certification import service as certification
from app.extensions import db
from app.mail.models import OutboundMail
from app.notifications.models import DigestFrequency, Notification
from app.notifications.service import set_preferences
from app.plans.service import record_progress
from app.reminders.sending import send_digests
from tests.certification.conftest import levels_for
from tests.conftest import create_user
from tests.smtp import SmtpTestServer

from .conftest import milestone, self_assess, send_agreement, today, utc_now

PUBLIC = "http://127.0.0.1:5000"


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def _to(message: EmailMessage) -> str:
    return parseaddr(message["To"])[1]


def test_a_submitted_milestone_emails_the_coach_at_once(make_rep, smtp_server: SmtpTestServer):
    rep = make_rep(day_of_ramp=10)
    item = milestone(rep, "product-icp-training")
    record_progress(rep, item)
    assert smtp_server.messages == []  # nothing leaves before the change commits
    db.session.commit()

    [message] = smtp_server.messages
    assert _to(message) == rep.coach.email
    # (Stripped: the mail API's encoding of a folded non-ASCII subject gains a leading space.)
    assert (
        message["Subject"].strip() == f"{rep.full_name} submitted “{item.title}” for you to verify"
    )
    text, html = _parts(message)
    assert f"{PUBLIC}/milestones/{item.id}" in text and f"{PUBLIC}/milestones/{item.id}" in html
    assert "/account/notifications" in text  # why it came, and where to change that
    notice = db.session.scalar(select(Notification).where(Notification.recipient == rep.coach))
    assert notice is not None and notice.link == f"/milestones/{item.id}"


def test_the_same_submission_sent_twice_emails_once(make_rep, smtp_server: SmtpTestServer):
    rep = make_rep(day_of_ramp=10)
    item = milestone(rep, "product-icp-training")
    record_progress(rep, item, key="one-form")
    db.session.commit()
    record_progress(rep, item, key="one-form")
    db.session.commit()

    assert len(smtp_server.messages) == 1


def test_an_agreement_sent_emails_the_rep(make_rep, smtp_server: SmtpTestServer):
    rep = make_rep(day_of_ramp=40)
    send_agreement(rep)
    db.session.commit()

    [message] = smtp_server.messages
    assert _to(message) == rep.email
    sign_by = db.session.scalars(select(Agreement.sign_by)).one()
    assert sign_by is not None
    assert message["Subject"] == (
        "Performance improvement agreement is waiting for your signature, "
        f"by {sign_by:%a} {sign_by.day} {sign_by:%b %Y}"
    )
    assert "/agreements/" in _parts(message)[0] and "/sign" in _parts(message)[0]


def test_a_self_assessment_emails_the_coach_and_a_second_assessor_is_emailed_when_named(
    make_rep, curriculum, smtp_server: SmtpTestServer
):
    rep = make_rep(day_of_ramp=20)
    self_assess(rep, curriculum)
    db.session.commit()
    second = create_user(Role.COACH, name="Second Sasha")
    rubric = next(r for r in curriculum.rubrics if r.stage == "discovery")
    entry = certification.AssessmentEntry(
        scores=levels_for(rubric, 3),
        evidence_kind=rubric.evidence.kinds[0],
        evidence_url="https://example.com/call",
        assessed_on=today(),
    )
    certification.submit_assessment(
        rep.coach, rep, "discovery", entry, today(), second_assessor=second
    )
    db.session.commit()

    first, named = smtp_server.messages
    assert _to(first) == rep.coach.email
    subject = (
        f"{rep.full_name} assessed themselves: assess {rep.full_name}'s Prospecting certification"
    )
    assert first["Subject"].strip() == subject
    assert f"/certifications/reps/{rep.id}/prospecting/assess" in _parts(first)[0]
    assert _to(named) == second.email
    assert f"/certifications/reps/{rep.id}/discovery/assess" in _parts(named)[0]


def test_email_at_once_off_leaves_the_notification_only(make_rep, smtp_server: SmtpTestServer):
    rep = make_rep(day_of_ramp=10)
    set_preferences(rep.coach, rep.coach, email_at_once=False, digest=DigestFrequency.NEVER)
    record_progress(rep, milestone(rep, "product-icp-training"))
    db.session.commit()

    assert smtp_server.messages == []
    assert db.session.scalar(select(func.count(OutboundMail.id))) == 0
    count = select(func.count(Notification.id)).where(Notification.recipient == rep.coach)
    assert db.session.scalar(count) == 1


def test_the_digest_email_says_what_the_digest_says_with_links(
    waiting, smtp_server: SmtpTestServer, app, monkeypatch
):
    world = waiting()
    set_preferences(world.rep, world.rep, email_at_once=False, digest=DigestFrequency.NEVER)
    set_preferences(
        world.other_rep, world.other_rep, email_at_once=False, digest=DigestFrequency.NEVER
    )
    db.session.commit()
    smtp_server.received.clear()  # the at-once emails of building the world
    monkeypatch.setitem(app.config, "DIGEST_HOUR", 0)  # due whatever the hour of the run

    moment = utc_now()
    sent = send_digests(moment)
    again = send_digests(moment + timedelta(seconds=1))

    assert sent["emailed"] == 1 and again["emailed"] == 0
    [message] = smtp_server.messages
    assert _to(message) == world.coach.email
    assert message["Subject"] == "Your daily digest: 5 things to look at"
    text, html = _parts(message)
    assert "Waiting on you (4)" in text and "Reps at risk (1)" in text
    assert (
        f"Verify a milestone: {world.verification.title}, Riley Rep (waiting 3 days, late)" in text
    )
    assert f"{PUBLIC}/milestones/{world.verification.id}" in html
    assert f"{PUBLIC}/work" in text and f"{PUBLIC}/reps/{world.rep.id}" in text
    assert "daily" in text and "/account/notifications" in text


def test_the_coachs_digest_lists_what_their_work_queue_page_lists(
    waiting, login, client, smtp_server: SmtpTestServer, app, monkeypatch
):
    world = waiting()
    db.session.commit()
    smtp_server.received.clear()
    login(world.coach)
    page = client.get("/work").text
    monkeypatch.setitem(app.config, "DIGEST_HOUR", 0)

    send_digests(utc_now())

    [message] = [m for m in smtp_server.messages if _to(m) == world.coach.email]
    text = _parts(message)[0]
    for line in [world.verification.title, "Ask two discovery questions", "Olive Other"]:
        assert line in page and line in text
    assert page.count(">Late<") == text.count(", late)")


def test_opening_the_page_to_sign_reads_its_notification(make_rep, login, client):
    rep = make_rep(day_of_ramp=40)
    send_agreement(rep)
    db.session.commit()
    notice = db.session.scalar(select(Notification).where(Notification.recipient == rep))
    assert notice is not None and notice.read_at is None
    login(rep)

    assert client.get(notice.link).status_code == 200

    db.session.expire_all()
    assert db.session.get(Notification, notice.id).read_at is not None


def test_the_reps_signature_emails_the_coach_who_countersigns(
    make_rep, smtp_server: SmtpTestServer
):
    from app.agreements.service import signing
    from tests.agreements.conftest import EVIDENCE, EXPECTATION_VALUES, WINDOW, _fresh

    rep = make_rep(day_of_ramp=40, name="Ava Chen")
    hr = create_user(Role.HR)
    draft = agreements.create_draft(
        hr, rep, "onboarding-expectations", EXPECTATION_VALUES, EVIDENCE
    )
    agreements.send(hr, draft, EVIDENCE)
    db.session.commit()
    signing.sign(rep, draft, _fresh(rep), EVIDENCE, WINDOW)
    db.session.commit()

    to_rep, to_coach, to_hr = smtp_server.messages
    assert _to(to_rep) == rep.email and _to(to_coach) == rep.coach.email
    assert _to(to_hr) == hr.email and "countersignature as HR" in to_hr["Subject"]
    assert "Ava Chen signed Onboarding" in to_coach["Subject"]
    assert "waits for your countersignature" in to_coach["Subject"]
