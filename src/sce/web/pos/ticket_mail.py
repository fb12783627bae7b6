"""The e-mailed ticket of the web POS (SCE 2.0 digital ticket): ``sce serve --smtp HOST[:PORT]``.

The customer gives an address at payment (or on an invoice); the signed ticket goes into the database's
outbox (:class:`sce.tickets.mail.TicketOutbox`, where the address lives only until the SMTP server took
the message) and a background thread sends it at once, or again every few seconds while the mail
server is away. The address is checked before the FDM signs, so a typing error never leaves a signed
sale without its ticket. The SMTP login comes from ``$SCE_SMTP_USER`` / ``$SCE_SMTP_PASSWORD``, never
from the command line.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Engine, select

from sce.domain.errors import DomainError
from sce.tickets.mail import (
    SMTP_PORT,
    DeliveryChoice,
    MailError,
    SmtpSettings,
    TicketOutbox,
    normalise_address,
    ticket_outbox,
)
from sce.tickets.model import Ticket

log = logging.getLogger(__name__)
RETRY_SECONDS: Final = 5.0
USER_VARIABLE: Final = "SCE_SMTP_USER"
PASSWORD_VARIABLE: Final = "SCE_SMTP_PASSWORD"


def smtp_settings(spec: str, sender: str, *, starttls: bool = False) -> SmtpSettings:
    """``HOST[:PORT]`` and the sender address as SMTP settings (login from the environment)."""
    host, _, port_text = spec.strip().rpartition(":") if ":" in spec else (spec.strip(), "", "")
    if not host:
        raise DomainError("smtp", "INVALID_SMTP", "the mail server as HOST or HOST:PORT")
    try:
        port = int(port_text) if port_text else SMTP_PORT
    except ValueError:
        raise DomainError("smtp", "INVALID_SMTP", f"{port_text!r} is not a port number") from None
    if not 0 < port < 65536:
        raise DomainError("smtp", "INVALID_SMTP", f"{port} is not a port number")
    try:
        from_address = normalise_address(sender)
    except MailError:
        raise DomainError(
            "smtp_from", "INVALID_ADDRESS", "the sender as one address, like pos@example.be"
        ) from None
    return SmtpSettings(
        host=host,
        sender=from_address,
        port=port,
        starttls=starttls,
        username=os.environ.get(USER_VARIABLE, ""),
        password=os.environ.get(PASSWORD_VARIABLE, ""),
    )


@dataclass(frozen=True, slots=True)
class MailStatus:
    """What the back office shows: the server, tickets waiting and the last problem."""

    server: str
    waiting: int
    last_error: str


class MailDesk:
    """The outbox of the running POS and the thread that empties it."""

    def __init__(self, engine: Engine, settings: SmtpSettings) -> None:
        self.settings = settings
        self.outbox = TicketOutbox(engine, settings, create=False)
        self.last_error = ""
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def send(self, ticket: Ticket, address: str) -> bool:
        """Queue the signed ticket for ``address`` and wake the sender; False when it could not be queued
        (the sale stands; the ticket can still be printed as a copy)."""
        try:
            self.outbox.queue(ticket, address)
        except MailError as error:
            self.last_error = str(error)
            log.warning("ticket %s not queued for e-mail: %s", ticket.ticket_number, error)
            return False
        self._wake.set()
        return True

    def deliver(self) -> int:
        """Send what waits; the number sent or refused for good."""
        report = self.outbox.deliver()
        if report.waiting:
            row_error = self._row_error()
            self.last_error = row_error or self.last_error
        elif report.sent or report.refused:
            self.last_error = ""
        return len(report.sent) + len(report.refused)

    def _row_error(self) -> str:
        with self.outbox.engine.connect() as connection:
            value = connection.scalar(
                select(ticket_outbox.c.last_error).order_by(ticket_outbox.c.id.desc()).limit(1)
            )
        return str(value or "")

    def status(self) -> MailStatus:
        server = f"{self.settings.host}:{self.settings.port}"
        return MailStatus(server, len(self.outbox.waiting()), self.last_error)

    def start(self, interval: float = RETRY_SECONDS) -> None:
        """The sending thread: at once when a ticket is queued, else every ``interval`` seconds."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._wake.set()  # what a stopped server left in the outbox goes first

        def run() -> None:
            while not self._stop.is_set():
                self._wake.wait(interval)
                self._wake.clear()
                if self._stop.is_set():
                    return
                try:
                    self.deliver()
                except Exception as error:  # the mail server must never stop the POS
                    self.last_error = f"{type(error).__name__}: {error}"
                    log.exception("ticket e-mail failed")

        self._thread = threading.Thread(target=run, name="ticket-mail", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


def delivery_choice(
    desk: MailDesk | None, email: str, paper: bool, generation: int, field: str = "email"
) -> DeliveryChoice:
    """How the customer gets the ticket, checked before signing: paper, e-mail (SCE 2.0 with a mail
    server configured) or both. Raises :class:`DomainError` naming ``field``."""
    address = email.strip()
    if not address:
        if not paper:
            raise DomainError(field, "REQUIRED", "a VAT ticket is handed over: on paper, by e-mail or both")
        return DeliveryChoice(paper=True)
    if generation != 2:
        raise DomainError(field, "SCE_2_ONLY", "the e-mailed ticket is part of SCE 2.0; print the ticket")
    if desk is None:
        raise DomainError(field, "NO_MAIL_SERVER", "no mail server is set up (sce serve --smtp HOST:PORT)")
    try:
        return DeliveryChoice(paper=paper, email=normalise_address(address))
    except MailError:
        raise DomainError(field, "INVALID_ADDRESS", "one e-mail address, like name@example.be") from None


__all__ = ["MailDesk", "MailStatus", "delivery_choice", "smtp_settings"]
