"""Every feature's models in one import, so the metadata and Alembic see all tables."""

from app.accounts.models import Organisation, SignIn, Team, User, UserRole
from app.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementExport,
    AgreementSignature,
    AgreementTemplate,
)
from app.calendars.models import CalendarFeed
from app.certification.models import Assessment, CertificationAttempt, Score, ScoreCorrection
from app.coaching.models import Commitment, Debrief, DebriefScore
from app.curriculum.models import PlanTemplate, RubricTemplate, ScenarioTemplate, Stage
from app.escalations.models import Escalation
from app.notifications.models import Notification
from app.once import Submission
from app.plans.models import Milestone, MilestoneEvent, Plan

__all__ = [
    "Agreement",
    "AgreementEvent",
    "AgreementExport",
    "AgreementSignature",
    "AgreementTemplate",
    "Assessment",
    "CalendarFeed",
    "CertificationAttempt",
    "Commitment",
    "Debrief",
    "DebriefScore",
    "Escalation",
    "Milestone",
    "MilestoneEvent",
    "Notification",
    "Organisation",
    "Plan",
    "PlanTemplate",
    "RubricTemplate",
    "ScenarioTemplate",
    "Score",
    "ScoreCorrection",
    "SignIn",
    "Stage",
    "Submission",
    "Team",
    "User",
    "UserRole",
]
