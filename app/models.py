"""Every feature's models in one import, so the metadata and Alembic see all tables."""

from app.accounts.models import Organisation, Team, User, UserRole
from app.curriculum.models import PlanTemplate, Stage
from app.plans.models import Milestone, MilestoneEvent, Plan

__all__ = [
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
