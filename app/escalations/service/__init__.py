"""Escalation services: raising overdue items (``raising``) and who sees them (``listing``)."""

from app.escalations.service.listing import (
    HISTORY_SHOWN,
    SORTS,
    EscalationFilters,
    can_see_escalations_of,
    escalations_of,
    escalations_page,
    require_see_escalations,
)
from app.escalations.service.raising import (
    RunResult,
    escalations_link,
    run_escalations,
    thresholds,
)

__all__ = [
    "HISTORY_SHOWN",
    "SORTS",
    "EscalationFilters",
    "RunResult",
    "can_see_escalations_of",
    "escalations_link",
    "escalations_of",
    "escalations_page",
    "require_see_escalations",
    "run_escalations",
    "thresholds",
]
