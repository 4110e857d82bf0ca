"""Every feature's models in one import, so the metadata and Alembic see all tables."""

from app.accounts.models import Organisation, SignIn, Team, User, UserRole
from app.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementExport,
    AgreementSignature,
    AgreementTemplate,
)
from app.certification.models import Assessment, CertificationAttempt, Score, ScoreCorrection
from app.coaching.models import Commitment, Debrief, DebriefScore
from app.curriculum.models import PlanTemplate, RubricTemplate, ScenarioTemplate, Stage
from app.metrics.models import ActivityFigure, ActivityImport, ActivitySource
from app.notifications.models import Notification
from app.once import Submission
from app.plans.models import Milestone, MilestoneEvent, Plan

__all__ = [
    "ActivityFigure",
    "ActivityImport",
    "ActivitySource",
    "Agreement",
    "AgreementEvent",
    "AgreementExport",
    "AgreementSignature",
    "AgreementTemplate",
    "Assessment",
    "CertificationAttempt",
    "Commitment",
    "Debrief",
    "DebriefScore",
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
