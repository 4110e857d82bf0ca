"""Signing through the service: every refusal is clear and changes nothing; the trail is chained."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from app.accounts.models import Role, User
from app.agreements import audit, service
from app.agreements.audit import Evidence
from app.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementSignature,
    AgreementStatus,
)
from app.agreements.service import bulk, bulk_job, signing
from app.errors import Conflict, Invalid, NotAllowed
from app.extensions import db

WINDOW = timedelta(minutes=5)
Fresh = Callable[..., signing.SignatureInput]


def state(agreement: Agreement) -> tuple[AgreementStatus, int, int, str | None]:
    """Status, signatures, events and content hash, read fresh from the database."""
    db.session.expire_all()
    signatures = db.session.scalar(
        select(func.count())
        .select_from(AgreementSignature)
        .where(AgreementSignature.agreement_id == agreement.id)
    )
    events = db.session.scalar(
        select(func.count())
        .select_from(AgreementEvent)
        .where(AgreementEvent.agreement_id == agreement.id)
    )
    row = db.session.get(Agreement, agreement.id)
    assert row is not None
    return row.status, signatures or 0, events or 0, row.content_hash


def test_the_whole_journey_records_a_chained_trail(completed: Agreement, hr: User) -> None:
    assert completed.status == AgreementStatus.COMPLETED
    actions = [e.action for e in audit.events_of(completed)]
    assert actions == [
        "drafted",
        "sent",
        "signed by rep",
        "countersigned by HR",
        "completed",
        "sealed",
    ]
    events = audit.events_of(completed)
    assert all(e.content_hash == completed.content_hash for e in events[1:])
    assert events[2].ip_address == "203.0.113.7" and events[2].user_agent == "pytest browser"
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert audit.verify_chain(completed).intact
    rep_signature = completed.signature_by(signing.SignerRole.REP)
    assert rep_signature is not None and rep_signature.consent_version == "2026-11-v1"
    assert completed.pdf_sha256 and completed.pdf and completed.pdf.startswith(b"%PDF")


def test_a_name_that_does_not_match_is_refused_and_changes_nothing(
    make_agreement: Callable[..., Agreement], fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    before = state(agreement)
    with pytest.raises(Invalid) as refused:
        signing.sign(agreement.rep, agreement, fresh(agreement.rep, "Ava Chan"), evidence, WINDOW)
    assert refused.value.field == "typed_name"
    assert "does not match the name on record (Ava Chen)" in refused.value.message
    db.session.rollback()
    assert state(agreement) == before


def test_the_name_matches_ignoring_case_and_spaces(
    make_agreement: Callable[..., Agreement], fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    signing.sign(agreement.rep, agreement, fresh(agreement.rep, "  ava   CHEN "), evidence, WINDOW)
    assert agreement.status == AgreementStatus.SIGNED_BY_REP


def test_signing_without_consent_is_refused_and_changes_nothing(
    make_agreement: Callable[..., Agreement], fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    before = state(agreement)
    with pytest.raises(Invalid) as refused:
        signing.sign(
            agreement.rep, agreement, fresh(agreement.rep, consent=False), evidence, WINDOW
        )
    assert refused.value.field == "consent"
    assert "agree to sign electronically" in refused.value.message
    db.session.rollback()
    assert state(agreement) == before


def test_signing_someone_elses_agreement_is_refused_and_changes_nothing(
    make_agreement: Callable[..., Agreement],
    make_user: Callable[..., User],
    fresh: Fresh,
    evidence: Evidence,
) -> None:
    agreement = make_agreement()
    other = make_user(Role.REP, name="Ben Okafor")
    before = state(agreement)
    with pytest.raises(NotAllowed) as refused:
        signing.sign(other, agreement, fresh(other), evidence, WINDOW)
    assert "not yours to sign" in refused.value.message
    db.session.rollback()
    assert state(agreement) == before


def test_signing_twice_is_refused_and_records_one_signature(
    make_agreement: Callable[..., Agreement], fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    rep = agreement.rep
    signing.sign(rep, agreement, fresh(rep), evidence, WINDOW)
    db.session.commit()
    before = state(agreement)
    with pytest.raises(Conflict) as refused:
        signing.sign(rep, agreement, fresh(rep), evidence, WINDOW)
    assert "signed this agreement already" in refused.value.message
    db.session.rollback()
    assert state(agreement) == before
    assert audit.event_count(agreement, "signed by rep") == 1


def test_editing_a_sent_agreement_is_refused_and_changes_nothing(
    make_agreement: Callable[..., Agreement], hr: User, values: dict, evidence: Evidence
) -> None:
    agreement = make_agreement()
    before = (state(agreement), dict(agreement.values), dict(agreement.document or {}))
    changed = {**values["performance-improvement"], "gap_summary": "Something else"}
    with pytest.raises(Conflict) as refused:
        service.update_draft(hr, agreement, changed, evidence)
    assert "content is frozen" in refused.value.message
    assert "void it with a reason and send a new one" in refused.value.message
    db.session.rollback()
    db.session.expire_all()
    assert (state(agreement), dict(agreement.values), dict(agreement.document or {})) == before


def test_a_draft_can_be_edited_and_shows_the_rep_record(
    make_agreement: Callable[..., Agreement], hr: User, values: dict, evidence: Evidence
) -> None:
    agreement = make_agreement(send=False)
    changed = {**values["performance-improvement"], "gap_summary": "Dials: 20 a day, not 60"}
    service.update_draft(hr, agreement, changed, evidence)
    document = service.document_of(agreement)
    assert "Dials: 20 a day, not 60" in document["body_html"]
    assert "Ava Chen" in document["body_html"]
    assert agreement.document is None and agreement.status == AgreementStatus.DRAFT
    assert [e.action for e in audit.events_of(agreement)] == ["drafted", "edited"]


@pytest.mark.parametrize(
    "change",
    [
        lambda hr, a, e, v: service.update_draft(hr, a, v, e),
        lambda hr, a, e, v: service.void(hr, a, "Changed our minds", e),
        lambda hr, a, e, v: service.send(hr, a, e),
        lambda hr, a, e, v: signing.decline(a.rep, a, "No", e),
        lambda hr, a, e, v: signing.sign(
            a.rep,
            a,
            signing.SignatureInput(a.rep.full_name, True, signed_in_at=audit.now()),
            e,
            WINDOW,
        ),
    ],
    ids=["edit", "void", "send", "decline", "sign"],
)
def test_a_completed_agreement_cannot_be_changed(
    completed: Agreement, hr: User, evidence: Evidence, values: dict, change: Callable
) -> None:
    before = (state(completed), completed.pdf_sha256)
    with pytest.raises((Conflict, NotAllowed)):
        change(hr, completed, evidence, values["performance-improvement"])
    db.session.rollback()
    assert (state(completed), completed.pdf_sha256) == before


def test_a_signed_agreement_cannot_be_edited_or_declined(
    make_agreement: Callable[..., Agreement],
    hr: User,
    fresh: Fresh,
    evidence: Evidence,
    values: dict,
) -> None:
    agreement = make_agreement()
    signing.sign(agreement.rep, agreement, fresh(agreement.rep), evidence, WINDOW)
    db.session.commit()
    before = state(agreement)
    with pytest.raises(Conflict):
        service.update_draft(hr, agreement, values["performance-improvement"], evidence)
    with pytest.raises(Conflict):
        signing.decline(agreement.rep, agreement, "Too late", evidence)
    db.session.rollback()
    assert state(agreement) == before


@pytest.mark.real_commits  # two threads, two connections: each must see the other's commit
def test_double_submission_from_two_tabs_signs_once(
    app: Flask, make_agreement: Callable[..., Agreement]
) -> None:
    """Two requests load the agreement, then both submit: one signs, the other is refused."""
    agreement = make_agreement()
    agreement_id, rep_id = agreement.id, agreement.rep_id
    db.session.remove()
    loaded = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        with app.app_context():
            rep = db.session.get(User, rep_id)
            mine = db.session.get(Agreement, agreement_id)
            assert rep is not None and mine is not None
            _ = mine.signatures  # both tabs show the page before either submits
            loaded.wait(timeout=10)
            given = signing.SignatureInput(
                rep.full_name, True, signed_in_at=datetime.now(UTC).replace(tzinfo=None)
            )
            try:
                signing.sign(rep, mine, given, Evidence("198.51.100.1", "tab"), WINDOW)
                db.session.commit()
                outcomes.append("signed")
            except Conflict as refused:
                db.session.rollback()
                outcomes.append(refused.message)
            finally:
                db.session.remove()

    tabs = [threading.Thread(target=submit) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=30)
    assert sorted(outcomes)[-1] == "signed" and outcomes.count("signed") == 1, outcomes
    agreement = db.session.get(Agreement, agreement_id)
    assert agreement is not None
    assert state(agreement)[:2] == (AgreementStatus.SIGNED_BY_REP, 1)
    assert audit.event_count(agreement, "signed by rep") == 1
    assert audit.verify_chain(agreement).intact


def test_a_stale_login_needs_the_password_again(
    make_agreement: Callable[..., Agreement], fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    rep = agreement.rep
    long_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=30)
    with pytest.raises(Invalid) as refused:
        signing.sign(rep, agreement, fresh(rep, signed_in_at=long_ago), evidence, WINDOW)
    assert refused.value.field == "password" and "password again" in refused.value.message
    with pytest.raises(Invalid, match="not right"):
        signing.sign(
            rep, agreement, fresh(rep, signed_in_at=long_ago, password="guess"), evidence, WINDOW
        )
    db.session.rollback()
    given = fresh(rep, signed_in_at=long_ago, password="correct horse battery")
    signing.sign(rep, agreement, given, evidence, WINDOW)
    assert agreement.status == AgreementStatus.SIGNED_BY_REP


def test_reading_times_go_into_the_trail_and_the_signature(
    make_agreement: Callable[..., Agreement], fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    rep = agreement.rep
    signing.record_opened(rep, agreement, evidence)
    assert signing.record_reached_end(rep, agreement, evidence) is True
    assert signing.record_reached_end(rep, agreement, evidence) is False  # once per opening
    signature = signing.sign(rep, agreement, fresh(rep), evidence, WINDOW)
    assert signature.opened_at is not None and signature.reached_end_at is not None
    assert [e.action for e in audit.events_of(agreement)][-3:] == [
        "opened",
        "read to the end",
        "signed by rep",
    ]


def test_declining_needs_a_reason_and_ends_the_agreement(
    make_agreement: Callable[..., Agreement], fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    rep = agreement.rep
    with pytest.raises(Invalid, match="why you decline"):
        signing.decline(rep, agreement, "  ", evidence)
    signing.decline(rep, agreement, "The targets were never discussed with me.", evidence)
    assert agreement.status == AgreementStatus.DECLINED
    assert agreement.close_reason == "The targets were never discussed with me."
    with pytest.raises(Conflict, match="declined"):
        signing.sign(rep, agreement, fresh(rep), evidence, WINDOW)


def test_voiding_needs_a_reason_and_stops_signing(
    make_agreement: Callable[..., Agreement], hr: User, fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    with pytest.raises(Invalid, match="why"):
        service.void(hr, agreement, "", evidence)
    service.void(hr, agreement, "Wrong improvement dates", evidence)
    assert agreement.status == AgreementStatus.VOIDED
    with pytest.raises(Conflict, match="voided"):
        signing.sign(agreement.rep, agreement, fresh(agreement.rep), evidence, WINDOW)


def test_only_hr_drafts_sends_and_voids(
    make_agreement: Callable[..., Agreement],
    make_user: Callable[..., User],
    values: dict,
    evidence: Evidence,
) -> None:
    agreement = make_agreement(send=False)
    coach = agreement.rep.coach
    for outsider in (agreement.rep, coach, make_user(Role.REP)):
        with pytest.raises(NotAllowed):
            service.send(outsider, agreement, evidence)
        with pytest.raises(NotAllowed):
            service.create_draft(
                outsider,
                agreement.rep,
                "performance-improvement",
                values["performance-improvement"],
                evidence,
            )
    with pytest.raises(NotAllowed):
        service.get_agreement(agreement.rep, agreement.id)  # a draft is not the rep's yet


def test_the_coach_countersigns_when_the_template_asks(
    make_agreement: Callable[..., Agreement], hr: User, fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement("onboarding-expectations")
    rep, coach = agreement.rep, agreement.rep.coach
    assert coach is not None and agreement.coach_id == coach.id
    signing.sign(rep, agreement, fresh(rep), evidence, WINDOW)
    with pytest.raises(Conflict):
        signing.sign(rep, agreement, fresh(rep), evidence, WINDOW)
    signing.sign(hr, agreement, fresh(hr), evidence, WINDOW)
    assert agreement.status == AgreementStatus.SIGNED_BY_REP  # still waiting for the coach
    assert service.waiting_for(coach) == [agreement]
    signing.sign(coach, agreement, fresh(coach), evidence, WINDOW)
    assert agreement.status == AgreementStatus.COMPLETED
    assert {s.role.value for s in agreement.signatures} == {"rep", "hr", "coach"}


def test_the_hr_person_cannot_countersign_before_the_rep(
    make_agreement: Callable[..., Agreement], hr: User, fresh: Fresh, evidence: Evidence
) -> None:
    agreement = make_agreement()
    with pytest.raises(NotAllowed, match="rep signs first"):
        signing.sign(hr, agreement, fresh(hr), evidence, WINDOW)


def test_altering_an_event_in_the_database_breaks_verification(completed: Agreement) -> None:
    assert audit.verify_chain(completed).intact
    db.session.execute(
        text("UPDATE agreement_events SET detail = :detail WHERE agreement_id = :id AND seq = 3"),
        {"detail": 'Typed name "Somebody Else"; consent 2026-11-v1', "id": completed.id},
    )
    db.session.commit()
    check = audit.verify_chain(completed)
    assert not check.intact
    assert check.problem == "event 3 was altered after it was recorded"


def test_removing_the_last_event_breaks_verification(completed: Agreement) -> None:
    db.session.execute(
        text("DELETE FROM agreement_events WHERE agreement_id = :id AND seq = 6"),
        {"id": completed.id},
    )
    db.session.commit()
    assert audit.verify_chain(completed).problem == "events were removed from the end of the trail"


def test_events_cannot_be_changed_through_the_application(completed: Agreement) -> None:
    event = audit.events_of(completed)[0]
    event.detail = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_sending_to_a_team_individualises_each_agreement(
    make_rep: Callable[..., User],
    make_team: Callable[..., object],
    hr: User,
    values: dict,
    evidence: Evidence,
) -> None:
    team = make_team("Team North")
    reps = [make_rep(name=name) for name in ("Ava Chen", "Ben Okafor", "Chloe Martin")]
    for rep in reps[:2]:
        rep.team = team
    db.session.commit()
    group = bulk.reps_in_group(hr, team_id=team.id)  # type: ignore[attr-defined]
    assert [r.full_name for r in group] == ["Ava Chen", "Ben Okafor"]
    previews = bulk.preview_many(
        hr, "performance-improvement", group, values["performance-improvement"]
    )
    assert ["Ava Chen" in p.document["body_html"] for p in previews] == [True, False]
    raw = values["performance-improvement"]
    fingerprint = bulk.bulk_fingerprint("performance-improvement", group, raw)
    queued = bulk_job.start_bulk_send(
        hr, "performance-improvement", group, raw, fingerprint, evidence
    )
    db.session.commit()  # the job runs once the batch is committed
    sent = bulk_job.sent_by(hr, queued)
    assert [a.rep.full_name for a in sent] == ["Ava Chen", "Ben Okafor"]
    assert all(a.status == AgreementStatus.SENT and a.document for a in sent)
    assert sent[0].content_hash != sent[1].content_hash
    assert len({a.verification_code for a in sent}) == 2


def test_a_start_cohort_is_the_reps_who_started_in_that_month(
    make_user: Callable[..., User], hr: User
) -> None:
    from datetime import date

    early = make_user(Role.REP, name="Early Starter", start_date=date(2026, 9, 7))
    make_user(Role.REP, name="Later Starter", start_date=date(2026, 10, 5))
    make_user(Role.COACH, name="Not A Rep", start_date=date(2026, 9, 1))
    assert bulk.cohorts(hr) == ["2026-10", "2026-09"]
    assert bulk.reps_in_group(hr, cohort="2026-09") == [early]
    with pytest.raises(NotAllowed):
        bulk.cohorts(early)
