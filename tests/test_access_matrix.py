"""Who may open and change what: every route x every role x someone else's record.

The cases come from the app's URL map, so a route added without an entry in ``ACCESS`` fails
here ("route X has no access rule") instead of shipping unchecked. Every case is about one
person's record: Avery Quinlan, a rep coached by ``Actor.COACH``. The other actors look at
Avery's record from their side: a rep with another coach, that other coach, HR and an admin.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app, session, url_for
from flask.testing import FlaskClient
from flask_login import login_user
from sqlalchemy import select, update

from app import create_app
from app.accounts import resets, signins
from app.accounts.models import Organisation, PasswordReset, Role, Team, User
from app.accounts.service import PersonDetails
from app.agreements import service as agreements
from app.agreements.audit import Evidence
from app.agreements.models import Agreement, AgreementEvent, AgreementStatus, ExportStatus
from app.agreements.service import export as agreement_export
from app.api import service as api_tokens
from app.api.models import ApiToken
from app.buddies import service as buddies
from app.buddies.models import BuddyCheckIn, BuddyPairing
from app.calendars import service as calendars
from app.calendars.models import CalendarFeed
from app.certification.models import Assessment, CertificationAttempt, ScheduledAssessment
from app.certification.service import AssessmentEntry, Slot, submit_assessment
from app.certification.service import schedule as schedule_assessment
from app.coaching import service as coaching
from app.coaching.models import Commitment, Debrief, DebriefKind
from app.cohorts import service as cohorts
from app.cohorts.models import CohortUpload
from app.disputes import service as disputes
from app.disputes.models import Acknowledgement, Dispute, ItemKind
from app.escalations import service as escalations
from app.exports.background import start_export
from app.exports.models import TableExport
from app.extensions import db
from app.invitations import service as invitations
from app.mail import MailStatus, OutboundMail, queue_mail
from app.metrics import service as metrics
from app.metrics.models import ActivityFigure, ActivityImport
from app.notices import service as notices
from app.notifications.models import NotificationPreference
from app.plans.models import Milestone, MilestoneStatus, Plan
from app.plans.service import pausing, record_progress
from app.quests import service as quests
from app.quests.leaderboard import Privacy
from app.quests.models import TeamLeaderboard
from app.recognition.models import Recognition
from app.surveys.models import DebriefRating, PulseResponse
from app.webhooks import service as webhooks
from app.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.conftest import PASSWORD, create_rep, create_user, shipped_curriculum
from tests.database import Snapshot, TestDatabase
from tests.invitations.links import latest_link, token_of
from tests.notices.world import at_risk_for_13_days

TARGET_NAME = "Avery Quinlan"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


class Actor(enum.StrEnum):
    ANONYMOUS = "anonymous"
    REP = "rep-own-record"
    OTHER_REP = "rep-other-record"
    COACH = "coach-own-rep"
    OTHER_COACH = "coach-other-rep"
    HR = "hr"
    ADMIN = "admin"


EVERYONE = frozenset(Actor)
SIGNED_IN = EVERYONE - {Actor.ANONYMOUS}
MANAGERS = frozenset({Actor.COACH, Actor.HR, Actor.ADMIN})  # may assign plans and verify
VIEWERS = MANAGERS | {Actor.REP}  # may see the record
OVERSEERS = frozenset({Actor.HR, Actor.ADMIN})
ADMIN = frozenset({Actor.ADMIN})
NOBODY: frozenset[Actor] = frozenset()


@dataclass(frozen=True)
class World:
    """The people and records every case runs against."""

    rep: User  # the record owner: Avery Quinlan
    other_rep: User
    coach: User
    other_coach: User
    hr: User
    admin: User
    open_milestone: Milestone  # a checkbox milestone the rep can mark done
    submitted_milestone: Milestone  # waiting for the coach to verify

    def user(self, actor: Actor) -> User | None:
        return {
            Actor.ANONYMOUS: None,
            Actor.REP: self.rep,
            Actor.OTHER_REP: self.other_rep,
            Actor.COACH: self.coach,
            Actor.OTHER_COACH: self.other_coach,
            Actor.HR: self.hr,
            Actor.ADMIN: self.admin,
        }[actor]

    def url_values(self) -> dict[str, Any]:
        """What each URL parameter means in every case, unless a rule says otherwise."""
        return {
            "rep_id": self.rep.id,
            "user_id": self.rep.id,
            "milestone_id": self.open_milestone.id,
            "key": "sdr-ramp",
        }


@dataclass(frozen=True)
class Rule:
    """Who may use one route with one method, and what everyone else gets.

    ``sees``: actors whose page must show the record owner's name; everyone else's must not
    (the owner's own name is in the navigation of every page, so the owner is not checked).
    ``state``: what a forbidden POST must leave unchanged and an allowed one must change.
    """

    allowed: frozenset[Actor]
    ok: int
    denied: int = 403
    sees: frozenset[Actor] = NOBODY
    data: Callable[[World], dict[str, Any]] | None = None
    state: Callable[[World], object] | None = None
    url_values: Callable[[World], dict[str, Any]] | None = None
    # The JSON API: the actor sends a token of theirs (no session), the data goes as JSON, and
    # the anonymous get 401 instead of the sign-in page.
    bearer: bool = False


def get(allowed: frozenset[Actor], *, ok: int = 200, **kwargs: Any) -> Rule:
    return Rule(allowed, ok=ok, **kwargs)


def post(allowed: frozenset[Actor], *, ok: int = 302, **kwargs: Any) -> Rule:
    return Rule(allowed, ok=ok, **kwargs)


# --- what a POST sends and what it may change ------------------------------------------------


def _status_of(milestone: Callable[[World], Milestone]) -> Callable[[World], object]:
    return lambda w: db.session.get(Milestone, milestone(w).id).status


def _open(w: World) -> Milestone:
    return w.open_milestone


def _submitted(w: World) -> Milestone:
    return w.submitted_milestone


def _password_hashes(w: World) -> object:
    return tuple(db.session.scalars(select(User.password_hash).order_by(User.id)))


def _reset_link(w: World) -> dict[str, Any]:
    """A reset link for the record owner, as the forgot-password email carries."""
    resets.request_reset(w.rep.email)
    db.session.commit()
    mail = db.session.scalars(select(OutboundMail).order_by(OutboundMail.id.desc())).first()
    assert mail is not None
    return {"token": mail.link.rsplit("/", 1)[1]}


def _a_mail(w: World) -> dict[str, Any]:
    """An email to the record owner (sent: to the test outbox folder)."""
    mail = queue_mail(
        to=w.rep.email,
        to_name=w.rep.full_name,
        template="password_reset",
        subject="Reset your SalesRamp password",
        reason="The matrix asked.",
        link="http://127.0.0.1/",
        minutes=30,
    )
    db.session.commit()
    return {"mail_id": mail.id}


def _a_failed_mail(w: World) -> dict[str, Any]:
    mail_id = _a_mail(w)["mail_id"]
    db.session.execute(
        update(OutboundMail).where(OutboundMail.id == mail_id).values(status=MailStatus.FAILED)
    )
    db.session.commit()
    return {"mail_id": mail_id}


def _mail_statuses(w: World) -> object:
    return tuple(db.session.scalars(select(OutboundMail.status).order_by(OutboundMail.id)))


def _person_details(w: World) -> dict[str, Any]:
    return {
        "full_name": TARGET_NAME,
        "email": w.rep.email,
        "job_title": "Senior SDR",
        "timezone": "UTC",
        "roles": ["rep"],
        "coach_id": str(w.coach.id),
        "team_id": "",
    }


# --- invitations and cohort imports, created when a case needs them ---------------------------

COHORT_FILE = "name,email,role\nCole Cohort,cole.cohort@example.com,rep\n"


def _invited(w: World) -> User:
    """Ivy, invited by the admin and not yet accepted."""
    found = invitations.find_invited("ivy.invited@example.com")
    if found is None:
        details = PersonDetails(email="ivy.invited@example.com", full_name="Ivy Invited")
        found = invitations.add_person(w.admin, details)
        db.session.commit()
    return found


def _an_invited_person(w: World) -> dict[str, Any]:
    return {"user_id": _invited(w).id}


def _invitation_link(w: World) -> dict[str, Any]:
    _invited(w)
    return {"token": token_of(latest_link("ivy.invited@example.com"))}


def _invitation_state(w: World) -> object:
    invitation = invitations.invitation_of(_invited(w))
    return (invitation.token_hash, invitation.revoked_at)


def _cohort_upload(w: World) -> dict[str, Any]:
    """An upload of one new hire, by the admin (only its uploader may preview or import it)."""
    found = db.session.scalar(select(CohortUpload).where(CohortUpload.uploaded_by_id == w.admin.id))
    if found is None:
        found = cohorts.upload(w.admin, "cohort.csv", COHORT_FILE.encode())
        db.session.commit()
    return {"upload_id": found.id}


def _cohort_confirm(w: World) -> dict[str, Any]:
    return {"fingerprint": cohorts.preview(w.admin, COHORT_FILE).fingerprint}


# --- certification: Avery's passed prospecting attempt, created when a case needs it ----------


def _leaver() -> User:
    """A deactivated person nobody in the world is signed in as: the one to reactivate."""
    found = db.session.scalar(select(User).where(User.email == "leaver@example.com"))
    if found is None:
        found = User(email="leaver@example.com", full_name="Lee Leaver", password_hash="x")
        found.active = False
        db.session.add(found)
        db.session.commit()
    return found


def _a_leaver(w: World) -> dict[str, Any]:
    return {"user_id": _leaver().id}


def _certification_attempt(w: World) -> CertificationAttempt:
    """Avery's prospecting attempt, passed on her coach's scores."""
    attempt = db.session.scalar(
        select(CertificationAttempt).where(CertificationAttempt.rep_id == w.rep.id)
    )
    if attempt is None:
        rubric = shipped_curriculum().rubric("prospecting")
        entry = AssessmentEntry(
            scores={c.key: 3 for c in rubric.criteria}, evidence_kind="role-play"
        )
        attempt = submit_assessment(w.coach, w.rep, "prospecting", entry, date.today()).attempt
        db.session.commit()
    return attempt


def _certification_form(stage: str, *, self_assessment: bool = False) -> dict[str, Any]:
    rubric = shipped_curriculum().rubric(stage)
    data: dict[str, Any] = {f"score-{c.key}": "3" for c in rubric.criteria}
    if not self_assessment:
        data.update(evidence_kind=rubric.evidence.kinds[0], assessed_on=date.today().isoformat())
    return data


def _assessments(*, is_self: bool) -> Callable[[World], object]:
    return lambda w: db.session.scalar(
        select(db.func.count(Assessment.id)).where(Assessment.is_self.is_(is_self))
    )


# --- coaching: Avery's debriefs, created when a case needs them ---------------------------------


def _debrief(w: World, *, recorded: bool) -> Debrief:
    """Avery's discovery role-play: recorded with one commitment, or waiting for the coach."""
    query = select(Debrief).where(Debrief.rep_id == w.rep.id)
    debrief = next((d for d in db.session.scalars(query) if d.is_recorded == recorded), None)
    if debrief is None:
        today = date.today()
        setup = coaching.DebriefSetup(today, DebriefKind.ROLE_PLAY, "discovery")
        debrief = coaching.create_debrief(w.coach, w.rep, setup, today)
        if recorded:
            entry = coaching.CommitmentEntry(
                "Ask about impact", "Five calls", today + timedelta(days=7)
            )
            record = coaching.DebriefRecord(commitments=[entry])
            coaching.record_debrief(w.coach, debrief, record, today)
        db.session.commit()
    return debrief


def _commitment(w: World) -> Commitment:
    return _debrief(w, recorded=True).commitments[0]


def _debrief_state(attribute: str, *, recorded: bool) -> Callable[[World], object]:
    return lambda w: getattr(db.session.get(Debrief, _debrief(w, recorded=recorded).id), attribute)


def _record_form(w: World) -> dict[str, Any]:
    due = (date.today() + timedelta(days=7)).isoformat()
    return {
        "went_well": "Good opening",
        "commitments-0-action": "Ask about impact",
        "commitments-0-measure": "Five calls",
        "commitments-0-due_on": due,
        "score-questioning": "2",
    }


def _booking(w: World) -> dict[str, Any]:
    """Avery's prospecting assessment, booked by her coach for the day after tomorrow."""
    found = db.session.scalar(
        select(ScheduledAssessment).where(ScheduledAssessment.rep_id == w.rep.id)
    )
    if found is None:
        slot = Slot(date.today() + timedelta(days=2), time(10, 0), 60, "Room 4")
        found = schedule_assessment(w.coach, w.rep, "prospecting", slot)
        db.session.commit()
    return {"booking_id": found.id}


def _bookings(w: World) -> object:
    rows = db.session.execute(
        select(ScheduledAssessment.status, ScheduledAssessment.sequence).order_by(
            ScheduledAssessment.id
        )
    )
    return tuple(rows)


def _schedule_form(w: World) -> dict[str, Any]:
    day = (date.today() + timedelta(days=3)).isoformat()
    return {"on": day, "start": "14:30", "minutes": "45", "place": "Room 2", "sequence": "0"}


# --- recognition and surveys: Avery's achievement, her open pulse survey, her debrief ---------


def _achievement(w: World) -> dict[str, Any]:
    """Avery's open milestone, done: something her coach or an admin can recognise."""
    w.open_milestone.status = MilestoneStatus.DONE
    db.session.commit()
    return {"achievement": f"milestone:{w.open_milestone.id}", "note": "Well done"}


def _pulse_due(w: World) -> dict[str, Any]:
    """Avery on day 30 of her plan: her day-30 pulse survey is open."""
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == w.rep.id))
    assert plan is not None
    plan.start_date = date.today() - timedelta(days=29)
    db.session.commit()
    return {"checkpoint": 30}


def _pulse_answers(w: World) -> dict[str, Any]:
    return {key: "4" for key in PULSE_KEYS}


PULSE_KEYS = ("plan_clear", "plan_useful", "workload", "coaching_useful", "coach_available")


ASSESSORS = frozenset({Actor.COACH, Actor.ADMIN})  # HR sees certifications but does not assess
REPS = frozenset({Actor.REP, Actor.OTHER_REP})  # self-assessment: always one's own


ACCESS: dict[str, dict[str, Rule]] = {
    "accounts.login": {
        "GET": get({Actor.ANONYMOUS}, denied=302),  # signed-in people go to their home page
        "POST": post(EVERYONE, data=lambda w: {"email": w.rep.email, "password": PASSWORD}),
    },
    "accounts.logout": {"POST": post(EVERYONE)},
    "accounts.change_password": {
        "GET": get(SIGNED_IN),
        "POST": post(
            SIGNED_IN,  # always one's own password, never the record owner's
            data=lambda w: {
                "current_password": PASSWORD,
                "new_password": "a brand new passphrase",
                "confirm": "a brand new passphrase",
            },
            state=_password_hashes,
        ),
    },
    # Forgot password: anyone may ask (the same answer for any address), and the emailed link
    # is the authority, whoever holds it; it never shows the person's name, only the email.
    "accounts.forgot_password": {
        "GET": get(EVERYONE),
        "POST": post(
            EVERYONE,
            data=lambda w: {"email": w.rep.email},
            state=lambda w: db.session.scalar(select(db.func.count(PasswordReset.id))),
        ),
    },
    "accounts.reset_password": {
        "GET": get(EVERYONE, url_values=_reset_link),
        "POST": post(
            EVERYONE,
            url_values=_reset_link,
            data=lambda w: {
                "new_password": "a brand new passphrase",
                "confirm": "a brand new passphrase",
            },
            state=_password_hashes,
        ),
    },
    "admin.people": {"GET": get(OVERSEERS, sees=OVERSEERS)},
    "admin.new_person": {
        "GET": get(ADMIN),
        "POST": post(
            ADMIN,
            data=lambda w: {
                **_person_details(w),
                "full_name": "Newly Added",
                "email": "newly.added@example.com",
            },
            state=lambda w: db.session.scalar(select(db.func.count(User.id))),
        ),
    },
    "admin.edit_person": {
        "GET": get(ADMIN, sees=ADMIN),
        "POST": post(
            ADMIN,
            data=_person_details,
            state=lambda w: db.session.get(User, w.rep.id).job_title,
        ),
    },
    "admin.deactivate": {
        "POST": post(ADMIN, state=lambda w: db.session.get(User, w.rep.id).active),
    },
    "admin.activate": {
        "POST": post(ADMIN, state=lambda w: _leaver().active, url_values=_a_leaver),
    },
    "admin.sign_out_everywhere": {
        "POST": post(ADMIN, state=lambda w: db.session.get(User, w.rep.id).session_version),
    },
    "admin.reset_password": {
        "POST": post(
            ADMIN,
            data=lambda w: {"reset-password": "a fresh reset password"},
            state=_password_hashes,
        ),
    },
    "admin.teams": {
        "GET": get(ADMIN),
        "POST": post(
            ADMIN,
            data=lambda w: {"name": "Team Matrix"},
            state=lambda w: tuple(db.session.scalars(select(Team.name).order_by(Team.name))),
        ),
    },
    "admin.organisation": {
        "GET": get(ADMIN),
        "POST": post(
            ADMIN,
            data=lambda w: {
                "name": "Matrix Org",
                "business_days": "y",
                "turnaround_days": "3",
                "debriefs_per_rep_month": "2",
            },
            state=lambda w: db.session.scalar(select(Organisation.name)),
        ),
    },
    # Every email the organisation sent, whoever it names: the admins' view of the mail.
    "admin.outbox": {"GET": get(ADMIN, sees=ADMIN)},
    "admin.outbox_message": {"GET": get(ADMIN, sees=ADMIN, url_values=_a_mail)},
    "admin.outbox_html": {"GET": get(ADMIN, sees=ADMIN, url_values=_a_mail)},
    "admin.retry_mail": {
        "POST": post(ADMIN, url_values=_a_failed_mail, state=_mail_statuses),
    },
    # The link is the key: whoever holds it (signed in or not) may choose the invited password.
    "invitations.accept": {
        "GET": get(EVERYONE, url_values=_invitation_link),
        "POST": post(
            EVERYONE,
            data=lambda w: {
                "password": "violet lantern harbour",
                "confirm": "violet lantern harbour",
            },
            state=_password_hashes,
            url_values=_invitation_link,
        ),
    },
    "invitations.index": {"GET": get(ADMIN)},
    "invitations.resend": {
        "POST": post(ADMIN, state=_invitation_state, url_values=_an_invited_person),
    },
    "invitations.revoke": {
        "POST": post(ADMIN, state=_invitation_state, url_values=_an_invited_person),
    },
    "cohorts.upload": {"GET": get(ADMIN), "POST": post(ADMIN, ok=200)},  # no file: the form again
    "cohorts.template": {"GET": get(ADMIN)},
    "cohorts.preview": {
        "GET": get(ADMIN, url_values=_cohort_upload),
        "POST": post(
            ADMIN,
            data=_cohort_confirm,
            state=lambda w: db.session.scalar(select(db.func.count(User.id))),
            url_values=_cohort_upload,
        ),
    },
    # Single sign-on is not configured in these cases' app: its sign-in answers 404 to the
    # anonymous (tests/sso/ run it against a real provider); signed-in people go home.
    "sso.start": {"GET": get({Actor.ANONYMOUS}, ok=404, denied=302)},
    "sso.callback": {"GET": get({Actor.ANONYMOUS}, ok=404, denied=302)},
    # Re-authenticating at the provider: for the signed-in; 404 while none is configured.
    "sso.reauthenticate": {"GET": get(SIGNED_IN, ok=404, denied=302)},
    "sso.settings": {
        "GET": get(ADMIN),
        "POST": post(
            ADMIN,
            data=lambda w: {"creates_accounts": "y", "new_account_role": "coach"},
            state=lambda w: db.session.scalar(select(Organisation.sso_new_account_role)),
        ),
    },
    "security.events": {"GET": get(ADMIN)},
    "security.export": {"GET": get(ADMIN)},
    "certification.index": {"GET": get(SIGNED_IN, ok=302)},
    "certification.mine": {"GET": get(SIGNED_IN)},  # always one's own certifications
    "certification.rep_certifications": {"GET": get(VIEWERS, sees=MANAGERS)},
    "certification.certification": {
        "GET": get(VIEWERS, sees=MANAGERS, url_values=lambda w: {"stage": "prospecting"})
    },
    "certification.assess": {
        "GET": get(ASSESSORS, sees=ASSESSORS, url_values=lambda w: {"stage": "qualification"}),
        "POST": post(
            ASSESSORS,
            data=lambda w: _certification_form("qualification"),
            state=_assessments(is_self=False),
            url_values=lambda w: {"stage": "qualification"},
        ),
    },
    "certification.self_assess": {
        "GET": get(REPS, url_values=lambda w: {"stage": "prospecting"}),
        "POST": post(
            REPS,
            data=lambda w: _certification_form("prospecting", self_assessment=True),
            state=_assessments(is_self=True),
            url_values=lambda w: {"stage": "prospecting"},
        ),
    },
    "certification.attempt": {
        "GET": get(
            VIEWERS,
            sees=MANAGERS,
            url_values=lambda w: {"attempt_id": _certification_attempt(w).id},
        )
    },
    "certification.certificate": {
        "GET": get(VIEWERS, url_values=lambda w: {"attempt_id": _certification_attempt(w).id})
    },
    "certification.correct": {
        "GET": get(
            ASSESSORS,
            sees=ASSESSORS,
            url_values=lambda w: {
                "score_id": _certification_attempt(w).assessments[0].scores[0].id
            },
        ),
        "POST": post(
            ASSESSORS,
            data=lambda w: {"level": "2", "reason": "Re-watched the recording."},
            state=lambda w: _certification_attempt(w).assessments[0].scores[0].level,
            url_values=lambda w: {
                "score_id": _certification_attempt(w).assessments[0].scores[0].id
            },
        ),
    },
    "certification.schedule": {
        "GET": get(ASSESSORS, sees=ASSESSORS, url_values=lambda w: {"stage": "prospecting"}),
        "POST": post(
            ASSESSORS,
            data=_schedule_form,
            state=_bookings,
            url_values=lambda w: {"stage": "prospecting"},
        ),
    },
    "certification.reschedule": {
        "GET": get(ASSESSORS, sees=ASSESSORS, url_values=_booking),
        "POST": post(ASSESSORS, data=_schedule_form, state=_bookings, url_values=_booking),
    },
    "certification.cancel_booking": {
        "POST": post(
            ASSESSORS,
            data=lambda w: {"cancel-reason": "Avery is ill.", "cancel-sequence": "0"},
            state=_bookings,
            url_values=_booking,
        ),
    },
    # Reps have no team view; another coach sees their own team, without Avery.
    "certification.team": {"GET": get(MANAGERS | {Actor.OTHER_COACH}, sees=MANAGERS)},
    "certification.rubrics": {"GET": get(SIGNED_IN)},
    "certification.print_rubrics": {"GET": get(SIGNED_IN)},
    "certification.rubric": {"GET": get(SIGNED_IN, url_values=lambda w: {"key": "prospecting"})},
    "certification.calibration": {
        "GET": get(MANAGERS | {Actor.OTHER_COACH}, url_values=lambda w: {"key": "prospecting"})
    },
    "recognition.feed": {"GET": get(SIGNED_IN, sees=frozenset({Actor.COACH, Actor.ADMIN}))},
    "recognition.rep": {
        "GET": get(VIEWERS, sees=MANAGERS),
        "POST": post(
            ASSESSORS,  # her coach or an admin; she cannot recognise herself
            ok=303,
            data=_achievement,
            state=lambda w: db.session.scalar(select(db.func.count(Recognition.id))),
        ),
    },
    "surveys.mine": {"GET": get(SIGNED_IN)},  # always one's own surveys
    "surveys.pulse": {
        # Open only for the new hire herself: for everyone else there is no such survey.
        "GET": get({Actor.REP}, denied=404, url_values=_pulse_due),
        "POST": post(
            {Actor.REP},
            ok=303,
            denied=404,
            data=_pulse_answers,
            state=lambda w: db.session.scalar(select(db.func.count(PulseResponse.id))),
            url_values=_pulse_due,
        ),
    },
    "surveys.results": {"GET": get(OVERSEERS)},  # never anyone's name: nobody "sees" Avery
    "surveys.rate": {  # only she rates her debrief, and only she sees her rating
        "GET": get({Actor.REP}, url_values=lambda w: {"debrief_id": _debrief(w, recorded=True).id}),
        "POST": post(
            {Actor.REP},
            ok=303,
            data=lambda w: {"rating": "4", "comment": "Useful"},
            state=lambda w: db.session.scalar(select(db.func.count(DebriefRating.id))),
            url_values=lambda w: {"debrief_id": _debrief(w, recorded=True).id},
        ),
    },
    "surveys.ratings": {"GET": get(OVERSEERS)},
    "surveys.coach_ratings": {  # her coach's own trend: the coach, HR and admins
        "GET": get(MANAGERS, url_values=lambda w: {"user_id": w.coach.id})
    },
    "coaching.mine": {"GET": get(SIGNED_IN)},  # always one's own debriefs
    "coaching.start": {  # a rep asks their own coach for a debrief about themselves
        "GET": get(REPS),
        "POST": post(
            REPS,
            ok=303,
            data=lambda w: {
                "held_on": date.today().isoformat(),
                "kind": "call-review",
                "went_well": "The opener",
            },
            state=lambda w: db.session.scalar(select(db.func.count(Debrief.id))),
        ),
    },
    # Always one's own notifications: the coach's tell of their rep's submitted milestone.
    "coaching.notifications": {"GET": get(SIGNED_IN, sees=frozenset({Actor.COACH}))},
    "coaching.read_all": {"POST": post(SIGNED_IN, ok=303)},
    "coaching.rep_debriefs": {"GET": get(VIEWERS, sees=MANAGERS)},
    "coaching.one_on_one": {"GET": get(ASSESSORS, sees=ASSESSORS)},
    "coaching.new_debrief": {
        "GET": get(ASSESSORS, sees=ASSESSORS),
        "POST": post(
            ASSESSORS,
            ok=303,
            data=lambda w: {"held_on": date.today().isoformat(), "kind": "one-on-one"},
            state=lambda w: db.session.scalar(select(db.func.count(Debrief.id))),
        ),
    },
    "coaching.debrief": {
        "GET": get(
            VIEWERS,
            sees=MANAGERS,
            url_values=lambda w: {"debrief_id": _debrief(w, recorded=True).id},
        )
    },
    "coaching.reflect": {
        "POST": post(
            {Actor.REP},
            ok=303,
            data=lambda w: {"went_well": "My opening", "better": "The pricing question"},
            state=_debrief_state("rep_better", recorded=False),
            url_values=lambda w: {"debrief_id": _debrief(w, recorded=False).id},
        )
    },
    "coaching.record": {
        "GET": get(
            ASSESSORS,
            sees=ASSESSORS,
            url_values=lambda w: {"debrief_id": _debrief(w, recorded=False).id},
        ),
        "POST": post(
            ASSESSORS,
            ok=303,
            data=_record_form,
            state=lambda w: db.session.scalar(
                select(db.func.count(Debrief.id)).where(Debrief.recorded_at.is_not(None))
            ),
            url_values=lambda w: {"debrief_id": _debrief(w, recorded=False).id},
        ),
    },
    "coaching.acknowledge": {
        "POST": post(
            {Actor.REP},
            ok=303,
            state=_debrief_state("acknowledged_at", recorded=True),
            url_values=lambda w: {"debrief_id": _debrief(w, recorded=True).id},
        )
    },
    "coaching.follow_up": {
        "POST": post(
            {Actor.REP},
            ok=303,
            data=lambda w: {"follow_up": "You coached me on impact; I asked it on six calls."},
            state=_debrief_state("follow_up", recorded=True),
            url_values=lambda w: {"debrief_id": _debrief(w, recorded=True).id},
        )
    },
    "coaching.review": {
        "POST": post(
            ASSESSORS,
            ok=303,
            data=lambda w: {f"commitment-{_commitment(w).id}-outcome": "kept"},
            state=lambda w: db.session.get(Commitment, _commitment(w).id).outcome,
            url_values=lambda w: {"commitment_id": _commitment(w).id},
        )
    },
    "curriculum.index": {"GET": get(SIGNED_IN)},
    "curriculum.plan_template": {"GET": get(SIGNED_IN)},
    "plans.home": {"GET": get(SIGNED_IN, ok=302)},
    # One's own queue: the coach sees their rep's submitted milestone, nobody else does.
    "reminders.work_queue": {
        "GET": get(MANAGERS | {Actor.OTHER_COACH}, sees=frozenset({Actor.COACH}))
    },
    "notifications.preferences": {
        "GET": get(SIGNED_IN),  # always one's own settings
        "POST": post(
            SIGNED_IN,
            ok=303,
            data=lambda w: {"email_at_once": "", "digest": "never"},
            state=lambda w: db.session.scalar(
                select(db.func.count(NotificationPreference.user_id))
            ),
        ),
    },
    "plans.my_ramp": {"GET": get(SIGNED_IN)},  # always one's own ramp
    "plans.rep_ramp": {"GET": get(VIEWERS, sees=MANAGERS)},
    # Reps have no team page; another coach sees their own team, without Avery.
    "plans.team": {"GET": get(MANAGERS | {Actor.OTHER_COACH}, sees=MANAGERS)},
    "plans.assign": {
        "GET": get(MANAGERS, sees=MANAGERS),
        "POST": post(
            MANAGERS,
            data=lambda w: {"template_key": "ae-ramp", "start_date": date.today().isoformat()},
            state=lambda w: tuple(
                db.session.scalars(select(Plan.id).where(Plan.rep_id == w.rep.id))
            ),
        ),
    },
    "plans.milestone": {"GET": get(VIEWERS, sees=MANAGERS)},
    "plans.report_progress": {
        "POST": post({Actor.REP}, data=lambda w: {"note": "Set up"}, state=_status_of(_open)),
    },
    "plans.verify": {
        "POST": post(
            MANAGERS,
            data=lambda w: {"verify-comment": "Good work"},
            state=_status_of(_submitted),
            url_values=lambda w: {"milestone_id": w.submitted_milestone.id},
        ),
    },
    "plans.send_back": {
        "POST": post(
            MANAGERS,
            data=lambda w: {"send-back-comment": "Add the call notes"},
            state=_status_of(_submitted),
            url_values=lambda w: {"milestone_id": w.submitted_milestone.id},
        ),
    },
}


# --- agreements: each case makes one agreement for Avery in the state the route needs -------

AGREEMENT_VALUES = {
    "gap_summary": "Meetings booked: 2 a week against 6.",
    "support_offered": "Two call reviews a week.",
    "improvement_targets": "6 meetings a week",
    "period_start": "2027-01-04",
    "period_end": "2027-02-26",
    "review_dates": "every Friday",
    "consequences": "Employment may end.",
}


def _agreement_for(w: World, status: AgreementStatus) -> Agreement:
    """Avery's agreement: a draft, sent, or completed (with stand-in PDF bytes: no rendering)."""
    existing = db.session.scalar(select(Agreement).where(Agreement.rep_id == w.rep.id))
    if existing is not None:
        return existing
    evidence = Evidence.system("access matrix")
    agreement = agreements.create_draft(
        w.hr, w.rep, "performance-improvement", AGREEMENT_VALUES, evidence
    )
    if status != AgreementStatus.DRAFT:
        agreements.send(w.hr, agreement, evidence)
    if status == AgreementStatus.COMPLETED:
        agreement.status = AgreementStatus.COMPLETED
        agreement.pdf = b"%PDF-1.7 stand-in for a sealed agreement"
        agreement.pdf_sha256 = "0" * 64
    db.session.commit()
    return agreement


def _on(status: AgreementStatus) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"agreement_id": _agreement_for(w, status).id}


def _verification_code(w: World) -> dict[str, Any]:
    return {"code": _agreement_for(w, AgreementStatus.SENT).verification_code}


def _agreement_state(w: World) -> object:
    agreement = db.session.scalar(select(Agreement).where(Agreement.rep_id == w.rep.id))
    if agreement is None:
        return None
    events = db.session.scalar(
        select(db.func.count(AgreementEvent.id)).where(AgreementEvent.agreement_id == agreement.id)
    )
    return agreement.status, agreement.values, events


def _export_by_hr(w: World) -> dict[str, Any]:
    """A finished export of Avery's agreement, requested by HR (only they may fetch it)."""
    ids = [_agreement_for(w, AgreementStatus.SENT).id]
    job = agreements.start_export(w.hr, ids)  # its job finds it done
    directory = Path(current_app.config["EXPORT_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    with agreement_export.export_path(directory, job).open("wb") as target:
        agreement_export.write_zip(ids, target)
    job.status, job.done = ExportStatus.DONE, len(ids)
    db.session.commit()
    return {"token": job.token}


def _bulk_send_by_hr(w: World) -> dict[str, Any]:
    """A batch of one agreement to Avery, queued by HR (its job sends it at the commit)."""
    evidence = Evidence.system("access matrix")
    template, raw = "performance-improvement", dict(AGREEMENT_VALUES)
    bulk = agreements.start_bulk_send(w.hr, template, [w.rep], raw, "f" * 64, evidence)
    db.session.commit()
    return {"bulk_id": bulk.id}


SIGNERS = frozenset({Actor.REP})
AGREEMENT_ACCESS: dict[str, dict[str, Rule]] = {
    # Reps have no list: they are sent to their own agreements; another coach sees an empty one.
    "agreements.index": {
        "GET": get(
            MANAGERS | {Actor.OTHER_COACH},
            denied=302,
            sees=MANAGERS,
            url_values=_on(AgreementStatus.SENT),
        )
    },
    "agreements.mine": {"GET": get(SIGNED_IN, url_values=_on(AgreementStatus.SENT))},
    "agreements.new": {
        "GET": get(OVERSEERS, sees=OVERSEERS),
        "POST": post(OVERSEERS, ok=200, sees=OVERSEERS),  # without a rep and template: step 1
    },
    "agreements.detail": {
        "GET": get(VIEWERS, sees=MANAGERS, url_values=_on(AgreementStatus.SENT)),
    },
    "agreements.edit": {
        "GET": get(OVERSEERS, sees=OVERSEERS, url_values=_on(AgreementStatus.DRAFT)),
        "POST": post(
            OVERSEERS,
            data=lambda w: (
                {f"v_{k}": v for k, v in AGREEMENT_VALUES.items()}
                | {"v_review_dates": "every Monday"}
            ),
            state=_agreement_state,
            url_values=_on(AgreementStatus.DRAFT),
        ),
    },
    "agreements.send": {
        "POST": post(OVERSEERS, state=_agreement_state, url_values=_on(AgreementStatus.DRAFT)),
    },
    "agreements.void": {
        "POST": post(
            OVERSEERS,
            data=lambda w: {"reason": "Wrong dates"},
            state=_agreement_state,
            url_values=_on(AgreementStatus.SENT),
        ),
    },
    "agreements.preview_pdf": {"GET": get(VIEWERS, url_values=_on(AgreementStatus.SENT))},
    "agreements.print_view": {
        "GET": get(VIEWERS, sees=MANAGERS, url_values=_on(AgreementStatus.SENT)),
    },
    "agreements.download": {"GET": get(VIEWERS, url_values=_on(AgreementStatus.COMPLETED))},
    "agreements.sign": {
        "GET": get(SIGNERS, url_values=_on(AgreementStatus.SENT)),
        "POST": post(
            SIGNERS,
            data=lambda w: {
                "consent": "y",
                "consent_version": "2026-11-v1",
                "typed_name": TARGET_NAME,
                "password": PASSWORD,  # signed in without the form: the login is not fresh
            },
            state=_agreement_state,
            url_values=_on(AgreementStatus.SENT),
        ),
    },
    "agreements.reached_end": {
        "POST": post(SIGNERS, ok=200, state=_agreement_state, url_values=_on(AgreementStatus.SENT)),
    },
    "agreements.decline": {
        "POST": post(
            SIGNERS,
            data=lambda w: {"reason": "Never discussed"},
            state=_agreement_state,
            url_values=_on(AgreementStatus.SENT),
        ),
    },
    "agreements.bulk": {"GET": get(OVERSEERS), "POST": post(OVERSEERS, ok=200)},
    "agreements.bulk_progress": {
        "GET": get(OVERSEERS, sees=OVERSEERS, url_values=_bulk_send_by_hr)
    },
    "agreements.verify": {"GET": get(OVERSEERS), "POST": post(OVERSEERS, ok=200)},
    "agreements.start_export": {
        "POST": post(OVERSEERS, ok=200, url_values=_on(AgreementStatus.SENT)),
    },
    "agreements.export_progress": {"GET": get({Actor.HR}, url_values=_export_by_hr)},
    "agreements.export_status": {"GET": get({Actor.HR}, url_values=_export_by_hr)},
    "agreements.export_download": {"GET": get({Actor.HR}, url_values=_export_by_hr)},
    # The QR code's page: status and hashes for anyone, never the content or the rep's name.
    "verification.public_verify": {"GET": get(EVERYONE, url_values=_verification_code)},
    # For load balancers: JSON about the database and the queue, nobody's records.
    "health.healthz": {"GET": get(EVERYONE)},
}
ACCESS.update(AGREEMENT_ACCESS)


# --- escalations and calendars ------------------------------------------------------------------


def _escalated(w: World) -> dict[str, Any]:
    """Avery's overdue milestones raised (day 20 of her ramp: some are well past due)."""
    escalations.run_escalations()
    db.session.commit()
    return {}


def _feed_of(user: User) -> CalendarFeed:
    return calendars.feed_of(user) or calendars.regenerate(user)


def _everyones_feeds(w: World) -> dict[str, Any]:
    """A calendar link for every person, so that revoking one's own changes something."""
    for user in (w.rep, w.other_rep, w.coach, w.other_coach, w.hr, w.admin):
        _feed_of(user)
    db.session.commit()
    return {}


def _feed_tokens(w: World) -> object:
    return tuple(db.session.scalars(select(CalendarFeed.token).order_by(CalendarFeed.id)))


def _blakes_feed(w: World) -> dict[str, Any]:
    """Another rep's feed: open to whoever holds its token, and never showing Avery."""
    token = _feed_of(w.other_rep).token
    db.session.commit()
    return {"token": token}


ACCESS.update(
    {
        # Reps have no list; another coach sees their own reps' escalations, without Avery.
        "escalations.index": {
            "GET": get(MANAGERS | {Actor.OTHER_COACH}, sees=MANAGERS, url_values=_escalated)
        },
        "calendars.mine": {"GET": get(SIGNED_IN)},  # always one's own link
        "calendars.regenerate": {"POST": post(SIGNED_IN, ok=303, state=_feed_tokens)},
        "calendars.revoke": {
            "POST": post(SIGNED_IN, ok=303, state=_feed_tokens, url_values=_everyones_feeds)
        },
        # Calendar apps do not sign in: the token is the credential, for one person's dates.
        "calendar_feed.feed": {"GET": get(EVERYONE, url_values=_blakes_feed)},
    }
)


def _noticed(w: World) -> dict[str, Any]:
    """A written notice drafted for Avery: 14 days at risk under her signed agreement."""
    at_risk_for_13_days(w.hr, w.rep)
    assert notices.run_sweep(date.today()).drafted
    db.session.commit()
    return {}


# Written notices are HR's: HR and admins see every one (Avery's); coaches and reps get 403.
ACCESS.update({"notices.index": {"GET": get(OVERSEERS, sees=OVERSEERS, url_values=_noticed)}})

DASHBOARD_ACCESS: dict[str, dict[str, Rule]] = {
    # Coaches see their own reps (another coach sees Blake, not Avery), HR and admins everyone.
    "dashboards.ramp": {"GET": get(MANAGERS | {Actor.OTHER_COACH}, sees=MANAGERS)},
    # Every coach's figures, no rep named: HR and admins.
    "dashboards.coaches": {"GET": get(OVERSEERS)},
    # Casey's own page (what waits on her names Avery): Casey, HR and admins; not Dana.
    "dashboards.coach": {
        "GET": get(MANAGERS, sees=MANAGERS, url_values=lambda w: {"coach_id": w.coach.id})
    },
}
ACCESS.update(DASHBOARD_ACCESS)


def _activity_import(w: World) -> dict[str, Any]:
    """A previewed upload by HR of one day of Avery's dials, its source mapped."""
    csv_text = f"Email,Date,Dials\n{w.rep.email},{date.today().isoformat()},12\n"
    record = metrics.upload(w.hr, "Matrix CRM", "day.csv", csv_text.encode())
    choice = metrics.proposed_mapping(record.source, ["Email", "Date", "Dials"])
    columns = {"rep_column": "Email", "date_column": "Date"}
    metrics.save_mapping(w.hr, record.source, replace(choice, **columns))
    db.session.commit()
    return {"import_id": record.id}


def _import_status(w: World) -> object:
    return db.session.scalar(select(ActivityImport.status).order_by(ActivityImport.id.desc()))


def _logged_rows(w: World) -> object:
    return db.session.scalar(
        select(db.func.count(ActivityFigure.id)).where(ActivityFigure.source_id.is_(None))
    )


METRICS_ACCESS: dict[str, dict[str, Rule]] = {
    # A rep's own activity and log: every rep their own, nobody else's (coaches, HR and admins
    # without the Rep role have none).
    "metrics.mine": {"GET": get(REPS)},
    "metrics.log_day": {
        "GET": get(REPS),
        "POST": post(
            REPS,
            ok=303,
            data=lambda w: {"day": date.today().isoformat(), "dials": "14"},
            state=_logged_rows,
        ),
    },
    "metrics.rep_activity": {"GET": get(VIEWERS, sees=MANAGERS)},
    # Importing writes every rep's figures: HR and admins only.
    "metrics.imports": {"GET": get(OVERSEERS), "POST": post(OVERSEERS, ok=200)},
    "metrics.mapping": {
        "GET": get(OVERSEERS, url_values=_activity_import),
        "POST": post(OVERSEERS, ok=200, url_values=_activity_import),  # nothing chosen: refused
    },
    "metrics.import_detail": {"GET": get(OVERSEERS, url_values=_activity_import)},
    "metrics.start_import": {
        "POST": post(OVERSEERS, ok=303, url_values=_activity_import, state=_import_status),
    },
}
ACCESS.update(METRICS_ACCESS)

OUTCOMES_ACCESS: dict[str, dict[str, Rule]] = {
    # Coaches see their reps' outcomes (another coach's page lists theirs, not Avery), HR and
    # admins everyone's.
    "outcomes.index": {"GET": get(MANAGERS | {Actor.OTHER_COACH}, sees=MANAGERS)},
    # Which parts of the plan go with faster ramps: the same people; medians, never a name.
    "outcomes.drivers": {"GET": get(MANAGERS | {Actor.OTHER_COACH})},
    # A rep's numbers: their own, and their coach's, HR's and admins' view of them.
    "outcomes.mine": {"GET": get(REPS)},
    "outcomes.rep_numbers": {"GET": get(VIEWERS, sees=MANAGERS)},
}
ACCESS.update(OUTCOMES_ACCESS)


def _quest_team(w: World) -> dict[str, Any]:
    """Avery and Blake (another coach's rep) on one team, its leaderboard on with names hidden
    from peers: Blake and Blake's coach must never see Avery's name there."""
    team = db.session.scalar(select(Team).where(Team.name == "Team Matrix Quests"))
    if team is None:
        team = Team(name="Team Matrix Quests")
        w.rep.team = w.other_rep.team = team
        db.session.add(team)
        db.session.flush()
        quests.set_leaderboard(w.admin, team, enabled=True, privacy=Privacy.HIDDEN)
        db.session.commit()
    return {"team_id": team.id}


def _leaderboard_state(w: World) -> object:
    row = db.session.get(TeamLeaderboard, _quest_team(w)["team_id"])
    return (row.enabled, row.privacy) if row else None


QUESTS_ACCESS: dict[str, dict[str, Rule]] = {
    "quests.mine": {"GET": get(REPS)},
    # The team's coaches (each coaching one of its reps), HR and admins; a coach sees rep by rep
    # only their own reps.
    "quests.team": {
        "GET": get(MANAGERS | {Actor.OTHER_COACH}, sees=MANAGERS, url_values=_quest_team)
    },
    # The team's reps too, each seeing only their own name (Avery's is hidden from Blake).
    "quests.leaderboard": {
        "GET": get(EVERYONE - {Actor.ANONYMOUS}, sees=MANAGERS, url_values=_quest_team)
    },
    "quests.change_leaderboard": {
        "POST": post(
            {Actor.COACH, Actor.OTHER_COACH, Actor.ADMIN},
            data=lambda w: {"enabled": "y", "privacy": "names"},
            state=_leaderboard_state,
            url_values=_quest_team,
        )
    },
}
ACCESS.update(QUESTS_ACCESS)


# --- webhooks: the admin's endpoints and delivery log -----------------------------------------

# A public address given as a literal, so saving it needs no DNS; the deliveries in these cases
# go to a loopback address, which the app refuses at once (no request leaves the machine).
PUBLIC_URL = "https://93.184.216.34/hooks"


def _an_endpoint(w: World) -> dict[str, Any]:
    found = db.session.scalar(select(WebhookEndpoint))
    if found is None:
        moment = datetime(2026, 11, 1)
        found = WebhookEndpoint(
            url="http://127.0.0.1:9/hooks",
            events=[EventType.MILESTONE_DONE.value],
            secret=webhooks.new_secret(),
            created_at=moment,
            updated_at=moment,
        )
        db.session.add(found)
        db.session.commit()
    return {"endpoint_id": found.id}


def _a_failed_delivery(w: World) -> dict[str, Any]:
    endpoint_id = _an_endpoint(w)["endpoint_id"]
    moment = datetime(2026, 11, 1)
    event = WebhookEvent(
        uid="msg_matrix", type=EventType.MILESTONE_DONE, created_at=moment, payload="{}"
    )
    delivery = WebhookDelivery(
        event=event, endpoint_id=endpoint_id, status=DeliveryStatus.FAILED, created_at=moment
    )
    db.session.add(delivery)
    db.session.commit()
    return {"delivery_id": delivery.id}


def _endpoint_rows(w: World) -> object:
    return tuple(db.session.execute(select(WebhookEndpoint.url, WebhookEndpoint.secret)))


def _attempt_count(w: World) -> object:
    return db.session.scalar(select(db.func.count(WebhookAttempt.id)))


def _table_exports(w: World) -> object:
    return db.session.scalar(select(db.func.count(TableExport.id)))


def _admins_export(w: World) -> dict[str, Any]:
    """The admin's finished export of activity: only the admin may follow or download it."""
    token = start_export(w.admin, "activity", "csv", {}, date.today())
    db.session.commit()
    return {"token": token}


_ENDPOINT_FORM = {"url": PUBLIC_URL, "events": ["milestone.done"], "enabled": "y"}

ACCESS.update(
    {
        # A link to the All reps list as CSV leads to the list, for whoever reads it (every
        # table is written in the background: see exports.start).
        "exports.download": {
            "GET": get(
                MANAGERS | {Actor.OTHER_COACH},
                ok=302,
                url_values=lambda w: {"name": "reps", "fmt": "csv"},
            )
        },
        # Exports are queued (a POST) and belong to whoever asked for them.
        "exports.start": {
            "POST": post(
                MANAGERS | {Actor.OTHER_COACH},
                ok=303,
                state=_table_exports,
                url_values=lambda w: {"name": "activity", "fmt": "csv"},
            )
        },
        "exports.progress": {"GET": get(ADMIN, denied=404, url_values=_admins_export)},
        "exports.status": {"GET": get(ADMIN, denied=404, url_values=_admins_export)},
        "exports.job_download": {"GET": get(ADMIN, denied=404, url_values=_admins_export)},
        # The rep's progress report (PDF): for whoever sees the rep's pages.
        "exports.progress_report": {"GET": get(VIEWERS)},
        "webhooks.endpoints": {"GET": get(ADMIN)},
        "webhooks.new_endpoint": {
            "GET": get(ADMIN),
            "POST": post(ADMIN, ok=200, data=lambda w: _ENDPOINT_FORM, state=_endpoint_rows),
        },
        "webhooks.edit_endpoint": {
            "GET": get(ADMIN, url_values=_an_endpoint),
            "POST": post(
                ADMIN, data=lambda w: _ENDPOINT_FORM, state=_endpoint_rows, url_values=_an_endpoint
            ),
        },
        "webhooks.rotate_secret": {
            "POST": post(ADMIN, ok=200, state=_endpoint_rows, url_values=_an_endpoint)
        },
        "webhooks.deliveries": {"GET": get(ADMIN)},
        "webhooks.delivery": {"GET": get(ADMIN, url_values=_a_failed_delivery)},
        "webhooks.resend": {
            "POST": post(ADMIN, state=_attempt_count, url_values=_a_failed_delivery)
        },
    }
)


# --- the JSON API (a token per actor) and the token pages ------------------------------------


def _api(allowed: frozenset[Actor], **kwargs: Any) -> Rule:
    return Rule(allowed, ok=200, bearer=True, **kwargs)


def _api_push(w: World) -> dict[str, Any]:
    row = {"rep_email": w.rep.email, "date": date.today().isoformat(), "dials": 9}
    return {"source": "Matrix API", "period": "day", "rows": [row]}


def _imported_rows(w: World) -> object:
    return db.session.scalar(
        select(db.func.count(ActivityFigure.id)).where(ActivityFigure.source_id.is_not(None))
    )


def _averys_token(w: World) -> dict[str, Any]:
    made = api_tokens.create_token(w.rep, "Avery's script")
    assert made is not None
    db.session.commit()
    return {"token_id": made.token.id}


def _token_state(w: World) -> object:
    return tuple(db.session.scalars(select(ApiToken.revoked_at).order_by(ApiToken.id)))


def _token_count(w: World) -> object:
    return db.session.scalar(select(db.func.count(ApiToken.id)))


API_ACCESS: dict[str, dict[str, Rule]] = {
    # The document and its docs page describe; they open nothing.
    "api.openapi": {"GET": get(EVERYONE)},
    "api.docs": {"GET": get(EVERYONE)},
    "api.me": {"GET": _api(SIGNED_IN)},  # always the token's owner
    # A list of whom the owner may see: Avery's name only where the pages show it.
    "api.people": {"GET": _api(SIGNED_IN, sees=MANAGERS)},
    "api.get_person": {"GET": _api(VIEWERS, sees=MANAGERS)},
    "api.plan": {"GET": _api(VIEWERS)},
    "api.certifications": {"GET": _api(VIEWERS)},
    "api.commitments": {"GET": _api(VIEWERS)},
    "api.activity": {"GET": _api(VIEWERS)},
    "api.agreements_of": {"GET": _api(VIEWERS)},
    # Importing writes every rep's figures: HR and admins, as on the import page.
    "api.push_activity": {"POST": _api(OVERSEERS, data=_api_push, state=_imported_rows)},
    # One's own tokens (a name is enough to make one; the page shows it with the secret).
    "api_tokens.mine": {
        "GET": get(SIGNED_IN),
        "POST": post(SIGNED_IN, ok=200, data=lambda w: {"name": "Matrix"}, state=_token_count),
    },
    # Avery's token: revoked by Avery or an admin, nobody else.
    "api_tokens.revoke": {
        "POST": post(
            {Actor.REP, Actor.ADMIN}, ok=303, url_values=_averys_token, state=_token_state
        ),
    },
    "api_tokens.everyone": {"GET": get(ADMIN, sees=ADMIN, url_values=_averys_token)},
}
ACCESS.update(API_ACCESS)


# --- pauses and disputes ------------------------------------------------------------------------


def _averys_plan(w: World) -> Plan:
    plan = db.session.scalar(
        select(Plan).where(Plan.rep_id == w.rep.id, Plan.archived_at.is_(None))
    )
    assert plan is not None
    return plan


def _averys_pause(w: World) -> dict[str, Any]:
    """Avery on leave from today for a week, recorded by HR."""
    plan = _averys_plan(w)
    record = pausing.current_pause(plan) or pausing.pause_plan(
        w.hr, plan, date.today(), date.today() + timedelta(days=6), "Leave"
    )
    db.session.commit()
    return {"pause_id": record.id}


def _averys_dispute(w: World) -> Dispute:
    """Avery disputes her prospecting result."""
    attempt = _certification_attempt(w)
    found = disputes.open_dispute_of(ItemKind.CERTIFICATION, attempt.id)
    if found is None:
        found = disputes.open_dispute(w.rep, ItemKind.CERTIFICATION, attempt.id, "Wrong")
        db.session.commit()
    return found


def _avery_disputed(w: World) -> dict[str, Any]:
    _averys_dispute(w)
    return {}


def _disputable(w: World) -> dict[str, Any]:
    return {"kind": "certification", "item_id": _certification_attempt(w).id}


def _dispute_id(w: World) -> dict[str, Any]:
    return {"dispute_id": _averys_dispute(w).id}


def _disputes(w: World) -> object:
    return tuple(db.session.scalars(select(Dispute.status).order_by(Dispute.id)))


PAUSE_AND_DISPUTE_ACCESS: dict[str, dict[str, Rule]] = {
    # Leave is HR's and admins' to record and end; everyone who sees the plan sees it.
    "plan_pauses.pause": {
        "GET": get(OVERSEERS, sees=OVERSEERS),
        "POST": post(
            OVERSEERS,
            data=lambda w: {
                "first_day": date.today().isoformat(),
                "last_day": (date.today() + timedelta(days=4)).isoformat(),
                "reason": "Parental leave",
            },
            state=lambda w: _averys_plan(w).paused_until,
        ),
    },
    "plan_pauses.resume": {
        "POST": post(
            OVERSEERS,
            url_values=_averys_pause,
            state=lambda w: _averys_plan(w).paused_until,
        )
    },
    # Only Avery disputes or acknowledges her own result.
    "disputes.new": {
        "GET": get({Actor.REP}, url_values=_disputable),
        "POST": post(
            {Actor.REP}, url_values=_disputable, data=lambda w: {"reason": "Wrong"}, state=_disputes
        ),
    },
    "disputes.acknowledge": {
        "POST": post(
            {Actor.REP},
            url_values=_disputable,
            state=lambda w: db.session.scalar(select(db.func.count(Acknowledgement.id))),
        )
    },
    # Everyone has the list: a rep their own disputes, a coach their reps', HR and admins all.
    "disputes.index": {"GET": get(SIGNED_IN, sees=MANAGERS, url_values=_avery_disputed)},
    "disputes.show": {
        "GET": get(VIEWERS, sees=MANAGERS, url_values=_dispute_id),
        "POST": post(
            MANAGERS,
            url_values=_dispute_id,
            data=lambda w: {"outcome": "rejected", "resolution": "The recording shows it."},
            state=_disputes,
        ),
    },
}
ACCESS.update(PAUSE_AND_DISPUTE_ACCESS)
# --- buddies: Avery's buddy is Blake, the other rep -----------------------------------------------


def _avery_and_blake(w: World) -> dict[str, Any]:
    pairing = buddies.active_pairing_of(w.rep) or buddies.pair(w.coach, w.rep, w.other_rep)
    db.session.commit()
    return {"pairing_id": pairing.id}


def _pairings(w: World) -> object:
    return tuple(db.session.execute(select(BuddyPairing.buddy_id, BuddyPairing.ended_at)))


def _check_ins(w: World) -> object:
    return db.session.scalar(select(db.func.count(BuddyCheckIn.id)))


PAIRERS = frozenset({Actor.COACH, Actor.ADMIN})  # the new hire's coach or an admin
PAIR = frozenset({Actor.REP, Actor.OTHER_REP})  # the new hire and their buddy
BUDDY_ACCESS: dict[str, dict[str, Rule]] = {
    # Everyone has the list; it names Avery to her buddy, her coach, HR and admins.
    "buddies.index": {
        "GET": get(SIGNED_IN, sees=MANAGERS | {Actor.OTHER_REP}, url_values=_avery_and_blake)
    },
    "buddies.pair": {
        "GET": get(PAIRERS, sees=PAIRERS),
        "POST": post(PAIRERS, data=lambda w: {"buddy_id": str(w.other_rep.id)}, state=_pairings),
    },
    # The pairing page (Avery's plan progress and check-ins): the pair, her coach, HR, admins.
    "buddies.pairing": {
        "GET": get(MANAGERS | PAIR, sees=MANAGERS | {Actor.OTHER_REP}, url_values=_avery_and_blake)
    },
    "buddies.check_in": {
        "POST": post(
            PAIR,
            url_values=_avery_and_blake,
            data=lambda w: {"held_on": date.today().isoformat(), "worked_on": "Cold calls"},
            state=_check_ins,
        )
    },
    "buddies.end": {
        "POST": post(
            PAIRERS,
            url_values=_avery_and_blake,
            data=lambda w: {"end-reason": "Blake moved teams"},
            state=_pairings,
        )
    },
}
ACCESS.update(BUDDY_ACCESS)


# --- the cases, from the URL map -------------------------------------------------------------


def _routes() -> list[tuple[str, str]]:
    """(endpoint, method) for every route the app serves, static files aside."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collect", "TESTING": True}
    )
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - IGNORED_METHODS
    )


ROUTES = _routes()
CASES = [
    pytest.param(endpoint, method, actor, id=f"{endpoint}-{method}-{actor}")
    for endpoint, method in ROUTES
    for actor in Actor
]


def test_the_matrix_has_no_rules_for_routes_that_are_gone() -> None:
    stale = {(e, m) for e, rules in ACCESS.items() for m in rules} - set(ROUTES)
    assert not stale, f"access rules for routes the app no longer serves: {sorted(stale)}"


@dataclass(frozen=True)
class WorldIds:
    """The world as stored in its snapshot: the ids of its people and milestones."""

    rep: int
    other_rep: int
    coach: int
    other_coach: int
    hr: int
    admin: int
    open_milestone: int
    submitted_milestone: int


def _build_world() -> WorldIds:
    """Built once per module (see ``world_snapshot``); every case starts from a copy."""
    coach = create_user(Role.COACH, name="Casey Coach")
    other_coach = create_user(Role.COACH, name="Dana Elsewhere")
    rep = create_rep(day_of_ramp=20, coach=coach, name=TARGET_NAME)
    other_rep = create_rep(day_of_ramp=20, coach=other_coach, name="Blake Other")
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    by_key = {m.key: m for m in plan.milestones}
    submitted = record_progress(rep, by_key["product-icp-training"], note="Finished the course")
    assert submitted.status == MilestoneStatus.SUBMITTED
    db.session.commit()
    return WorldIds(
        rep=rep.id,
        other_rep=other_rep.id,
        coach=coach.id,
        other_coach=other_coach.id,
        hr=create_user(Role.HR, name="Harper People").id,
        admin=create_user(Role.ADMIN, name="Alex Admin").id,
        open_milestone=by_key["crm-sequencing-setup"].id,
        submitted_milestone=submitted.id,
    )


@pytest.fixture(scope="module")
def world_snapshot(test_database: TestDatabase) -> Snapshot:
    return test_database.snapshot("access-matrix-world", _build_world)


@pytest.fixture
def world(world_snapshot: Snapshot, app: Flask) -> World:
    """The world's people and milestones, loaded in this case's session."""
    ids: WorldIds = world_snapshot.value
    return World(
        rep=db.session.get(User, ids.rep),
        other_rep=db.session.get(User, ids.other_rep),
        coach=db.session.get(User, ids.coach),
        other_coach=db.session.get(User, ids.other_coach),
        hr=db.session.get(User, ids.hr),
        admin=db.session.get(User, ids.admin),
        open_milestone=db.session.get(Milestone, ids.open_milestone),
        submitted_milestone=db.session.get(Milestone, ids.submitted_milestone),
    )


@pytest.mark.parametrize(("endpoint", "method", "actor"), CASES)
def test_access(
    endpoint: str,
    method: str,
    actor: Actor,
    world_snapshot: Snapshot,
    app: Flask,
    client: FlaskClient,
    request: pytest.FixtureRequest,
) -> None:
    rule = ACCESS.get(endpoint, {}).get(method)
    if rule is None:
        pytest.fail(f"route {endpoint} ({method}) has no access rule: add it to ACCESS")
    w: World = request.getfixturevalue("world")
    user = w.user(actor)
    headers = {}
    if user is not None and rule.bearer:
        headers = {"Authorization": f"Bearer {_api_token(user)}"}
    elif user is not None:
        _sign_in(app, client, user)
    url = url_for(endpoint, **_url_values(app, endpoint, rule, w))
    state = _state(rule, w)

    data = rule.data(w) if rule.data else {}
    if method == "GET":
        response = client.get(url, headers=headers)
    elif rule.bearer:
        response = client.post(url, json=data, headers=headers)
    else:
        response = client.post(url, data=data)

    body = response.get_data().decode("utf-8", "replace")  # PDFs and ZIPs too
    response.close()
    if actor in rule.allowed:
        assert response.status_code == rule.ok, body
    elif actor is Actor.ANONYMOUS and rule.bearer:
        assert response.status_code == 401, body
        assert response.content_type == "application/problem+json"
    elif actor is Actor.ANONYMOUS:
        assert response.status_code == 302
        assert response.location.startswith("/login"), response.location
    else:
        assert response.status_code == rule.denied, body
        assert response.status_code != 200
    if actor in rule.sees:
        assert TARGET_NAME in body
    elif actor is not Actor.REP:
        assert TARGET_NAME not in body, f"{actor} was shown {TARGET_NAME}'s data"
    if rule.state is not None:
        after = _state(rule, w)
        if actor in rule.allowed:
            assert after != state, "the allowed POST changed nothing"
        else:
            assert after == state, "a forbidden POST changed the database"


def _sign_in(app: Flask, client: FlaskClient, user: User) -> None:
    """Flask-Login's own session for ``user``, without the password form.

    Verifying an Argon2 hash takes about 0.2 s, and there are 150 signed-in cases; the form
    itself is covered by the ``accounts.login`` rows here and by the login tests.
    """
    with app.test_request_context(environ_base=client.environ_base):
        signins.start(user, remember=False)
        login_user(user)
        signed_in = dict(session)
    db.session.commit()
    with client.session_transaction() as client_session:
        client_session.update(signed_in)


def _api_token(user: User) -> str:
    """A personal API token of ``user``'s: the API's only credential (no session)."""
    made = api_tokens.create_token(user, "access matrix")
    assert made is not None
    db.session.commit()
    return made.secret


def _url_values(app: Flask, endpoint: str, rule: Rule, w: World) -> dict[str, Any]:
    values = {**w.url_values(), **(rule.url_values(w) if rule.url_values else {})}
    (url_rule,) = app.url_map.iter_rules(endpoint)
    missing = url_rule.arguments - values.keys()
    assert not missing, f"World.url_values has nothing for {sorted(missing)} of {url_rule.rule}"
    return {name: values[name] for name in url_rule.arguments}


def _state(rule: Rule, w: World) -> object:
    if rule.state is None:
        return None
    db.session.expire_all()  # read what the request committed, not what the session remembers
    return rule.state(w)
