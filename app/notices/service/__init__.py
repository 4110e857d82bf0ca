"""Written notices: the daily sweep that drafts them (``sweep``) and HR's list (``listing``).

Reviewing, editing, sending, signing, sealing and verifying a notice are the agreements
services': a notice is an agreement of kind ``notice``.
"""

from app.notices.service.listing import (
    SORTS,
    NoticeFilters,
    episode_of_notice,
    notices_page,
    require_see_notices,
)
from app.notices.service.sweep import (
    NOTICE_DRAFTED,
    SweepResult,
    conditions_of,
    covering_agreements,
    notices_link,
    run_sweep,
)

__all__ = [
    "NOTICE_DRAFTED",
    "SORTS",
    "NoticeFilters",
    "SweepResult",
    "conditions_of",
    "covering_agreements",
    "episode_of_notice",
    "notices_link",
    "notices_page",
    "require_see_notices",
    "run_sweep",
]
