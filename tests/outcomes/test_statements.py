"""A rep's numbers page asks statements built once, not built again on every view."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date

from app.accounts.models import User
from app.outcomes.service import gathering
from app.outcomes.service.numbers import rep_numbers


def _kept(reps: object) -> dict[object, int]:
    return {key: id(statement) for key, statement in gathering._DERIVED[reps].items()}


def test_the_second_reps_numbers_are_asked_with_the_statements_built_for_the_first(
    make_rep: Callable[..., User],
) -> None:
    first, second = make_rep(day_of_ramp=40), make_rep(day_of_ramp=70)
    today = date.today()
    assert rep_numbers(first, first, today).outcome.rep_id == first.id
    kept = _kept(gathering.one_rep_query())
    assert rep_numbers(second, second, today).outcome.rep_id == second.id
    assert _kept(gathering.one_rep_query()) == kept


def test_statements_derived_from_queries_built_per_view_do_not_pile_up(
    make_rep: Callable[..., User],
) -> None:
    """A query built on every view (the outcomes page's) keeps its derived statements only as
    long as something holds it: at most the first of the same shape, in SQLAlchemy's cache."""
    rep = make_rep(day_of_ramp=40)

    def view() -> list[int]:
        reps = gathering.reps_query(None, gathering.RepFilters())
        return [found.rep_id for found in gathering.gather(reps, date.today())]

    assert view() == [rep.id]
    gc.collect()
    after_one = len(gathering._DERIVED)
    for _ in range(3):
        assert view() == [rep.id]
    gc.collect()
    assert len(gathering._DERIVED) == after_one
