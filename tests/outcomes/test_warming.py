"""The worker judges ahead of the viewers: after its warm-up the outcomes page judges nobody,
for every date it is somewhere the organisation's people live."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.extensions import db
from app.metrics.models import ActivitySource
from app.outcomes import service
from app.outcomes.models import OutcomeJudgement
from app.outcomes.service.warming import days_in_use, warm_judgements
from tests.outcomes.conftest import import_days

NOON_UTC = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def judgements_of(day: date) -> int:
    query = select(func.count()).select_from(OutcomeJudgement).where(OutcomeJudgement.day == day)
    return db.session.scalar(query) or 0


def test_the_warm_up_judges_every_rep_once_and_again_only_after_a_write(
    make_rep: Callable[..., User], make_user: Callable[..., User], source: ActivitySource
) -> None:
    hr = make_user(Role.HR)
    reps = [make_rep(day_of_ramp=60), make_rep(day_of_ramp=100)]
    now = datetime.now(UTC)
    today = date.today()
    assert warm_judgements(now) == 2
    assert warm_judgements(now) == 0  # nothing written since: nobody judged again
    stored = judgements_of(today)
    rows = service.outcome_rows(hr, service.RepFilters(), today)
    assert judgements_of(today) == stored  # the page read them, it judged nobody
    assert {row.rep_id for row in rows} == {rep.id for rep in reps}
    import_days(source, reps[0], [(30, {"meetings_held": 2})])
    assert warm_judgements(now) == 1  # only the rep whose figures changed


def test_the_warm_up_judges_for_each_date_in_use_around_midnight(
    make_rep: Callable[..., User], make_user: Callable[..., User]
) -> None:
    make_user(Role.HR, timezone="Pacific/Kiritimati")  # UTC+14: already 1 December
    make_rep(day_of_ramp=40).timezone = "Pacific/Pago_Pago"  # UTC-11: 30 November, 01:00
    db.session.commit()
    assert days_in_use(NOON_UTC) == [date(2026, 11, 30), date(2026, 12, 1)]
    warm_judgements(NOON_UTC)
    assert judgements_of(date(2026, 11, 30)) == 1
    assert judgements_of(date(2026, 12, 1)) == 1
