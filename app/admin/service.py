"""The admin's Outbox: every email the app queued, what became of it, and retrying a failure.

``app.mail`` knows nothing of people or roles (it is core); the admin's right is checked here.
"""

from __future__ import annotations

from app.accounts.access import require_role
from app.accounts.models import Role, User
from app.lookup import get_or_not_found
from app.mail import MailStatus, OutboundMail, outbox_page, retry
from app.pagination import Page, PageRequest


def outbox(actor: User, request: PageRequest, status: MailStatus | None) -> Page[OutboundMail]:
    """Messages newest first (only those with ``status`` when given)."""
    require_role(actor, Role.ADMIN)
    return outbox_page(request, status)


def outbound_mail(actor: User, mail_id: int) -> OutboundMail:
    require_role(actor, Role.ADMIN)
    mail: OutboundMail = get_or_not_found(OutboundMail, mail_id, "No such message.")
    return mail


def retry_mail(actor: User, mail_id: int) -> OutboundMail:
    """Queue a failed message again, once however often the button is pressed."""
    require_role(actor, Role.ADMIN)
    return retry(mail_id)
