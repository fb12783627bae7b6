"""The digital ticket by e-mail, through a real SMTP server (aiosmtpd) on loopback.

The outbox lives in a SQLite file in WAL mode, like the POS database; after delivery the raw bytes of the
database file and of its write-ahead log are searched for the customer's address.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from sqlalchemy import Engine, create_engine, event, inspect, select, text

from sce.tickets.mail import (
    MAIL_METADATA,
    DeliveryChoice,
    MailError,
    SmtpSettings,
    TicketOutbox,
    normalise_address,
    ticket_outbox,
)
from sce.tickets.printing import ticket_key
from sce.tickets.render_pdf import render_pdf
from tests.tickets.support import V2_SHORT, V2_URL, ticket

CUSTOMER = "jan.peeters.customer@example.be"
SENDER = "tickets@brasserie-parkzicht.example"


class _Inbox:
    """An aiosmtpd handler keeping every message it accepted."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.received = threading.Event()

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        self.messages.append((list(envelope.rcpt_tos), content))
        self.received.set()
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(inbox: _Inbox, port: int, **options: Any) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller


def _wal_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _wal(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    return engine


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "pos.sqlite"
    engine = _wal_engine(path)
    yield engine, path
    engine.dispose()


def _raw_bytes(path: Path) -> bytes:
    return b"".join(candidate.read_bytes() for candidate in (path, Path(f"{path}-wal")) if candidate.exists())


def _parsed(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.parametrize(
    ("kind", "title"),
    [("money_in_out", "SORTIE D'ARGENT"), ("payment_correction", "CORRECTION DU MODE DE PAIEMENT")],
)
def test_slips_are_queued_with_text_html_and_pdf(
    database: tuple[Engine, Path], kind: str, title: str
) -> None:
    engine, _path = database
    outbox = TicketOutbox(engine, SmtpSettings("127.0.0.1", SENDER, port=_free_port(), timeout=5.0))
    slip = ticket(kind, 2, "fr")
    assert outbox.queue(slip, CUSTOMER) == ticket_key(slip)
    with engine.connect() as connection:
        row = connection.execute(select(ticket_outbox)).one()
    assert title in row.text_body
    assert title.replace("'", "&#39;") in row.html_body
    assert row.pdf.startswith(b"%PDF-")
    assert V2_SHORT not in row.text_body and V2_SHORT not in row.html_body


def test_ticket_arrives_with_html_body_and_pdf_and_the_address_is_gone(
    database: tuple[Engine, Path],
) -> None:
    engine, path = database
    inbox = _Inbox()
    port = _free_port()
    outbox = TicketOutbox(engine, SmtpSettings("127.0.0.1", SENDER, port=port, timeout=5.0))
    sale = ticket("vat", 2, "nl")
    key = outbox.queue(sale, CUSTOMER)
    assert CUSTOMER.encode() in _raw_bytes(path)  # stored while the ticket waits
    assert Path(f"{path}-wal").exists()  # the database runs in WAL mode, like the POS database

    report = outbox.deliver()  # the SMTP server is down: the ticket waits
    assert report.sent == () and report.waiting == 1
    with engine.connect() as connection:
        row = connection.execute(select(ticket_outbox)).one()
    assert row.attempts == 1 and "ConnectionRefused" in row.last_error

    controller = _start(inbox, port)
    try:
        report = outbox.deliver()
        assert inbox.received.wait(5)
    finally:
        controller.stop()
    assert report.sent == (key,) and report.waiting == 0
    assert outbox.waiting() == ()

    [(recipients, raw)] = inbox.messages
    assert recipients == [CUSTOMER]
    message = _parsed(raw)
    assert message["To"] == CUSTOMER and message["From"] == SENDER
    assert message["Subject"] == "Uw kasticket Brasserie Parkzicht 1000"
    html = message.get_body(("html",))
    assert html is not None
    html_text = html.get_content()
    assert "btw-KASTICKET" in html_text and V2_SHORT in html_text and V2_URL in html_text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "ticket-1000.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF-") and len(pdf) == len(render_pdf(sale))

    raw_db = _raw_bytes(path)
    assert CUSTOMER.encode() not in raw_db
    assert b"jan.peeters" not in raw_db
    assert CUSTOMER.encode("utf-16-le") not in raw_db
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for db_row in connection.execute(text(f'SELECT * FROM "{table}"')):
                assert CUSTOMER not in repr(tuple(db_row)), table


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_is_used_when_configured(database: tuple[Engine, Path]) -> None:
    engine, _path = database
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: Any, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    inbox = _Inbox()
    port = _free_port()
    controller = _start(inbox, port, authenticator=authenticator, auth_required=True, auth_require_tls=False)
    try:
        settings = SmtpSettings("127.0.0.1", SENDER, port=port, username="pos", password="wrong")
        outbox = TicketOutbox(engine, settings)
        outbox.queue(ticket("vat", 2, "fr"), CUSTOMER)
        assert outbox.deliver().waiting == 1  # wrong password: kept for the next try
        outbox.settings = SmtpSettings("127.0.0.1", SENDER, port=port, username="pos", password="s3cret")
        assert len(outbox.deliver().sent) == 1
        assert inbox.received.wait(5)
    finally:
        controller.stop()
    assert set(logins[:-1]) == {(b"pos", b"wrong")}
    assert logins[-1] == (b"pos", b"s3cret")
    assert "s3cret" not in repr(outbox.settings)
    assert _parsed(inbox.messages[0][1])["Subject"].startswith("Votre ticket de caisse")


def test_starttls_required_but_not_offered_keeps_the_ticket(database: tuple[Engine, Path]) -> None:
    engine, _path = database
    inbox = _Inbox()
    port = _free_port()
    controller = _start(inbox, port)
    try:
        outbox = TicketOutbox(engine, SmtpSettings("127.0.0.1", SENDER, port=port, starttls=True))
        outbox.queue(ticket("vat", 2, "nl"), CUSTOMER)
        report = outbox.deliver()
    finally:
        controller.stop()
    assert report.waiting == 1 and inbox.messages == []


def test_refused_address_is_purged_without_sending(database: tuple[Engine, Path]) -> None:
    engine, path = database

    class _Refusing(_Inbox):
        async def handle_RCPT(  # noqa: N802
            self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
        ) -> str:
            return "550 No such user"

    inbox = _Refusing()
    port = _free_port()
    controller = _start(inbox, port)
    try:
        outbox = TicketOutbox(engine, SmtpSettings("127.0.0.1", SENDER, port=port))
        key = outbox.queue(ticket("vat", 2, "de"), CUSTOMER)
        report = outbox.deliver()
    finally:
        controller.stop()
    assert report.refused == (key,) and report.sent == () and report.waiting == 0
    assert CUSTOMER.encode() not in _raw_bytes(path)


def test_outbox_table_is_on_the_exported_metadata() -> None:
    assert MAIL_METADATA.tables["ticket_outbox"] is ticket_outbox
    assert {column.name for column in ticket_outbox.columns} >= {"ticket_key", "address", "pdf", "attempts"}
    assert not any("customer" in name for name in MAIL_METADATA.tables)


def test_address_is_checked_and_a_ticket_is_queued_once() -> None:
    engine = create_engine("sqlite://")
    outbox = TicketOutbox(engine, SmtpSettings("127.0.0.1", SENDER))
    for bad in ("", "jan", "jan@localhost", "a@b.be, c@d.be", "x@y.be\r\nBcc: z@w.be", "Jan <jan@x.be>"):
        with pytest.raises(MailError, match="address"):
            normalise_address(bad)
    assert normalise_address("  Jan.Peeters@Example.be ") == "Jan.Peeters@Example.be"
    sale = ticket("vat", 2, "en")
    assert outbox.queue(sale, CUSTOMER) == ticket_key(sale)
    with pytest.raises(MailError, match="already waiting"):
        outbox.queue(sale, CUSTOMER)
    with pytest.raises(MailError, match=r"SCE 2\.0"):
        outbox.queue(ticket("vat", 1, "en"), CUSTOMER)


def test_ticket_medium_follows_the_choice_of_the_customer() -> None:
    assert DeliveryChoice().medium == "PAPER"
    assert DeliveryChoice(paper=False, email=CUSTOMER).medium == "DIGITAL"
    assert DeliveryChoice(paper=True, email=CUSTOMER).medium == "PAPER_DIGITAL"
    assert DeliveryChoice(paper=False).medium == "NONE"
