"""The e-mailed VAT ticket of a POS sale (SCE 2.0) through a real SMTP server: the PDF arrives and the
customer's address is nowhere in the POS database afterwards."""

from __future__ import annotations

import socket
import threading
from decimal import Decimal
from email import message_from_bytes
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session
from sqlalchemy import inspect, text

from sce.domain.money import Money
from sce.domain.payments import PaymentMethod, Tender
from sce.pos.ticket_view import ticket_for
from sce.tickets.mail import SmtpSettings, TicketOutbox
from tests.pos.support import WAITER, pos_rig

ADDRESS = "guest.unique-4711@example.org"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.received = threading.Event()

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802
        self.messages.append(envelope.original_content or b"")
        self.received.set()
        return "250 OK"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_emailed_ticket_leaves_no_address_behind(tmp_path: Path) -> None:
    db = tmp_path / "pos.db"
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_port())
    controller.start()
    try:
        with pos_rig(f"sqlite:///{db}", 2, tmp_path / "state") as rig:
            rig.pos.clock_in(WAITER, "T1")
            sale = rig.pos.quick_sale(
                WAITER, "T1", [("BEER", Decimal(2))], [Tender(PaymentMethod.CASH, Money(700))]
            )
            outbox = TicketOutbox(
                rig.store.engine,
                SmtpSettings("127.0.0.1", "tickets@devaart.example", port=controller.port),
                create=False,
            )
            outbox.queue(ticket_for(rig.pos, sale.event.ticket_number), ADDRESS)
            report = outbox.deliver()
            assert len(report.sent) == 1 and report.waiting == 0
            assert inbox.received.wait(10)
            with rig.store.engine.connect() as connection:
                for table in inspect(connection).get_table_names():
                    for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                        assert ADDRESS not in repr(row), table
    finally:
        controller.stop()
    message = message_from_bytes(inbox.messages[0])
    assert message["To"] == ADDRESS
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "application/pdf" in parts and "text/html" in parts
    assert (parts["application/pdf"].get_payload(decode=True) or b"").startswith(b"%PDF")
    for path in tmp_path.glob("pos.db*"):
        assert ADDRESS.encode() not in path.read_bytes(), path.name
