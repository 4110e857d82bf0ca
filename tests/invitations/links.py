"""Reading invitation links the way a person does: from the email that was queued."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from app.extensions import db
from app.mail import OutboundMail


def invitation_mails(email: str) -> list[OutboundMail]:
    query = (
        select(OutboundMail)
        .where(OutboundMail.to_address == email, OutboundMail.template == "invitation")
        .order_by(OutboundMail.id)
    )
    return list(db.session.scalars(query))


def latest_link(email: str) -> str:
    """The path of the link in the latest invitation email to ``email``."""
    mails = invitation_mails(email)
    assert mails, f"no invitation email to {email}"
    return urlsplit(mails[-1].link).path


def token_of(path: str) -> str:
    return path.rsplit("/", 1)[-1]
