"""The daily sweep: a notice drafted for HR once per episode, citing the clause and evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.accounts.models import User
from app.agreements.audit import events_of
from app.agreements.models import Agreement, AgreementStatus
from app.curriculum.models import AgreementKind
from app.extensions import db
from app.notices import service
from app.notices.models import NoticeEpisode, RepStatusDay
from app.notifications.models import Notification
from app.plans.service import active_plan, pausing
from tests.concurrency import together
from tests.notices.world import at_risk_for_13_days, record_days, signed_pip

TODAY = date.today()
AT_RISK_KEY = "status-at_risk-14"


def _notices() -> list[Agreement]:
    query = select(Agreement).where(Agreement.kind == AgreementKind.NOTICE).order_by(Agreement.id)
    return list(db.session.scalars(query))


def _episodes(key: str = AT_RISK_KEY) -> list[NoticeEpisode]:
    query = select(NoticeEpisode).where(NoticeEpisode.condition_key == key)
    return list(db.session.scalars(query.order_by(NoticeEpisode.id)))


@pytest.fixture
def ava(make_rep: Callable[..., User]) -> User:
    """A rep on day 60 with nothing done: many milestones overdue, at risk today."""
    return make_rep(day_of_ramp=60, name="Ava Chen")


def test_at_risk_for_14_days_drafts_a_notice_citing_the_clause_and_evidence(
    ava: User, hr: User
) -> None:
    pip = at_risk_for_13_days(hr, ava)

    result = service.run_sweep(TODAY)
    db.session.commit()

    [episode] = _episodes()
    notice = episode.notice
    assert notice is not None and notice.id in result.drafted
    assert notice.status == AgreementStatus.DRAFT  # nothing is sent without HR
    assert notice.rep_id == ava.id
    values = notice.values
    assert values["condition"] == "At risk for 14 days"
    assert values["clause_heading"] == "If the targets are missed"
    assert values["clause_text"] == "Employment may end."
    assert values["agreement_title"] == "Performance improvement agreement"
    assert "Recorded as at risk on 14 days" in values["evidence"]
    trail = events_of(notice)
    assert [e.action for e in trail] == ["drafted"]
    assert trail[0].actor_name == "SalesRamp"
    assert pip.verification_code in trail[0].detail
    told = db.session.scalars(select(Notification).where(Notification.recipient_id == hr.id))
    assert any("written notice for Ava Chen" in n.message for n in told)


def test_a_second_sweep_drafts_nothing_new(ava: User, hr: User) -> None:
    at_risk_for_13_days(hr, ava)
    service.run_sweep(TODAY)
    db.session.commit()
    drafted = len(_notices())

    again = service.run_sweep(TODAY)
    tomorrow = service.run_sweep(TODAY + timedelta(days=1))
    db.session.commit()

    assert again.drafted == tomorrow.drafted == []
    assert len(_notices()) == drafted
    days = db.session.scalar(select(func.count()).where(RepStatusDay.rep_id == ava.id))
    assert days == 15  # 13 recorded before, today once (rewritten), tomorrow


@pytest.mark.parametrize(
    ("signed_days_ago", "statuses"),
    [
        (30, ["at risk"] * 6 + ["paused"] * 10 + ["at risk"] * 6),  # 13 days, 10 paused between
        (5, ["at risk"] * 30),  # days before the agreement was signed do not count
    ],
)
def test_paused_days_and_days_before_signing_do_not_count(
    ava: User, hr: User, signed_days_ago: int, statuses: list[str]
) -> None:
    signed_pip(hr, ava, days_ago=signed_days_ago)
    record_days(ava, statuses)

    service.run_sweep(TODAY)

    assert _episodes() == []


def test_a_rep_on_leave_today_is_recorded_as_paused_and_gets_no_notice(ava: User, hr: User) -> None:
    at_risk_for_13_days(hr, ava)
    plan = active_plan(ava)
    assert plan is not None
    pausing.pause_plan(hr, plan, TODAY, TODAY + timedelta(days=9), "Parental leave")

    service.run_sweep(TODAY)
    db.session.commit()

    today = db.session.scalar(
        select(RepStatusDay).where(RepStatusDay.rep_id == ava.id, RepStatusDay.day == TODAY)
    )
    assert today is not None and today.paused
    assert _episodes() == []


def test_an_agreement_not_yet_signed_drafts_nothing(ava: User, hr: User) -> None:
    signed_pip(hr, ava, complete=False)
    record_days(ava, ["at risk"] * 30)

    result = service.run_sweep(TODAY)

    assert result.reps == 0
    assert _notices() == []


def test_an_episode_ends_when_the_condition_stops_and_a_new_one_drafts_again(
    ava: User, hr: User
) -> None:
    signed_pip(hr, ava, days_ago=60)
    record_days(ava, ["at risk"] * 13, until=TODAY - timedelta(days=30))
    service.run_sweep(TODAY - timedelta(days=29))  # the 14th day: drafted
    record_days(ava, ["on track"], until=TODAY - timedelta(days=28))
    service.run_sweep(TODAY - timedelta(days=27))  # the run back to at risk starts over
    db.session.commit()
    [first] = _episodes()
    assert first.ended_on == TODAY - timedelta(days=27)

    record_days(ava, ["at risk"] * 12, until=TODAY - timedelta(days=15))
    service.run_sweep(TODAY - timedelta(days=14))
    db.session.commit()

    episodes = _episodes()
    assert len(episodes) == 2
    assert episodes[1].started_on == TODAY - timedelta(days=27)
    assert episodes[0].notice_id != episodes[1].notice_id


@pytest.mark.real_commits
def test_two_sweeps_at_once_draft_each_notice_once(app: Flask, ava: User, hr: User) -> None:
    """Both find the condition met; the unique constraints let one store the day and the
    episode, and the other rolls back whole (its notice with it): its job runs again later and
    finds the episode open. On SQLite the later writer may be refused ("database is locked")."""
    at_risk_for_13_days(hr, ava)

    def sweep() -> service.SweepResult:
        result = service.run_sweep(TODAY)
        db.session.commit()
        return result

    outcomes = together(app, sweep)
    refused = [o for o in outcomes if not isinstance(o, service.SweepResult)]
    assert all(isinstance(error, IntegrityError | OperationalError) for error in refused), refused
    assert len(refused) < 2
    episodes = db.session.scalars(select(NoticeEpisode)).all()
    assert len(episodes) == len(_notices())  # no notice without its episode
    assert len(_episodes()) == 1
    assert service.run_sweep(TODAY).drafted == []
