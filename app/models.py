"""Every feature's models in one import, so the metadata and Alembic see all tables."""

from app.accounts.models import Organisation, Team, User, UserRole
from app.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementExport,
    AgreementSignature,
    AgreementTemplate,
)
from app.curriculum.models import PlanTemplate, Stage
from app.plans.models import Milestone, MilestoneEvent, Plan

__all__ = [
    "Agreement",
    "AgreementEvent",
    "AgreementExport",
    "AgreementSignature",
    "AgreementTemplate",
    "Milestone",
    "MilestoneEvent",
    "Organisation",
    "Plan",
    "PlanTemplate",
    "Stage",
    "Team",
    "User",
    "UserRole",
]
