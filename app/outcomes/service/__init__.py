"""Ramp outcomes and readiness: reading the figures, plans and commitments of many reps.

Modules: ``definition`` (the current ``outcomes.yaml`` and who may see outcomes), ``gathering``
(aggregates of many reps in a fixed number of queries), ``judging`` (one rep's outcomes and
score from them), ``listing`` (the outcomes page and ``outcome_rows`` for exports) and
``numbers`` (a rep's own numbers).
"""

from app.outcomes.service import stamps  # noqa: F401 (its hooks keep the judgements valid)
from app.outcomes.service.definition import (
    Definition,
    can_see_outcomes,
    current_definition,
    require_see_outcomes,
)
from app.outcomes.service.gathering import FIRSTS, RepFilters
from app.outcomes.service.judging import OutcomeRow
from app.outcomes.service.listing import (
    OUTCOME_SORTS,
    AttainmentLine,
    OutcomesPage,
    outcome_rows,
    outcomes_page,
)
from app.outcomes.service.numbers import CONVERSIONS, MIN_PEERS, RepNumbers, rep_numbers

__all__ = [
    "CONVERSIONS",
    "FIRSTS",
    "MIN_PEERS",
    "OUTCOME_SORTS",
    "AttainmentLine",
    "Definition",
    "OutcomeRow",
    "OutcomesPage",
    "RepFilters",
    "RepNumbers",
    "can_see_outcomes",
    "current_definition",
    "outcome_rows",
    "outcomes_page",
    "rep_numbers",
    "require_see_outcomes",
]
