"""The outcomes page's lines and the drivers page's ramps kept per team
(app/outcomes/service/teamlines.py, teamramps.py): after a write, only the teams written to are
read again, and the pages say what they say worked out afresh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from app.accounts.models import Role, Team, User
from app.extensions import db
from app.generation import NO_TEAM, forget_kept_figures
from app.outcomes import service
from app.outcomes.service import teamlines, teamramps
from app.outcomes.service.drivers import plan_drivers
from app.pagination import PageRequest
from app.plans.models import MilestoneStatus, Plan
from tests.outcomes.conftest import funnel_source, import_reps_days


@pytest.fixture
def teams(
    make_team: Callable[..., Team], make_rep: Callable[..., User]
) -> tuple[Team, Team, list[User]]:
    """North and South with two reps each and a rep with no team, all with figures."""
    north, south = make_team("North"), make_team("South")
    reps = [make_rep(day_of_ramp=day) for day in (40, 95, 140, 200, 70)]
    for rep, team in zip(reps, (north, north, south, south, None), strict=True):
        rep.team = team
    db.session.commit()
    figures = {"meetings_booked": 9, "opportunities": 2, "deals_won": 1}
    import_reps_days(funnel_source(), [(rep, [(3, figures), (33, figures)]) for rep in reps])
    return north, south, reps


def _tick(rep: User) -> None:
    plan = db.session.scalar(select(Plan).where(Plan.rep_id == rep.id))
    assert plan is not None
    milestone = min(plan.milestones, key=lambda m: m.due_day)
    milestone.status = MilestoneStatus.DONE
    milestone.completed_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.commit()


def _page(hr: User, sort: str = "team") -> service.OutcomesPage:
    request = PageRequest(sort=sort, descending=False, number=1, per_page=50)
    return service.outcomes_page(hr, service.RepFilters(), request, date.today())


def _afresh(hr: User, sort: str = "team") -> service.OutcomesPage:
    forget_kept_figures()
    return _page(hr, sort)


def _teams_asked(monkeypatch: pytest.MonkeyPatch, module: object, reader: str) -> list[list[int]]:
    """The teams each call of ``module``'s ``reader`` (bound as ``teams``) is asked for."""
    asked: list[list[int]] = []
    read = getattr(module, reader)

    def recording(*args: Any, **kwargs: Any) -> Any:
        params = kwargs.get("params") or args[3]
        asked.append(sorted(params["teams"]))
        return read(*args, **kwargs)

    monkeypatch.setattr(module, reader, recording)
    return asked


def test_after_a_write_only_that_teams_lines_are_read_again(
    teams, make_user, monkeypatch: pytest.MonkeyPatch
):
    north, south, reps = teams
    hr = make_user(Role.HR)
    asked = _teams_asked(monkeypatch, teamlines, "judged_lines")
    forget_kept_figures()
    first = _page(hr)
    again = _page(hr)
    _tick(reps[0])
    after_a_write = _page(hr)

    assert asked == [sorted([north.id, south.id, NO_TEAM]), [north.id]]
    assert first == again
    assert after_a_write.page.items == _afresh(hr).page.items


@pytest.mark.parametrize("sort", ["team", "name", "start", "score"])
def test_the_page_kept_per_team_equals_the_page_worked_out_afresh_after_each_write(
    teams, make_user, sort: str
):
    north, south, reps = teams
    hr = make_user(Role.HR)
    forget_kept_figures()
    writes: list[Callable[[], None]] = [
        lambda: _tick(reps[2]),
        lambda: setattr(north, "name", "North East"),  # a team renamed
        lambda: setattr(reps[1], "team", south),  # a rep moved
        lambda: setattr(reps[4], "team", north),  # a rep with no team given one
        lambda: setattr(reps[3], "active", False),  # a rep leaving
    ]
    for write in writes:
        _page(hr, sort)  # the shares kept before the write
        write()
        db.session.commit()
        kept = _page(hr, sort)
        afresh = _afresh(hr, sort)
        assert kept.page.items == afresh.page.items
        assert (kept.total, kept.ramped, kept.cohorts) == (
            afresh.total,
            afresh.ramped,
            afresh.cohorts,
        )
        assert kept.curves == afresh.curves and kept.attainment == afresh.attainment
    assert [row.team for row in _page(hr, "name").page.items].count("North East") == 2


def test_a_team_filter_reads_that_team_only(teams, make_user):
    north, _south, reps = teams
    hr = make_user(Role.HR)
    page = service.outcomes_page(
        hr, service.RepFilters(team_id=north.id), PageRequest(), date.today()
    )
    assert {row.rep_id for row in page.page.items} == {reps[0].id, reps[1].id}


def test_the_drivers_page_reads_again_only_the_teams_written_to(
    teams, make_user, monkeypatch: pytest.MonkeyPatch
):
    north, south, reps = teams
    hr = make_user(Role.HR)
    asked = _teams_asked(monkeypatch, teamramps, "fingerprinted_ramps_by")
    forget_kept_figures()
    first = plan_drivers(hr, service.RepFilters(), date.today())
    _tick(reps[2])
    after_a_write = plan_drivers(hr, service.RepFilters(), date.today())
    reps[0].team = south  # a move: both teams read again
    db.session.commit()
    after_a_move = plan_drivers(hr, service.RepFilters(), date.today())
    forget_kept_figures()
    afresh = plan_drivers(hr, service.RepFilters(), date.today())

    assert asked[:3] == [sorted([north.id, south.id, NO_TEAM]), [south.id], [north.id, south.id]]
    assert after_a_move == afresh
    assert first.reps == after_a_write.reps == afresh.reps == len(reps)
    assert first.ramped == after_a_write.ramped == afresh.ramped > 0
