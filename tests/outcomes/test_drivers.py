"""Which parts of the plan go with faster ramps: the service, the page, its export and the
dashboard's ramp outcomes, through services and the test client."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics.models import ActivitySource
from app.outcomes import service
from app.outcomes.service.drivers import plan_drivers
from app.plans.models import Milestone, MilestoneStatus, Plan
from tests.exports.helpers import finished_file
from tests.outcomes.conftest import import_reps_days

SETUP = "SDR:crm-sequencing-setup"  # the SDR plan's first milestone, due in week one
FAST = [(10, {"meetings_booked": 3}), (40, {"meetings_booked": 6})]  # ramped on day 60
SLOW = [(70, {"meetings_booked": 8}), (95, {"meetings_booked": 9})]  # ramped on day 120


def _milestone(rep: User, key: str) -> Milestone:
    found = db.session.scalar(
        select(Milestone).join(Plan).where(Plan.rep_id == rep.id, Milestone.key == key)
    )
    assert found is not None
    return found


def _world(
    make_rep: Callable[..., User],
    source: ActivitySource,
    coach: User,
    on_time: int,
    late: int,
) -> list[User]:
    """``on_time`` reps did the setup milestone on its due date and ramped on day 60; ``late``
    reps never did it and ramped on day 120."""
    reps = []
    for number in range(on_time + late):
        rep = make_rep(day_of_ramp=130, coach=coach, name=f"Driver Rep {number:02d}")
        if number < on_time:
            milestone = _milestone(rep, "crm-sequencing-setup")
            milestone.status = MilestoneStatus.DONE
            milestone.completed_at = datetime.combine(milestone.due_date, time(16))
            db.session.commit()
        reps.append(rep)
    import_reps_days(
        source, [(rep, FAST if number < on_time else SLOW) for number, rep in enumerate(reps)]
    )
    return reps


World = Callable[[int, int], tuple[User, FlaskClient]]


@pytest.fixture
def signed_in_world(
    make_rep: Callable[..., User],
    make_user: Callable[..., User],
    source: ActivitySource,
    login: Callable[[User], FlaskClient],
) -> World:
    """``signed_in_world(on_time, late)``: a coach with that world of reps, signed in."""

    def build(on_time: int, late: int) -> tuple[User, FlaskClient]:
        coach = make_user(Role.COACH)
        _world(make_rep, source, coach, on_time=on_time, late=late)
        return coach, login(coach)

    return build


def test_the_on_time_reps_ramp_time_against_the_others(
    make_rep: Callable[..., User], make_user: Callable[..., User], source: ActivitySource
) -> None:
    coach = make_user(Role.COACH)
    _world(make_rep, source, coach, on_time=5, late=5)
    found = plan_drivers(coach, service.RepFilters(), date.today())
    setup = next(c for c in found.comparisons if c.key == SETUP)
    assert setup.enough and found.minimum == 5
    assert (setup.on_time.reps, setup.on_time.median_days) == (5, 60)
    assert (setup.late.reps, setup.late.median_days) == (5, 120)
    assert setup.days_faster == 60
    # The certification stages nobody passed: everyone is in one group, so no figure.
    prospecting = next(c for c in found.comparisons if c.key == "prospecting")
    assert prospecting.kind == "certification" and not prospecting.enough
    assert prospecting.on_time.median_days is None
    assert found.comparisons[0].key == SETUP  # the comparable ones first


def test_too_few_reps_in_a_group_says_not_enough_reps_and_warns_of_correlation(
    signed_in_world: World,
) -> None:
    _coach, client = signed_in_world(4, 5)
    page = client.get("/outcomes/drivers")
    assert page.status_code == 200
    assert "A correlation, not a cause." in page.text
    assert "Not enough reps" in page.text
    assert "at least <strong>5 reps who have ramped</strong>" in page.text
    assert '<svg class="chart"' not in page.text  # nothing comparable to draw


def test_the_page_draws_and_tables_the_comparable_parts_for_the_coachs_reps_only(
    signed_in_world: World, make_rep: Callable[..., User]
) -> None:
    _coach, client = signed_in_world(5, 5)
    other = make_rep(day_of_ramp=130, name="Not Theirs")
    page = client.get("/outcomes/drivers?sort=-difference")
    assert page.status_code == 200
    assert '<title id="drivers-title">' in page.text
    row = page.text.split(f'data-part="milestone:{SETUP}"')[1].split("</tr>")[0]
    assert "5 (5)" in row and ">60.0<" in row and ">120.0<" in row
    assert other.full_name not in page.text


def test_reps_may_not_see_the_drivers_page_or_its_export(
    make_rep: Callable[..., User], login: Callable[[User], FlaskClient]
) -> None:
    client = login(make_rep())
    assert client.get("/outcomes/drivers").status_code == 403
    assert client.get("/exports/plan-drivers.csv").status_code == 403
    assert client.get("/exports/ramp-outcomes.xlsx").status_code == 403
    assert client.post("/exports/plan-drivers.csv/start").status_code == 403
    assert client.post("/exports/ramp-outcomes.xlsx/start").status_code == 403


def test_the_exports_say_what_the_pages_say(signed_in_world: World) -> None:
    coach, client = signed_in_world(5, 5)
    reps = list(db.session.scalars(select(User).where(User.coach_id == coach.id)))
    drivers = finished_file(client, "/exports/plan-drivers.csv", sort="part")
    lines = list(csv.DictReader(io.StringIO(drivers.text.lstrip("\ufeff"))))
    setup = next(line for line in lines if line["Milestone or certification"].startswith("Set up"))
    assert (setup["On time: median days to ramp"], setup["Days sooner on time"]) == ("60.0", "60.0")
    assert any(line["Note"] == "Not enough reps" for line in lines)

    outcomes = finished_file(client, "/exports/ramp-outcomes.csv", sort="name", role="SDR")
    rows = list(csv.DictReader(io.StringIO(outcomes.text.lstrip("\ufeff"))))
    assert [row["Rep"] for row in rows] == sorted(rep.full_name for rep in reps)
    first = rows[0]
    assert (first["Role"], first["Days to ramp"], first["Days to first meeting"]) == (
        "SDR",
        "60",
        "",
    )
    assert first["Ramped on"] and first["Started"]
    assert (
        finished_file(client, "/exports/ramp-outcomes.xlsx")
        .headers["Content-Type"]
        .startswith("application/vnd.openxmlformats")
    )


def test_the_dashboard_shows_the_share_ramped_by_day_and_the_median(signed_in_world: World) -> None:
    _coach, client = signed_in_world(2, 2)
    page = client.get("/dashboard")
    assert page.status_code == 200
    table = page.text.split('id="outcomes-table"')[1].split("</table>")[0]
    cells = [cell.split("<")[0].strip() for cell in table.split('<td class="text-end">')[1:]]
    # Day 30, 60, 90 and 180 (nobody is that far yet), then the median of 60, 60, 120, 120.
    assert cells == ["0%", "50%", "50%", "—", "90.0"]
    assert "(nobody on day 180 yet)" in table
    assert 'href="/outcomes/' in page.text


def test_a_cohort_filter_keeps_its_reps_and_still_offers_every_cohort(
    make_rep: Callable[..., User], make_user: Callable[..., User]
) -> None:
    coach = make_user(Role.COACH)
    make_rep(day_of_ramp=130, coach=coach)
    make_rep(day_of_ramp=10, coach=coach)
    everyone = plan_drivers(coach, service.RepFilters(), date.today())
    assert len(everyone.cohorts) == 2 and everyone.reps == 2
    newest = everyone.cohorts[0]
    chosen = plan_drivers(coach, service.RepFilters(cohort=newest), date.today())
    assert chosen.reps == 1 and chosen.cohorts == everyone.cohorts
