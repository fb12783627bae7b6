"""E-mails to the operator through SMTP (smtplib): the confirmation of each step and its deadline."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import Connection, select

from sce.eservice.db import now
from sce.eservice.tables import mail_log, operators


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str | None = None
    port: int = 25
    sender: str = "eservice@sce.invalid"
    timeout: float = 5.0


def send(conn: Connection, settings: MailSettings, to: str, subject: str, body: str) -> bool:
    """Send one message; the outcome (sent or the SMTP error) is kept in the mail log, never raised."""
    error = ""
    if settings.host is None:
        error = "SMTP not configured"
    else:
        message = EmailMessage()
        message["From"] = settings.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
    conn.execute(mail_log.insert().values(to_address=to, subject=subject, sent_at=now(), error=error))
    return not error


def notify_operator(conn: Connection, settings: MailSettings, vat: str, step: str, lines: list[str]) -> None:
    """Confirm a step to the operator's registered address, with the installation deadline(s)."""
    row = conn.execute(select(operators.c.contact_email).where(operators.c.vat == vat)).first()
    if row is None:
        return
    body = "\n".join([f"Step confirmed: {step}", "", *lines, "", "SCE registration e-service"])
    send(conn, settings, row[0], f"[SCE e-service] {step} ({vat})", body)
