"""Email: every feature queues messages here; the job worker sends them (SMTP or the outbox).

``app.mail`` is core: it imports no feature package, not even accounts. Callers pass the
address and the name; the organisation's name is read from its table.

A message is two templates, ``templates/mail/<name>.txt`` and ``.html``, extending
``mail/base.txt`` and ``mail/base.html`` and filling the ``body`` block (and ``action``, the
words of the link, "Open it in SalesRamp" by default); they get ``organisation``,
``to_name``, ``to_address``, ``subject``, ``reason``, ``link`` and the caller's ``**context``.
``templates/mail/password_reset.*`` is an example. Tests read what was sent from the
``OutboundMail`` rows, the outbox folder (``outbox`` fixture) or the ``smtp_server`` fixture.
"""

from __future__ import annotations

from flask import Flask

from app.extensions import mail as mailman
from app.mail.compose import absolute_url, queue_mail
from app.mail.models import MailStatus, OutboundMail
from app.mail.sending import outbox_page, register_mail_jobs, retry
from app.mail.transport import parse_mail_url

__all__ = [
    "MailStatus",
    "OutboundMail",
    "absolute_url",
    "init_mail",
    "outbox_page",
    "queue_mail",
    "retry",
]


def init_mail(app: Flask) -> None:
    """Bind Flask-Mailman, check ``SALESRAMP_MAIL_URL`` now (not at the first send), add jobs."""
    if app.config.get("MAIL_URL"):
        parse_mail_url(str(app.config["MAIL_URL"]))  # BadMailUrl says what is wrong
    mailman.init_app(app)
    register_mail_jobs(app)
