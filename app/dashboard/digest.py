"""The daily e-mail digest: each person with milestones due or overdue gets one message in their language.

Optional: it only runs when ``SMTP_HOST`` is configured. Sent with the standard library (``smtplib`` and
``email.message.EmailMessage``), one plain-text part and one HTML part per message, as a background job
(:data:`JOB_KIND`) recorded in the job table: ``flask send-digest`` runs it, or queues it for the RQ workers.
Each message accepted by the server is recorded (:class:`~app.dashboard.models.DigestDelivery`), so a run tried
again after a failure sends only to those still waiting, and a second run on the same day sends nothing twice.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.enums import Role
from app.core.errors import DomainError
from app.core.i18n import FORMAT_LOCALES
from app.core.jobs.models import Job
from app.core.jobs.runner import Progress, register
from app.core.timeutil import today
from app.dashboard.models import DigestDelivery
from app.dashboard.notifications import Notification, notifications_for

JOB_KIND = "daily_digest"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    use_tls: bool
    mail_from: str

    @classmethod
    def from_config(cls, config: Any) -> SmtpSettings | None:
        """The SMTP settings, or None when no ``SMTP_HOST`` is configured (the digest is then off)."""
        host = (config.get("SMTP_HOST") or "").strip()
        if not host:
            return None
        return cls(
            host=host,
            port=int(config.get("SMTP_PORT") or 25),
            username=config.get("SMTP_USERNAME") or "",
            password=config.get("SMTP_PASSWORD") or "",
            use_tls=bool(config.get("SMTP_USE_TLS")),
            mail_from=config.get("MAIL_FROM") or f"rehabilita@{host}",
        )


@dataclass(frozen=True)
class DigestResult:
    sent: list[str]
    failed: list[str]


def digest_recipients(session: Session) -> list[User]:
    """Active people who may receive notifications, in a stable order."""
    query = select(User).where(User.active.is_(True), User.role != Role.DONOR).order_by(User.id)
    return list(session.scalars(query))


def digest_message(user: User, items: list[Notification], *, on: date, mail_from: str) -> EmailMessage:
    """One message for ``user`` in their language. Needs an application and request context (templates)."""
    language = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    public_url = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    overdue = [item for item in items if item.overdue]
    due_soon = [item for item in items if not item.overdue]
    with force_locale(FORMAT_LOCALES.get(language, language)):
        subject = _(
            "Rehabilita: %(overdue)d overdue and %(soon)d upcoming milestones",
            overdue=len(overdue),
            soon=len(due_soon),
        )

        def link(endpoint: str, **values: Any) -> str:
            # PUBLIC_URL, not the request's host: the command runs outside any real request.
            return public_url + url_for(endpoint, **values)

        context = {
            "link": link,
            "user": user,
            "overdue": overdue,
            "due_soon": due_soon,
            "on": on,
            "public_url": public_url,
            "due_soon_days": current_app.config["DUE_SOON_DAYS"],
            "subject": subject,
            "language": language,
        }
        text = render_template("dashboard/digest.txt", **context)
        html = render_template("dashboard/digest.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = formataddr((user.name, user.email))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_from.rsplit("@", 1)[-1].strip("> ") or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = language  # after the content: set_content() clears Content-* headers
    return message


def digest_messages(
    session: Session, *, on: date, due_soon_days: int, mail_from: str
) -> list[tuple[User, EmailMessage]]:
    """The messages to send today: one per person with something due or overdue."""
    messages = []
    for user in digest_recipients(session):
        items = notifications_for(session, user, on=on, due_soon_days=due_soon_days)
        if items:
            messages.append((user, digest_message(user, items, on=on, mail_from=mail_from)))
    return messages


def smtp_send(
    settings: SmtpSettings,
    messages: Iterable[tuple[User, EmailMessage]],
    on_sent: Callable[[User], None] | None = None,
) -> DigestResult:
    """Send over one SMTP connection; a refused recipient does not stop the others. ``on_sent`` is told of each
    message as soon as the server accepted it."""
    sent: list[str] = []
    failed: list[str] = []
    with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
        if settings.use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password)
        for user, message in messages:
            try:
                smtp.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused):
                current_app.logger.warning("digest to user %s refused by the SMTP server", user.id)
                failed.append(user.email)
            else:
                sent.append(user.email)
                if on_sent is not None:
                    on_sent(user)
    return DigestResult(sent=sent, failed=failed)


def digest_deliveries(session: Session, on: date) -> dict[int, int | None]:
    """Who already got the digest of ``on``: user id -> the job that sent it."""
    rows = session.execute(select(DigestDelivery.user_id, DigestDelivery.job_id).where(DigestDelivery.sent_on == on))
    return {user_id: job_id for user_id, job_id in rows}


@register(JOB_KIND)
def _send_job(session: Session, job: Job, progress: Progress) -> None:
    settings = SmtpSettings.from_config(current_app.config)
    if settings is None:
        raise DomainError(_("SMTP_HOST is not configured: no digest sent."))
    on = today()
    served = digest_deliveries(session, on)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Links in the messages point at the public address; the request context is only there to build them.
    with app.test_request_context("/", base_url=app.config.get("PUBLIC_URL") or "http://localhost/"):
        waiting = [
            (user, message)
            for user, message in digest_messages(
                session, on=on, due_soon_days=int(app.config["DUE_SOON_DAYS"]), mail_from=settings.mail_from
            )
            if user.id not in served
        ]
    progress(10)
    if not waiting:
        return

    def delivered(user: User) -> None:
        session.add(DigestDelivery(user_id=user.id, sent_on=on, job_id=job.id))
        session.commit()  # at once: a failure later must not send this person a second copy

    try:
        result = smtp_send(settings, waiting, on_sent=delivered)
    except (OSError, smtplib.SMTPException) as error:
        raise DomainError(
            _("Could not send through %(server)s: %(error)s", server=f"{settings.host}:{settings.port}", error=error)
        ) from error
    if result.failed:
        raise DomainError(_("Refused by the SMTP server: %(emails)s", emails=", ".join(result.failed)))
