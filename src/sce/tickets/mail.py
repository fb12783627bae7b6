"""The digital ticket (SCE 2.0): the same ticket sent by e-mail, HTML body and PDF attachment.

The customer's address is used only to send that one ticket (``regulation.md`` § 6.3; ``fdm-v2-graphql.md``
§ 13): it is kept in one outbox row next to the rendered ticket, never in a customer table, and the row is
deleted as soon as the SMTP server accepted the message (or refused the address for good). SQLite's
``secure_delete`` overwrites the deleted bytes and a WAL checkpoint empties the write-ahead log, so the
address does not stay in the database file. When the SMTP server is down the row stays and the next
:meth:`TicketOutbox.deliver` tries again.

The outbox table is defined on :data:`MAIL_METADATA`, so the POS database can create it with its own
tables. The medium declared to the FDM (``ticketMedium``) comes from :class:`DeliveryChoice`: a paper
ticket stays available on request (``PAPER_DIGITAL``); paper asked for after the event was signed is a
registered copy.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any, Final, Literal

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection

from sce.tickets.i18n import TicketLanguage
from sce.tickets.model import Ticket
from sce.tickets.printing import ticket_key
from sce.tickets.render_html import render_html
from sce.tickets.render_pdf import render_pdf
from sce.tickets.render_text import render_text

TicketMedium = Literal["PAPER", "DIGITAL", "PAPER_DIGITAL", "NONE"]
SMTP_PORT: Final = 25
_ERROR_LENGTH: Final = 500

#: The metadata of the tables of this module; the POS database includes it in its schema.
MAIL_METADATA: Final = MetaData()

#: One row per ticket waiting to be e-mailed; the row (and so the address) is deleted once delivered.
ticket_outbox: Final = Table(
    "ticket_outbox",
    MAIL_METADATA,
    Column("id", Integer, primary_key=True),
    Column("ticket_key", String(120), nullable=False, unique=True),
    Column("address", String(320), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("pdf_name", String(100), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(_ERROR_LENGTH), nullable=False, default=""),
    Column("queued_at", DateTime(timezone=True), nullable=False),
)


class MailError(ValueError):
    """A digital ticket that cannot be queued (bad address, SCE 1.0 ticket, ticket already queued)."""


@dataclass(frozen=True, slots=True)
class DeliveryChoice:
    """How the customer gets the ticket: on paper, by e-mail to ``email``, or both."""

    paper: bool = True
    email: str | None = None

    @property
    def medium(self) -> TicketMedium:
        """The ``ticketMedium`` to declare to the FDM for this choice."""
        if self.paper and self.email:
            return "PAPER_DIGITAL"
        if self.email:
            return "DIGITAL"
        return "PAPER" if self.paper else "NONE"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """The SMTP server that sends digital tickets; ``starttls`` upgrades the connection before login."""

    host: str
    sender: str
    port: int = SMTP_PORT
    starttls: bool = False
    username: str = ""
    password: str = ""
    timeout: float = 10.0

    def __repr__(self) -> str:
        return f"SmtpSettings(host={self.host!r}, port={self.port}, sender={self.sender!r}, ...)"


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one :meth:`TicketOutbox.deliver` did: tickets sent, refused for good, still waiting."""

    sent: tuple[str, ...]
    refused: tuple[str, ...]
    waiting: int


def normalise_address(address: str) -> str:
    """One plain ``user@domain`` address; anything else (several, display names, new lines) is refused."""
    text = address.strip()
    if not text or any(char in text for char in "\r\n,;<>\"'") or text.count("@") != 1:
        raise MailError("address: one e-mail address, like name@example.be")
    try:
        parsed = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError) as error:
        raise MailError("address: one e-mail address, like name@example.be") from error
    if not parsed.username or "." not in parsed.domain:
        raise MailError("address: one e-mail address, like name@example.be")
    return parsed.addr_spec


def _secure_delete(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def smtp_connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An SMTP session ready to send: STARTTLS (verified certificate) and login when configured."""
    client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        client.ehlo()
        if settings.starttls:
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if settings.username:
            client.login(settings.username, settings.password)
    except BaseException:
        client.close()
        raise
    return client


def _message(row: Any, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    message.add_attachment(bytes(row.pdf), maintype="application", subtype="pdf", filename=row.pdf_name)
    return message


class TicketOutbox:
    """The e-mail outbox of digital tickets in the POS database (SQLAlchemy Core on ``engine``)."""

    def __init__(
        self,
        engine: Engine,
        settings: SmtpSettings,
        *,
        connect: Callable[[SmtpSettings], smtplib.SMTP] = smtp_connect,
        create: bool = True,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.connect = connect
        self._sqlite = engine.dialect.name == "sqlite"
        if self._sqlite and not event.contains(engine, "connect", _secure_delete):
            event.listen(engine, "connect", _secure_delete)
        if create:
            MAIL_METADATA.create_all(engine)

    def queue(self, ticket: Ticket, address: str) -> str:
        """Queue ``ticket`` for ``address``; returns the ticket's key. Raises :class:`MailError`."""
        if ticket.generation != 2:
            raise MailError("the digital ticket is part of SCE 2.0; an SCE 1.0 ticket is printed")
        to = normalise_address(address)
        key = ticket_key(ticket)
        t = TicketLanguage(ticket.language)
        subject = f"{t('Your ticket')} {ticket.settings.establishment_name} {ticket.ticket_number}"
        text = f"{t('Your ticket is attached as a PDF file.')}\n\n{render_text(ticket)}"
        with self.engine.begin() as connection:
            exists = connection.execute(
                select(ticket_outbox.c.id).where(ticket_outbox.c.ticket_key == key)
            ).first()
            if exists is not None:
                raise MailError(f"ticket {key} is already waiting to be sent")
            connection.execute(
                insert(ticket_outbox).values(
                    ticket_key=key,
                    address=to,
                    subject=subject,
                    text_body=text,
                    html_body=render_html(ticket),
                    pdf=render_pdf(ticket),
                    pdf_name=f"ticket-{ticket.ticket_number}.pdf",
                    attempts=0,
                    last_error="",
                    queued_at=datetime.now(UTC),
                )
            )
        return key

    def waiting(self) -> tuple[str, ...]:
        """The keys of the tickets not yet delivered, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(ticket_outbox.c.ticket_key).order_by(ticket_outbox.c.id))
            return tuple(row.ticket_key for row in rows)

    def deliver(self) -> DeliveryReport:
        """Send every waiting ticket; a delivered or refused ticket's row is purged, the others stay."""
        sent: list[str] = []
        refused: list[str] = []
        # the address is never logged nor kept in an error text: a refusal is stored as its SMTP code
        with self.engine.connect() as connection:
            rows = list(connection.execute(select(ticket_outbox).order_by(ticket_outbox.c.id)))
        if not rows:
            return DeliveryReport((), (), 0)
        try:
            client = self.connect(self.settings)
        except (OSError, smtplib.SMTPException) as error:
            self._failed([row.id for row in rows], error)
            return DeliveryReport((), (), len(rows))
        try:
            for row in rows:
                try:
                    client.send_message(
                        _message(row, self.settings.sender), self.settings.sender, [row.address]
                    )
                except smtplib.SMTPRecipientsRefused as error:
                    codes = sorted({code for code, _text in error.recipients.values()})
                    if codes and all(code >= 500 for code in codes):
                        refused.append(row.ticket_key)
                        self._purge(row.id)
                    else:
                        self._failed([row.id], smtplib.SMTPException(f"recipient deferred {codes}"))
                    continue
                except (OSError, smtplib.SMTPException) as error:
                    self._failed(
                        [later.id for later in rows if later.ticket_key not in (*sent, *refused)], error
                    )
                    break
                sent.append(row.ticket_key)
                self._purge(row.id)
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
        self._checkpoint()
        return DeliveryReport(tuple(sent), tuple(refused), len(rows) - len(sent) - len(refused))

    def _failed(self, ids: list[int], error: BaseException) -> None:
        reason = f"{type(error).__name__}: {error}"[:_ERROR_LENGTH]
        with self.engine.begin() as connection:
            connection.execute(
                update(ticket_outbox)
                .where(ticket_outbox.c.id.in_(ids))
                .values(attempts=ticket_outbox.c.attempts + 1, last_error=reason)
            )

    def _purge(self, row_id: int) -> None:
        with self.engine.begin() as connection:
            self._pragma(connection, "PRAGMA secure_delete=ON")
            connection.execute(delete(ticket_outbox).where(ticket_outbox.c.id == row_id))

    def _checkpoint(self) -> None:
        """Copy the WAL into the database file and empty it, so deleted rows leave no old page behind."""
        with self.engine.connect() as connection:
            self._pragma(connection, "PRAGMA wal_checkpoint(TRUNCATE)")
            connection.commit()

    def _pragma(self, connection: Connection, pragma: str) -> None:
        if self._sqlite:
            connection.exec_driver_sql(pragma)


__all__ = [
    "MAIL_METADATA",
    "DeliveryChoice",
    "DeliveryReport",
    "MailError",
    "SmtpSettings",
    "TicketMedium",
    "TicketOutbox",
    "normalise_address",
    "smtp_connect",
    "ticket_outbox",
]
