"""The drivers page's kept counts: read again only for the very reps they counted (same ids,
stamps, starts and roles), counted afresh after any write to one of them or when a rep joins
or leaves the set, and always equal to a count made from the facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time

from sqlalchemy import delete, func, select

from app.accounts.models import Role, Team, User
from app.extensions import db
from app.generation import forget_kept_figures
from app.metrics.models import ActivitySource
from app.outcomes import service
from app.outcomes.models import OutcomeDriverCount
from app.outcomes.service.drivers import PlanDrivers, plan_drivers
from app.plans.models import MilestoneStatus
from tests.outcomes.test_drivers import _milestone, _world
from tests.querycount import counting_queries

EVERYONE = service.RepFilters()


def _kept() -> int:
    return db.session.scalar(select(func.count()).select_from(OutcomeDriverCount)) or 0


def _counted_afresh(actor: User, filters: service.RepFilters) -> PlanDrivers:
    """The page as counted from the facts, nothing kept read (and the kept counts dropped)."""
    db.session.execute(delete(OutcomeDriverCount))
    return plan_drivers(actor, filters, date.today())


def _facts_counted(statements: list[str]) -> bool:
    return any("FROM outcome_milestone_facts" in statement for statement in statements)


def test_a_kept_count_is_read_again_for_the_same_reps_and_equals_a_count(
    make_rep: Callable[..., User], make_user: Callable[..., User], source: ActivitySource
) -> None:
    hr, coach = make_user(Role.HR), make_user(Role.COACH)
    _world(make_rep, source, coach, on_time=5, late=5)
    first = plan_drivers(hr, EVERYONE, date.today())
    assert _kept() == 1
    with counting_queries() as statements:
        again = plan_drivers(hr, EVERYONE, date.today())
    assert not _facts_counted(statements)
    assert again == first == _counted_afresh(hr, EVERYONE)
    # A coach's reps and a filter are other sets of reps: each has its own count.
    plan_drivers(coach, EVERYONE, date.today())
    plan_drivers(hr, replace(EVERYONE, role="SDR"), date.today())
    assert _kept() == 3


def test_a_write_or_a_rep_joining_or_leaving_counts_afresh(
    make_rep: Callable[..., User], make_user: Callable[..., User], source: ActivitySource
) -> None:
    hr, coach = make_user(Role.HR), make_user(Role.COACH)
    reps = _world(make_rep, source, coach, on_time=5, late=5)
    here, elsewhere = Team(name="Here"), Team(name="Elsewhere")
    db.session.add_all([here, elsewhere])
    db.session.flush()
    for rep in reps:
        rep.team_id = here.id
    db.session.commit()
    in_team = replace(EVERYONE, team_id=here.id)

    def late_rep_on_time() -> None:  # a milestone reported: the rep's stamp moves on
        milestone = _milestone(reps[-1], "crm-sequencing-setup")
        milestone.status = MilestoneStatus.DONE
        milestone.completed_at = datetime.combine(milestone.due_date, time(9))

    def deactivated() -> None:
        reps[0].active = False

    def moved() -> None:  # leaves the team's set, no write to their outcomes
        reps[1].team_id = elsewhere.id

    def joined() -> None:
        make_rep(day_of_ramp=130, coach=coach, name="Driver Rep New").team_id = here.id

    changes: list[tuple[Callable[[], None], list[service.RepFilters]]] = [
        (late_rep_on_time, [EVERYONE, in_team]),
        (deactivated, [EVERYONE, in_team]),
        (moved, [in_team]),
        (joined, [EVERYONE, in_team]),
    ]
    for change, changed in changes:
        for filters in (EVERYONE, in_team):
            plan_drivers(hr, filters, date.today())
        change()
        db.session.commit()
        for filters in (EVERYONE, in_team):
            with counting_queries() as statements:
                now = plan_drivers(hr, filters, date.today())
            assert _facts_counted(statements) is (filters in changed), change.__name__
            assert now == _counted_afresh(hr, filters), change.__name__
            # The afresh count and the judgements stored with it are rolled back: so are the
            # shares this process kept while reading them (else the next read of a team
            # would judge afresh the reps whose judgements were rolled back).
            db.session.rollback()
            forget_kept_figures()
