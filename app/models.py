"""Every feature's models in one import, so the metadata and Alembic see all tables."""

from app.accounts.models import Organisation, Team, User, UserRole
from app.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementExport,
    AgreementSignature,
    AgreementTemplate,
)
from app.certification.models import Assessment, CertificationAttempt, Score, ScoreCorrection
from app.curriculum.models import PlanTemplate, RubricTemplate, Stage
from app.plans.models import Milestone, MilestoneEvent, Plan

__all__ = [
    "Agreement",
    "AgreementEvent",
    "AgreementExport",
    "AgreementSignature",
    "AgreementTemplate",
    "Assessment",
    "CertificationAttempt",
    "Milestone",
    "MilestoneEvent",
    "Organisation",
    "Plan",
    "PlanTemplate",
    "RubricTemplate",
    "Score",
    "ScoreCorrection",
    "Stage",
    "Team",
    "User",
    "UserRole",
]
