"""The operator's e-mails through a real SMTP server (aiosmtpd on loopback): one confirmation per step,
each with the installation deadline of the operator's establishments."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, select

from sce.eservice.cards import card_of
from sce.eservice.db import make_engine
from sce.eservice.mail import MailSettings, send
from sce.eservice.seed import EST_A1, EST_A2, OPERATOR_A
from sce.eservice.tables import mail_log
from tests.eservice.support import SIDE_A, client, ok, served, supply


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_each_step_is_confirmed_by_mail_with_the_installation_deadline(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    with served(tmp_path, smtp_port=port) as url:
        pairs = supply(url, SIDE_A, {EST_A1: "1.0", EST_A2: "2.0"})
        (f1, p1), (f2, _) = pairs[EST_A1], pairs[EST_A2]
        operator = client(url, "operator-a")
        api = f"/eservice/api/operators/{OPERATOR_A}"
        ok(operator.post(f"{api}/fdms/{f1}/vsc"))
        with create_engine(f"sqlite:///{tmp_path / 'es.sqlite3'}").connect() as conn:
            pin = card_of(conn, f1).pin
        ok(operator.post(f"{api}/fdms/{f1}/activate", json={"pin": pin}))
        ok(operator.post(f"{api}/fdms/{f2}/first-boot"))
        ok(operator.post(f"{api}/components/{p1}/decommission", json={"reason": "defect"}))

    subjects = [str(m["Subject"]).strip() for m in inbox.messages]
    steps = [
        "company and establishments registered",
        "components assigned by your dealer",
        f"delivery of {f1} confirmed",
        f"links of FDM {f1}",
        f"links of FDM {f2}",
        f"VAT Signing Card requested for FDM {f1}",
        f"FDM {f1} activated",
        f"first boot of FDM {f2}",
        f"{p1} decommissioned",
    ]
    for step in steps:
        assert f"[SCE e-service] {step} ({OPERATOR_A})" in subjects, (step, "\n".join(subjects))
    # 1 registration, 2 assignments, 4 confirmations, 2 links, VSC, activation, first boot, decommissioning
    assert len(inbox.messages) == 13
    for message in inbox.messages:
        assert message["To"] == "an@markt.invalid" and message["From"] == "eservice@sce.invalid"
        body = message.get_content()
        assert body.startswith("Step confirmed: ")
        for unit, signboard in ((EST_A1, "De Markt"), (EST_A2, "De Markt Terras")):
            assert (
                f"Establishment {unit} ({signboard}): register by 2026-12-31,"
                " certified system in use by 2027-01-31." in body
            ), body
    links = next(m for m in inbox.messages if f"links of FDM {f1}" in str(m["Subject"])).get_content()
    assert f"{p1}: linked" in links
    vsc = next(m for m in inbox.messages if "VAT Signing Card" in str(m["Subject"])).get_content()
    assert "two separate letters" in vsc and pin not in vsc


def test_an_unreachable_smtp_server_is_logged_not_raised(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'mail.sqlite3'}")
    with engine.begin() as conn:
        sent = send(conn, MailSettings("127.0.0.1", _free_port(), timeout=2), "an@markt.invalid", "s", "b")
        unset = send(conn, MailSettings(), "an@markt.invalid", "s", "b")
        errors = [row.error for row in conn.execute(select(mail_log.c.error).order_by(mail_log.c.id))]
    assert not sent and not unset
    assert "ConnectionRefusedError" in errors[0] and errors[1] == "SMTP not configured"
