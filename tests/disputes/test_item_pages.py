"""The disputed record's own page says a dispute is open, then how it was decided, with a link;
a debrief whose notes are disputed is not offered for acknowledgement meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from app.accounts.models import Role, User
from app.coaching.models import Debrief
from app.disputes import service
from app.disputes.models import DisputeStatus, ItemKind
from app.extensions import db
from tests.disputes.conftest import Disputable, recorded_debrief

Login = Callable[[User], FlaskClient]


def test_the_attempt_page_shows_the_open_then_decided_dispute(
    disputable: Disputable, login: Login, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    rep, attempt = disputable.rep, disputable.attempt
    page = f"/certifications/attempts/{attempt.id}"
    login(rep)
    assert "dispute-note" not in client.get(page).text
    dispute = service.open_dispute(rep, ItemKind.CERTIFICATION, attempt.id, "Minute 12.")
    db.session.commit()
    link = f'href="/disputes/{dispute.id}"'
    shown = client.get(page).text
    assert "A dispute of this is open" in shown and link in shown
    client.post("/logout")

    login(disputable.coach)
    assert "A dispute of this is open" in client.get(page).text
    service.resolve_dispute(disputable.coach, dispute, DisputeStatus.REJECTED, "It stands.")
    db.session.commit()
    decided = client.get(page).text
    assert "Dispute rejected" in decided and link in decided
    client.post("/logout")

    # HR reads every dispute, so sees the link too.
    login(make_user(Role.HR))
    assert link in client.get(page).text


def test_a_disputed_debrief_is_not_offered_for_acknowledgement(
    disputable: Disputable, login: Login, client: FlaskClient
) -> None:
    rep, coach = disputable.rep, disputable.coach
    debrief = recorded_debrief(rep, coach)
    page = f"/coaching/debriefs/{debrief.id}"
    login(rep)
    assert "I have read it: acknowledge" in client.get(page).text
    dispute = service.open_dispute(rep, ItemKind.DEBRIEF, debrief.id, "I did not say that.")
    db.session.commit()
    shown = client.get(page).text
    assert "I have read it: acknowledge" not in shown
    assert "you dispute these notes" in shown and f'href="/disputes/{dispute.id}"' in shown
    assert "Dispute these notes" not in shown  # one open dispute per item
    # Posting the acknowledgement anyway (an old tab) changes nothing while it is disputed.
    refused = client.post(f"/coaching/debriefs/{debrief.id}/acknowledge")
    assert refused.status_code == 409 and "once the dispute is decided" in refused.text
    db.session.expire_all()
    assert db.session.get(Debrief, debrief.id).acknowledged_at is None  # type: ignore[union-attr]

    service.resolve_dispute(coach, dispute, DisputeStatus.UPHELD, "You are right.")
    db.session.commit()
    after = client.get(page).text
    assert "Dispute upheld" in after and "I have read it: acknowledge" in after
    client.post("/logout")

    login(coach)
    assert "Dispute upheld" in client.get(page).text
