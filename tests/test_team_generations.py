"""The data's generation per team (app/generation.py, app/dashboards/service/scopes.py): a write
raises the tokens of the teams whose reps' rows it wrote and no other; what cannot be placed in
teams raises the broad token; and the dashboard summed from shares kept per team says what it
says worked out afresh, whatever was written between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import Organisation, Role, Team, User
from app.certification.service import AssessmentEntry, submit_assessment
from app.dashboards import service
from app.dashboards.service import ramp
from app.extensions import db
from app.generation import NO_TEAM, current_generation, forget_kept_figures
from app.once import lock
from app.plans.models import Milestone, MilestoneStatus, Plan
from app.teamshares import kept_by_team, team_tokens
from tests.conftest import shipped_curriculum


def _rep_in(team: Team | None, make_rep, day_of_ramp: int = 40, coach: User | None = None):
    rep = make_rep(day_of_ramp=day_of_ramp, coach=coach)
    rep.team = team
    db.session.commit()
    return rep


def _first_milestone(rep: User) -> Milestone:
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    return min(plan.milestones, key=lambda milestone: milestone.due_day)


def _tick(rep: User) -> None:
    milestone = _first_milestone(rep)
    milestone.status = MilestoneStatus.DONE
    milestone.completed_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.commit()


def _moved(before, after) -> set[int]:
    """The teams whose token changed."""
    teams = set(before.teams) | set(after.teams)
    return {team for team in teams if before.teams.get(team) != after.teams.get(team)}


def test_ticking_a_milestone_raises_the_reps_team_only(make_team, make_rep):
    north, south = make_team("North"), make_team("South")
    rep = _rep_in(north, make_rep)
    _rep_in(south, make_rep)
    before, writes = team_tokens(), current_generation().writes

    _tick(rep)

    after = team_tokens()
    assert _moved(before, after) == {north.id}
    assert after.broad == before.broad
    assert current_generation().writes == writes + 1


def test_a_rep_moved_raises_the_team_left_and_the_team_joined(make_team, make_rep):
    north, south = make_team("North"), make_team("South")
    rep = _rep_in(north, make_rep)
    loner = _rep_in(None, make_rep)
    before = team_tokens()

    rep.team = south
    db.session.commit()
    moved_once = team_tokens()
    loner.team = north
    db.session.commit()

    assert _moved(before, moved_once) == {north.id, south.id}
    assert _moved(moved_once, team_tokens()) == {NO_TEAM, north.id}


def test_a_rep_moved_by_team_id_raises_the_team_left_though_it_was_not_loaded(make_team, make_rep):
    north, south = make_team("North"), make_team("South")
    rep = _rep_in(north, make_rep)  # committed: every attribute expired
    before = team_tokens()

    rep.team_id = south.id  # as the admin's edit sets it
    db.session.commit()

    assert _moved(before, team_tokens()) == {north.id, south.id}


def test_a_certification_raises_the_reps_team(make_team, make_rep, make_user):
    north, south = make_team("North"), make_team("South")
    coach = make_user(Role.COACH)
    rep = _rep_in(north, make_rep, coach=coach)
    _rep_in(south, make_rep)
    rubric = shipped_curriculum().rubric("discovery")
    entry = AssessmentEntry(
        scores={criterion.key: 3 for criterion in rubric.criteria},
        evidence_kind=rubric.evidence.kinds[0],
        assessed_on=datetime.now(UTC).date(),
    )
    before = team_tokens()

    submit_assessment(coach, rep, "discovery", entry, datetime.now(UTC).date())
    db.session.commit()

    assert _moved(before, team_tokens()) == {north.id}


def test_what_cannot_be_placed_in_teams_raises_the_broad_token(make_team, make_rep):
    north = make_team("North")
    _rep_in(north, make_rep)
    before = team_tokens()

    db.session.execute(update(Milestone).values(due_day=Milestone.due_day + 0))  # Core
    db.session.commit()
    after_core = team_tokens()
    organisation = db.session.scalar(select(Organisation))
    if organisation is None:
        organisation = Organisation(name="Org")
        db.session.add(organisation)
    organisation.name = "Renamed"  # a model no feature placed in teams
    db.session.commit()

    assert after_core.broad != before.broad
    assert team_tokens().broad != after_core.broad


def test_locking_a_row_writes_nothing(make_rep):
    rep = make_rep(day_of_ramp=40)
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    before = current_generation()

    lock(plan, Plan.id)
    db.session.commit()

    assert current_generation() == before


def test_kept_by_team_works_out_again_only_the_teams_written_to(app, make_team, make_rep):
    north, south = make_team("North"), make_team("South")
    rep = _rep_in(north, make_rep)
    asked: list[list[int]] = []

    def compute(teams: list[int]) -> dict[int, str]:
        asked.append(sorted(teams))
        return {team: f"share of {team}" for team in teams}

    teams = [north.id, south.id]
    first = kept_by_team("test", 1, teams, compute)
    again = kept_by_team("test", 1, teams, compute)
    db.session.commit()
    _tick(rep)
    after_write = kept_by_team("test", 1, teams, compute)

    assert (
        first
        == again
        == after_write
        == {north.id: f"share of {north.id}", south.id: f"share of {south.id}"}
    )
    assert asked == [sorted(teams), [north.id]]


@pytest.mark.parametrize("by_team", [False, True], ids=["rows by rep", "rows by team"])
def test_the_dashboard_kept_per_team_says_what_it_says_afresh(
    by_team, monkeypatch, make_team, make_rep, make_user
):
    if by_team:
        monkeypatch.setattr(ramp, "HEATMAP_MAX_REPS", 0)
    hr = make_user(Role.HR)
    north, south, west = make_team("North"), make_team("South"), make_team("West")
    coach = make_user(Role.COACH)
    reps = [
        _rep_in(team, make_rep, day_of_ramp=day, coach=coach)
        for team, day in [(north, 40), (north, 70), (south, 30), (west, 50), (None, 45)]
    ]
    now = datetime.now(UTC)

    def dashboards() -> tuple[service.RampDashboard, service.RampDashboard]:
        kept = service.ramp_dashboard(hr, service.Filters(), now)
        db.session.commit()
        forget_kept_figures()
        fresh = service.ramp_dashboard(hr, service.Filters(), now)
        db.session.commit()
        return kept, fresh

    writes = [
        lambda: _tick(reps[0]),
        lambda: setattr(reps[2], "team", north),  # moved
        lambda: setattr(south, "name", "Southern"),  # renamed
        lambda: setattr(reps[3], "active", False),  # left
        lambda: setattr(_first_milestone(reps[4]), "due_date", now.date() + timedelta(days=5)),
        lambda: setattr(reps[4], "team", west),  # given a team
    ]
    service.ramp_dashboard(hr, service.Filters(), now)  # every team's share kept
    db.session.commit()
    for write in writes:
        write()
        db.session.commit()
        kept, fresh = dashboards()
        assert kept == fresh
