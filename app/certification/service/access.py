"""Who may assess, correct and see certifications: the services check these first."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists

from app.accounts.access import can_coach_rep, can_view_person
from app.accounts.models import Role, User, UserRole
from app.certification.models import Assessment, CertificationAttempt, Score
from app.errors import Conflict, NotAllowed


def can_assess(actor: User, rep: User) -> bool:
    """The rep's coach or an admin; never the rep themselves."""
    return can_coach_rep(actor, rep)


def require_assess(actor: User, rep: User) -> None:
    if actor.id == rep.id:
        raise NotAllowed("You cannot assess yourself; use the self-assessment instead.")
    if not can_assess(actor, rep):
        raise NotAllowed("Only the rep's coach, an admin or an invited assessor can assess.")


def can_be_second_assessor(user: User, rep: User, actor: User) -> bool:
    """An active coach or admin other than the rep and the assessor inviting them."""
    return (
        user.is_active
        and user.id not in (rep.id, actor.id)
        and user.has_role(Role.COACH, Role.ADMIN)
    )


def second_assessor_condition(rep: User, actor: User) -> ColumnElement[bool]:
    """:func:`can_be_second_assessor` as a SQL condition on ``User``, to list the candidates
    without loading everyone (a test keeps the two in step)."""
    coach_or_admin = exists().where(
        UserRole.user_id == User.id, UserRole.role.in_((Role.COACH, Role.ADMIN))
    )
    return and_(User.active.is_(True), User.id.not_in((rep.id, actor.id)), coach_or_admin)


def assessment_by(attempt: CertificationAttempt, user: User) -> Assessment | None:
    """The user's assessor assessment of the attempt: what an invited assessor may act on."""
    return next((a for a in attempt.assessor_assessments if a.assessor_id == user.id), None)


def can_view_attempt(actor: User, attempt: CertificationAttempt) -> bool:
    """Whoever may see the rep's records, and an assessor invited to the attempt."""
    return can_view_person(actor, attempt.rep) or assessment_by(attempt, actor) is not None


def require_view_attempt(actor: User, attempt: CertificationAttempt) -> None:
    if not can_view_attempt(actor, attempt):
        raise NotAllowed("You can only see your own certifications or those of reps you coach.")


def require_correct_score(actor: User, score: Score) -> None:
    """The assessor who gave a submitted score, or an admin; self-assessments are not corrected."""
    assessment = score.assessment
    if assessment.is_self:
        raise Conflict("Self-assessments are the rep's own view and are not corrected.")
    if not (assessment.assessor_id == actor.id or actor.has_role(Role.ADMIN)):
        raise NotAllowed("Only the assessor who gave this score, or an admin, can correct it.")
    if actor.id == assessment.attempt.rep_id:
        raise NotAllowed("You cannot correct scores of your own certification.")
    if not assessment.is_submitted:
        raise Conflict("This assessment has not been submitted yet.")
