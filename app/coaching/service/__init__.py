"""Coaching services: debriefs, commitments and their follow-through, notifications, progress.

Who may do what (enforced here, whatever the pages show):

* a rep sees their own debriefs, answers the reflection questions, acknowledges a recorded
  debrief and adds a follow-up; nobody else does those for them;
* the rep's coach, or an admin, opens and records debriefs and reviews commitments;
* HR and admins read everyone's debriefs; a coach reads their own reps'.

Modules: ``access`` (the rules above), ``debriefs`` (recording and reading), ``commitments``
(follow-through), ``progress`` (repeated gaps, trends,
one-on-one preparation). The in-app notifications are re-exported from ``app.notifications``.
"""

from app.coaching.service.access import (
    can_answer_debrief,
    can_ask_for_debrief,
    can_coach,
    require_answer_debrief,
    require_ask_for_debrief,
    require_coach,
    require_view_commitment,
    require_view_debrief,
)
from app.coaching.service.commitments import (
    OpenCommitment,
    commitments_of,
    commitments_of_reps,
    criterion_name,
    get_commitment,
    open_commitments,
    review_commitment,
)
from app.coaching.service.debriefs import (
    MAX_COMMITMENTS,
    CommitmentEntry,
    DebriefRecord,
    DebriefSetup,
    acknowledge,
    add_follow_up,
    answer_reflection,
    check_commitment,
    create_debrief,
    current_scenarios,
    debrief_link,
    debriefs_of,
    debriefs_page,
    get_debrief,
    hold_acknowledgement_when,
    record_debrief,
    rubric_of,
    scenario_spec,
    start_debrief,
)
from app.coaching.service.progress import (
    OneOnOnePrep,
    RepProgress,
    one_on_one_prep,
    progress_of,
    repeated_gaps_of,
    scored_sessions,
)
from app.notifications.service import (
    UNREAD_COUNT,
    mark_all_read,
    mark_read,
    notifications_of,
    notifications_page,
    notify,
    open_notification,
    unread_count,
)

__all__ = [
    "MAX_COMMITMENTS",
    "UNREAD_COUNT",
    "CommitmentEntry",
    "DebriefRecord",
    "DebriefSetup",
    "OneOnOnePrep",
    "OpenCommitment",
    "RepProgress",
    "acknowledge",
    "add_follow_up",
    "answer_reflection",
    "can_answer_debrief",
    "can_ask_for_debrief",
    "can_coach",
    "check_commitment",
    "commitments_of",
    "commitments_of_reps",
    "create_debrief",
    "criterion_name",
    "current_scenarios",
    "debrief_link",
    "debriefs_of",
    "debriefs_page",
    "get_commitment",
    "get_debrief",
    "hold_acknowledgement_when",
    "mark_all_read",
    "mark_read",
    "notifications_of",
    "notifications_page",
    "notify",
    "one_on_one_prep",
    "open_commitments",
    "open_notification",
    "progress_of",
    "record_debrief",
    "repeated_gaps_of",
    "require_answer_debrief",
    "require_ask_for_debrief",
    "require_coach",
    "require_view_commitment",
    "require_view_debrief",
    "review_commitment",
    "rubric_of",
    "scenario_spec",
    "scored_sessions",
    "start_debrief",
    "unread_count",
]
