"""Every feature's models in one import, so the metadata and Alembic see all tables."""

from app.accounts.models import Organisation, PasswordReset, SignIn, Team, User, UserRole
from app.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementExport,
    AgreementSignature,
    AgreementTemplate,
)
from app.api.models import ApiToken
from app.buddies.models import BuddyCheckIn, BuddyCommitment, BuddyLapse, BuddyPairing
from app.calendars.models import CalendarFeed
from app.certification.models import (
    Assessment,
    CertificationAttempt,
    ScheduledAssessment,
    Score,
    ScoreCorrection,
)
from app.coaching.models import Commitment, Debrief, DebriefScore
from app.cohorts.models import CohortUpload
from app.curriculum.models import PlanTemplate, RubricTemplate, ScenarioTemplate, Stage
from app.escalations.models import Escalation
from app.exports.models import TableExport
from app.generation import DataGeneration
from app.invitations.models import Invitation
from app.mail.models import OutboundMail
from app.metrics.models import ActivityFigure, ActivityImport, ActivitySource
from app.notices.models import NoticeEpisode, RepStatusDay
from app.notifications.models import Notification, NotificationPreference
from app.once import Submission
from app.outcomes.models import OutcomeJudgement, OutcomeStamp
from app.plans.models import Milestone, MilestoneEvent, Plan
from app.quests.models import QuestCompletion, TeamLeaderboard
from app.reminders.models import DigestSent
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "ActivityFigure",
    "ActivityImport",
    "ActivitySource",
    "Agreement",
    "AgreementEvent",
    "AgreementExport",
    "AgreementSignature",
    "AgreementTemplate",
    "ApiToken",
    "Assessment",
    "BuddyCheckIn",
    "BuddyCommitment",
    "BuddyLapse",
    "BuddyPairing",
    "CalendarFeed",
    "CertificationAttempt",
    "CohortUpload",
    "Commitment",
    "DataGeneration",
    "Debrief",
    "DebriefScore",
    "DigestSent",
    "Escalation",
    "Invitation",
    "Milestone",
    "MilestoneEvent",
    "NoticeEpisode",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OutboundMail",
    "OutcomeJudgement",
    "OutcomeStamp",
    "PasswordReset",
    "Plan",
    "PlanTemplate",
    "QuestCompletion",
    "RepStatusDay",
    "RubricTemplate",
    "ScenarioTemplate",
    "ScheduledAssessment",
    "Score",
    "ScoreCorrection",
    "SignIn",
    "Stage",
    "Submission",
    "TableExport",
    "Team",
    "TeamLeaderboard",
    "User",
    "UserRole",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
