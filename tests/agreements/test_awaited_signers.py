"""Who still has to sign an agreement, and since when: on the agreement and in the list."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from app.accounts.models import Role, User
from app.agreements.models import Agreement, AwaitedSigner, SignerRole
from app.agreements.service import signing
from app.extensions import db
from tests.agreements.conftest import EVIDENCE, WINDOW

Login = Callable[[User], FlaskClient]
ONBOARDING = "onboarding-expectations"  # countersigned by HR and the coach


def _signed_at(agreement: Agreement, role: SignerRole) -> object:
    signature = agreement.signature_by(role)
    assert signature is not None
    return signature.signed_at


def test_a_sent_agreement_waits_for_the_rep_since_it_was_sent_then_the_countersigners(
    make_agreement: Callable[..., Agreement], hr: User, fresh: Callable[..., object]
) -> None:
    agreement = make_agreement(ONBOARDING)
    rep, coach = agreement.rep, agreement.coach
    assert coach is not None
    assert agreement.awaited_signers == [
        AwaitedSigner(SignerRole.REP, rep.full_name, agreement.sent_at),
        AwaitedSigner(SignerRole.HR, "HR", None),
        AwaitedSigner(SignerRole.COACH, coach.full_name, None),
    ]

    signing.sign(rep, agreement, fresh(rep), EVIDENCE, WINDOW)
    db.session.refresh(agreement, ["signatures"])
    rep_signed = _signed_at(agreement, SignerRole.REP)
    assert agreement.awaited_signers == [
        AwaitedSigner(SignerRole.HR, "HR", rep_signed),
        AwaitedSigner(SignerRole.COACH, coach.full_name, rep_signed),
    ]

    signing.sign(coach, agreement, fresh(coach), EVIDENCE, WINDOW)
    db.session.refresh(agreement, ["signatures"])
    coach_signed = _signed_at(agreement, SignerRole.COACH)
    assert agreement.awaited_signers == [AwaitedSigner(SignerRole.HR, "HR", coach_signed)]


def test_drafts_and_closed_agreements_wait_for_nobody(
    make_agreement: Callable[..., Agreement], hr: User
) -> None:
    assert make_agreement(send=False).awaited_signers == []


def test_the_agreement_page_and_the_list_name_who_still_has_to_sign_and_since_when(
    client: FlaskClient,
    login: Login,
    hr: User,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
    make_agreement: Callable[..., Agreement],
    fresh: Callable[..., object],
) -> None:
    coach = make_user(Role.COACH, name="Casey Coach")
    rep = make_rep(name="Ava Chen", coach=coach)
    agreement = make_agreement(ONBOARDING, rep=rep)
    login(hr)

    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert re.search(r"Waiting for Ava Chen \(rep\) since \d+ \w+ \d{4}", page)
    assert "Waiting for HR, after the rep signs" in page
    assert "Waiting for Casey Coach (coach), after the rep signs" in page

    signing.sign(rep, agreement, fresh(rep), EVIDENCE, WINDOW)
    db.session.commit()
    listed = client.get("/agreements").get_data(as_text=True)
    assert re.search(r"Waiting for HR since \d+ \w+ \d{4}", listed)
    assert re.search(r"Waiting for Casey Coach \(coach\) since \d+ \w+ \d{4}", listed)
    assert "Waiting for Ava Chen" not in listed


def test_the_rep_sees_on_my_agreements_who_still_has_to_countersign(
    client: FlaskClient,
    login: Login,
    hr: User,
    make_user: Callable[..., User],
    make_rep: Callable[..., User],
    make_agreement: Callable[..., Agreement],
    fresh: Callable[..., object],
) -> None:
    coach = make_user(Role.COACH, name="Casey Coach")
    rep = make_rep(name="Ava Chen", coach=coach)
    agreement = make_agreement(ONBOARDING, rep=rep)
    signing.sign(rep, agreement, fresh(rep), EVIDENCE, WINDOW)
    db.session.commit()

    mine = login(rep).get("/agreements/mine").get_data(as_text=True)
    own = mine.split("My agreements", 1)[1]
    assert re.search(r"Waiting for HR since \d+ \w+ \d{4}", own)
    assert re.search(r"Waiting for Casey Coach \(coach\) since \d+ \w+ \d{4}", own)
    assert "Waiting for Ava Chen" not in own
