"""Quest progress from milestones, certifications and activity; points; completions once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.accounts.models import Team, User
from app.extensions import db
from app.metrics.service import log_day
from app.notifications.models import Notification
from app.pagination import PageRequest
from app.quests import service
from app.quests.leaderboard import Privacy
from app.quests.models import QuestCompletion
from app.security.models import EventKind, SecurityEvent
from tests.concurrency import together
from tests.quests.conftest import certify, finish_milestones


def _today():
    return datetime.now(UTC).date()


def _line(lines, key):
    return next(line for line in lines if line.quest.key == key)


def test_a_reps_personal_quests_count_what_they_did_this_week_and_month(quest_team):
    rep = quest_team.first
    finish_milestones(rep, 2)
    log_day(rep, _today(), {"meetings_booked": 4}, _today())
    db.session.commit()

    mine = service.my_quests(rep, _today())

    milestones = _line(mine.personal, "five-milestones-this-week").mine
    assert (milestones.count, milestones.target, milestones.done) == (2, 5, False)
    meetings = _line(mine.personal, "book-ten-meetings").mine
    assert (meetings.count, meetings.target) == (4, 10)
    assert _line(mine.personal, "keep-three-commitments").mine.count == 0


def test_points_count_milestones_done_by_their_due_date(make_rep):
    rep = make_rep(day_of_ramp=1)  # nothing is due yet: whatever is ticked today is on time
    assert service.my_quests(rep, _today()).points.total == 0
    finish_milestones(rep, 2)
    points = service.my_quests(rep, _today()).points
    assert [(line.label, line.count) for line in points.lines] == [
        ("Milestones done on time", 2),
        ("Certifications passed", 0),
        ("Commitments kept", 0),
    ]
    assert points.total == 20


def test_a_milestone_done_late_earns_no_points(quest_team):
    rep = quest_team.first  # day 20: the first checkbox milestone is overdue
    finish_milestones(rep, 1)
    assert service.my_quests(rep, _today()).points.total == 0


def test_a_team_quest_is_done_when_every_sdr_is_certified_and_is_announced_once(quest_team):
    first, second, coach = quest_team.first, quest_team.second, quest_team.coach
    certify(first)
    team_line = _line(service.my_quests(second, _today()).team_quests, "sdr-prospecting-certified")
    assert (team_line.team.reached, team_line.team.members, team_line.team.done) == (1, 2, False)
    assert team_line.mine is not None and not team_line.mine.done

    certify(second)
    page = service.team_quests(coach, quest_team.team, _today(), PageRequest())
    assert _line(page.quests, "sdr-prospecting-certified").team.done

    assert service.record_completions(_today()) >= 1
    db.session.commit()
    assert service.record_completions(_today()) == 0  # a second run announces nothing again
    db.session.commit()
    told = db.session.scalars(
        select(Notification.recipient_id).where(Notification.message.like("Team quest done%"))
    ).all()
    assert sorted(told) == sorted([first.id, second.id, coach.id])
    recorded = db.session.scalar(
        select(func.count()).where(QuestCompletion.subject == f"team:{quest_team.team.id}")
    )
    assert recorded == 1


def test_a_coach_sees_only_their_own_reps_rep_by_rep(quest_team, make_user):
    from app.accounts.models import Role
    from tests.conftest import create_rep

    other_coach = make_user(Role.COACH, name="Dana Othercoach")
    theirs = create_rep(day_of_ramp=10, coach=other_coach, name="Terry Theirs")
    theirs.team = quest_team.team
    db.session.commit()

    page = service.team_quests(other_coach, quest_team.team, _today(), PageRequest())
    assert [row.rep.name for row in page.reps.items] == ["Terry Theirs"]
    # The team's progress still counts every SDR of the team.
    assert _line(page.quests, "sdr-prospecting-certified").team.members == 3


def test_flask_quests_check_announces_what_was_reached(quest_team, runner):
    certify(quest_team.first)
    certify(quest_team.second)
    result = runner.invoke(args=["quests", "check"])
    assert result.exit_code == 0, result.output
    assert "quests newly reached: 1" in result.output
    again = runner.invoke(args=["quests", "check"])
    assert "quests newly reached: 0" in again.output


@pytest.mark.real_commits
def test_two_first_switches_at_once_store_one_choice_and_log_it_once(app, quest_team):
    """Two coaches' tabs switch the leaderboard on at the same moment: one row, one log line,
    and no error page from a primary-key clash (on SQLite the later writer may be refused
    "database is locked" and sends again)."""
    team_id, coach_id = quest_team.team.id, quest_team.coach.id

    def switch_on() -> bool:
        coach = db.session.get(User, coach_id)
        changed = service.set_leaderboard(
            coach, db.session.get(Team, team_id), enabled=True, privacy=Privacy.HIDDEN
        )
        db.session.commit()
        return changed

    outcomes = together(app, switch_on, times=4)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert all(isinstance(error, OperationalError) for error in refused), refused
    assert outcomes.count(True) == 1
    setting = service.leaderboard_of(team_id)
    assert setting is not None and setting.enabled and setting.privacy is Privacy.HIDDEN
    logged = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.kind == EventKind.LEADERBOARD_CHANGED)
    ).all()
    assert len(logged) == 1
