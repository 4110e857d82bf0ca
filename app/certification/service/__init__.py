"""Certification services: assessing reps against rubrics, deciding attempts, correcting scores.

Who may do what (enforced here, whatever the pages show):

* a rep sees their own certifications and self-assesses (when the rubric allows it);
* the rep's coach, or an admin, assesses the rep; an assessor invited to an attempt assesses
  that attempt; nobody assesses themselves;
* HR and admins see everyone's certifications, a coach sees their own reps';
* an assessor's scores stay hidden from other assessors of the same open attempt until those
  have submitted their own (blind scoring), and from the rep until the attempt is decided.

The package's modules: ``access`` (the rules above), ``rubrics`` (versions), ``records``
(reading), ``assessing`` (scoring, deciding, corrections), ``matrix`` (the team matrix, pass
rates, what is due), ``oversight`` (calibration), ``certificate`` (its values, and its PDF
rendered once and kept), ``scheduling`` (assessments booked ahead: scheduled, moved,
cancelled, held). Callers use the names re-exported here.
"""

from app.certification.service.access import (
    can_assess,
    can_be_second_assessor,
    can_view_attempt,
    require_assess,
    require_correct_score,
    require_view_attempt,
    second_assessor_condition,
)
from app.certification.service.assessing import (
    AssessmentEntry,
    assessment_rubric,
    comment_field,
    score_field,
    self_assessment_rubric,
    submit_assessment,
    submit_self_assessment,
)
from app.certification.service.certificate import (
    certificate_context,
    certificate_pdf,
    forget_certificate,
)
from app.certification.service.corrections import correct_score, get_score
from app.certification.service.matrix import (
    DUE_WINDOW_DAYS,
    UPCOMING_SHOWN,
    MatrixFilters,
    StagePassRate,
    TeamCertifications,
    Upcoming,
    reading_of,
    team_certifications,
    upcoming_of,
    visible_reps,
)
from app.certification.service.oversight import CalibrationReport, calibration_report
from app.certification.service.records import (
    Certification,
    CertificationActions,
    actions_on,
    already_assessed_by,
    attempt_link,
    attempts_of,
    certification_of,
    certifications_of,
    facts,
    final_scores,
    get_attempt,
    second_assessor_choices,
    visible_assessments,
    waiting_for,
)
from app.certification.service.rubrics import (
    current_rubric,
    current_rubrics,
    rubric_for,
    rubric_spec,
)
from app.certification.service.scheduling import (
    MAX_MINUTES,
    MIN_MINUTES,
    Slot,
    bookings_of,
    can_change,
    cancel,
    describe_when,
    get_booking,
    mark_held,
    reschedule,
    schedule,
    schedule_link,
    upcoming_for_assessors,
)
from app.certification.service.standings import refresh_standings, standings_query

__all__ = [
    "DUE_WINDOW_DAYS",
    "MAX_MINUTES",
    "MIN_MINUTES",
    "UPCOMING_SHOWN",
    "AssessmentEntry",
    "CalibrationReport",
    "Certification",
    "CertificationActions",
    "MatrixFilters",
    "Slot",
    "StagePassRate",
    "TeamCertifications",
    "Upcoming",
    "actions_on",
    "already_assessed_by",
    "assessment_rubric",
    "attempt_link",
    "attempts_of",
    "bookings_of",
    "calibration_report",
    "can_assess",
    "can_be_second_assessor",
    "can_change",
    "can_view_attempt",
    "cancel",
    "certificate_context",
    "certificate_pdf",
    "certification_of",
    "certifications_of",
    "comment_field",
    "correct_score",
    "current_rubric",
    "current_rubrics",
    "describe_when",
    "facts",
    "final_scores",
    "forget_certificate",
    "get_attempt",
    "get_booking",
    "get_score",
    "in_zone",
    "mark_held",
    "reading_of",
    "refresh_standings",
    "require_assess",
    "require_correct_score",
    "require_view_attempt",
    "reschedule",
    "rubric_for",
    "rubric_spec",
    "schedule",
    "schedule_link",
    "score_field",
    "second_assessor_choices",
    "second_assessor_condition",
    "self_assessment_rubric",
    "standings_query",
    "submit_assessment",
    "submit_self_assessment",
    "team_certifications",
    "upcoming_for_assessors",
    "upcoming_of",
    "visible_assessments",
    "visible_reps",
    "waiting_for",
]
