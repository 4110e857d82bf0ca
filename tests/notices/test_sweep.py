"""The daily sweep: a notice drafted for HR once per episode, citing the clause and evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.agreements.audit import events_of
from app.agreements.models import Agreement, AgreementStatus
from app.curriculum.models import AgreementKind
from app.extensions import db
from app.notices import service
from app.notices.models import NoticeEpisode, RepStatusDay
from app.notifications.models import Notification

TODAY = date.today()


def _notices() -> list[Agreement]:
    query = select(Agreement).where(Agreement.kind == AgreementKind.NOTICE).order_by(Agreement.id)
    return list(db.session.scalars(query))


def _at_risk_rep(make_rep: Callable[..., User]) -> User:
    """A rep on day 60 with nothing done: many milestones overdue, at risk today."""
    return make_rep(day_of_ramp=60, name="Ava Chen")


def test_at_risk_for_14_days_drafts_a_notice_citing_the_clause_and_evidence(
    make_rep: Callable[..., User],
    signed_pip: Callable[..., Agreement],
    history: Callable[..., None],
    hr: User,
) -> None:
    rep = _at_risk_rep(make_rep)
    pip = signed_pip(rep, days_ago=20)
    history(rep, ["at risk"] * 13)

    result = service.run_sweep(TODAY)
    db.session.commit()

    [notice] = _notices()
    assert result.drafted == [notice.id]
    assert notice.status == AgreementStatus.DRAFT  # nothing is sent without HR
    assert notice.rep_id == rep.id
    values = notice.values
    assert values["condition"] == "At risk for 14 days"
    assert values["clause_heading"] == "If the targets are missed"
    assert values["clause_text"] == "Employment may end."
    assert values["agreement_title"] == "Performance improvement agreement"
    assert "Recorded as at risk on 14 days" in values["evidence"]
    # The milestone-overdue condition holds too (the plan's milestones are weeks late).
    episodes = db.session.scalars(select(NoticeEpisode).order_by(NoticeEpisode.id)).all()
    assert {e.condition_key for e in episodes} >= {"status-at_risk-14"}
    trail = events_of(notice)
    assert [e.action for e in trail] == ["drafted"]
    assert trail[0].actor_name == "SalesRamp"
    assert pip.verification_code in trail[0].detail
    told = db.session.scalars(select(Notification).where(Notification.recipient_id == hr.id))
    assert any("written notice for Ava Chen" in n.message for n in told)


def test_a_second_sweep_drafts_nothing_new(
    make_rep: Callable[..., User],
    signed_pip: Callable[..., Agreement],
    history: Callable[..., None],
) -> None:
    rep = _at_risk_rep(make_rep)
    signed_pip(rep, days_ago=20)
    history(rep, ["at risk"] * 13)
    service.run_sweep(TODAY)
    db.session.commit()
    drafted = len(_notices())

    again = service.run_sweep(TODAY)
    tomorrow = service.run_sweep(TODAY + timedelta(days=1))
    db.session.commit()

    assert again.drafted == tomorrow.drafted == []
    assert len(_notices()) == drafted
    days = db.session.scalar(select(func.count()).where(RepStatusDay.rep_id == rep.id))
    assert days == 15  # 13 recorded before, today once (rewritten), tomorrow


def test_thirteen_days_are_not_fourteen_and_paused_days_do_not_count(
    make_rep: Callable[..., User],
    signed_pip: Callable[..., Agreement],
    history: Callable[..., None],
) -> None:
    rep = _at_risk_rep(make_rep)
    signed_pip(rep, days_ago=30)
    history(rep, ["at risk"] * 6 + ["paused"] * 10 + ["at risk"] * 6)

    service.run_sweep(TODAY)

    keys = db.session.scalars(select(NoticeEpisode.condition_key)).all()
    assert "status-at_risk-14" not in keys  # 13 days at risk, 10 paused between


def test_days_before_the_agreement_was_signed_do_not_count(
    make_rep: Callable[..., User],
    signed_pip: Callable[..., Agreement],
    history: Callable[..., None],
) -> None:
    rep = _at_risk_rep(make_rep)
    signed_pip(rep, days_ago=5)
    history(rep, ["at risk"] * 30)

    service.run_sweep(TODAY)

    assert db.session.scalars(select(NoticeEpisode.condition_key)).all() == []


def test_an_agreement_not_yet_signed_drafts_nothing(
    make_rep: Callable[..., User],
    signed_pip: Callable[..., Agreement],
    history: Callable[..., None],
) -> None:
    rep = _at_risk_rep(make_rep)
    signed_pip(rep, complete=False)
    history(rep, ["at risk"] * 30)

    result = service.run_sweep(TODAY)

    assert result.reps == 0
    assert _notices() == []


def test_an_episode_ends_when_the_condition_stops_and_a_new_one_drafts_again(
    make_rep: Callable[..., User],
    signed_pip: Callable[..., Agreement],
    history: Callable[..., None],
) -> None:
    rep = _at_risk_rep(make_rep)
    signed_pip(rep, days_ago=60)
    history(rep, ["at risk"] * 13, until=TODAY - timedelta(days=30))
    service.run_sweep(TODAY - timedelta(days=29))  # the 14th day: drafted
    history(rep, ["on track"], until=TODAY - timedelta(days=28))
    service.run_sweep(TODAY - timedelta(days=27))  # the run back to at risk starts over
    db.session.commit()
    [first] = db.session.scalars(
        select(NoticeEpisode).where(NoticeEpisode.condition_key == "status-at_risk-14")
    ).all()
    assert first.ended_on == TODAY - timedelta(days=27)

    history(rep, ["at risk"] * 12, until=TODAY - timedelta(days=15))
    service.run_sweep(TODAY - timedelta(days=14))
    db.session.commit()

    episodes = db.session.scalars(
        select(NoticeEpisode)
        .where(NoticeEpisode.condition_key == "status-at_risk-14")
        .order_by(NoticeEpisode.id)
    ).all()
    assert len(episodes) == 2
    assert episodes[1].started_on == TODAY - timedelta(days=27)
    assert episodes[0].notice_id != episodes[1].notice_id
