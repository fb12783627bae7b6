"""The e-mailed ticket through the web POS (``sce serve --smtp``) and a real SMTP server on loopback: the
customer's choice at payment, the medium told to the FDM, the address checked before signing and gone
from the database once sent, the invoice by e-mail, and a mail server that comes back later."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from email import message_from_bytes
from email.message import Message
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session
from fastapi.testclient import TestClient
from pos_web_support import MANAGER_PIN, WAITER_PIN, Api, clock_in, demo_runtime, free_port, key
from sqlalchemy import func, inspect, select, text
from typer.testing import CliRunner

from sce.cli import build_app
from sce.db import tables as t
from sce.domain.errors import DomainError
from sce.tickets.mail import SmtpSettings
from sce.web.pos import demo
from sce.web.pos.app import create_app
from sce.web.pos.runtime import FdmChoice, Runtime, open_runtime
from sce.web.pos.ticket_mail import smtp_settings

GUEST = "guest.mail-4711@example.org"
BUYER = "accounts.payable-0815@example.com"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.original_content or b"", policy=default))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Message]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, timeout), self.messages
        return self.messages


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield box, int(controller.port)
    finally:
        controller.stop()


def _runtime(state: Path, port: int) -> Runtime:
    rt = open_runtime(
        f"sqlite:///{state / 'pos.db'}",
        FdmChoice.parse("emulator-v2"),
        state,
        demo=True,
        seed=demo.seed,
        smtp=SmtpSettings("127.0.0.1", "tickets@devaart.example", port=port),
    )
    rt.start()
    return rt


@pytest.fixture
def mailing(tmp_path: Path, inbox: tuple[Inbox, int]) -> Iterator[Runtime]:
    rt = _runtime(tmp_path, inbox[1])
    try:
        yield rt
    finally:
        rt.close()


def _open_table(api: Api, table: str) -> dict[str, Any]:
    order = api.ok("/orders", {"table": table})
    return api.ok(
        f"/orders/{order['order_id']}/items",
        {"version": order["version"], "product_id": "BEER", "quantity": "2"},
    )


def _pay_body(order: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"version": order["version"], "tenders": [{"method": "CARD", "amount": order["total"]}], **extra}


def _sales(rt: Runtime) -> int:
    query = select(func.count()).select_from(t.journal).where(t.journal.c.event_kind == "SALE")
    with rt.engine.begin() as c:
        return int(c.execute(query).scalar_one())


def _address_anywhere(rt: Runtime, address: str) -> list[str]:
    found = []
    with rt.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                if address in repr(row):
                    found.append(table)
    return found


def _prints_of(rt: Runtime, number: int, terminal: str = "T1") -> int:
    """How many of the terminal's prints are the ticket with POS number ``number`` (the demo is Dutch)."""
    printer = rt.tickets.printers.get(terminal)
    line = re.compile(rf"(?m)^Ticketnr\.\s+{number}$")
    return sum(1 for _at, text in (printer.jobs if printer else ()) if line.search(text))


def test_a_ticket_paid_by_e_mail_only_is_sent_not_printed_and_the_address_is_gone(
    mailing: Runtime, inbox: tuple[Inbox, int]
) -> None:
    client = TestClient(create_app(mailing))
    clock_in(client, WAITER_PIN)
    waiter = Api(client, WAITER_PIN)
    order = _open_table(waiter, "5")
    paid = waiter.ok(
        f"/orders/{order['order_id']}/payment", _pay_body(order, email=f"  {GUEST} ", paper=False)
    )
    assert paid["emailed"] is True and paid["printed"] is False
    record = mailing.pos.record(int(paid["ticket_number"]))
    assert record["event"]["ticket_medium"] == "DIGITAL"
    message = inbox[0].wait_for(1)[0]
    assert message["To"] == GUEST and str(paid["ticket_number"]) in message["Subject"]
    parts = {part.get_content_type(): part for part in message.walk()}
    assert (parts["application/pdf"].get_payload(decode=True) or b"").startswith(b"%PDF")
    assert "text/html" in parts
    deadline = threading.Event()
    for _ in range(50):  # the row goes once the server took the message
        if not mailing.mail or not mailing.mail.outbox.waiting():
            break
        deadline.wait(0.1)
    assert mailing.mail is not None and mailing.mail.status().waiting == 0
    assert _address_anywhere(mailing, GUEST) == []
    assert _prints_of(mailing, int(paid["ticket_number"])) == 0


def test_paper_and_e_mail_print_once_and_send_once(mailing: Runtime, inbox: tuple[Inbox, int]) -> None:
    client = TestClient(create_app(mailing))
    clock_in(client, WAITER_PIN)
    waiter = Api(client, WAITER_PIN)
    order = _open_table(waiter, "6")
    body = _pay_body(order, email=GUEST)
    idem = "pay-twice-0001"
    first = waiter.ok(f"/orders/{order['order_id']}/payment", body, idem=idem)
    again = waiter.ok(f"/orders/{order['order_id']}/payment", body, idem=idem)
    assert again["ticket_number"] == first["ticket_number"] and first["printed"] and first["emailed"]
    assert mailing.pos.record(int(first["ticket_number"]))["event"]["ticket_medium"] == "PAPER_DIGITAL"
    assert len(inbox[0].wait_for(1)) == 1
    threading.Event().wait(0.5)
    assert len(inbox[0].messages) == 1
    assert _prints_of(mailing, int(first["ticket_number"])) == 1
    assert _sales(mailing) == 1


@pytest.mark.parametrize(
    ("address", "rule"),
    [
        ("not-an-address", "INVALID_ADDRESS"),
        ("a@b.be, c@d.be", "INVALID_ADDRESS"),
        ("x@localhost", "INVALID_ADDRESS"),
    ],
)
def test_a_wrong_address_is_refused_before_the_fdm_signs(mailing: Runtime, address: str, rule: str) -> None:
    client = TestClient(create_app(mailing))
    clock_in(client, WAITER_PIN)
    waiter = Api(client, WAITER_PIN)
    order = _open_table(waiter, "7")
    answer = waiter.post(f"/orders/{order['order_id']}/payment", _pay_body(order, email=address))
    assert answer.status_code == 422
    assert (answer.json()["error"]["field"], answer.json()["error"]["rule"]) == ("email", rule)
    assert _sales(mailing) == 0
    assert waiter.get(f"/orders/{order['order_id']}").json()["status"] != "closed"
    nothing = waiter.post(f"/orders/{order['order_id']}/payment", _pay_body(order, paper=False))
    assert nothing.json()["error"] == {**nothing.json()["error"], "field": "email", "rule": "REQUIRED"}


@pytest.mark.parametrize(("generation", "rule"), [(1, "SCE_2_ONLY"), (2, "NO_MAIL_SERVER")])
def test_without_sce_2_or_a_mail_server_the_choice_is_refused_in_words(
    tmp_path: Path, generation: int, rule: str
) -> None:
    with demo_runtime(tmp_path, generation) as rt:
        client = TestClient(create_app(rt))
        clock_in(client, WAITER_PIN)
        waiter = Api(client, WAITER_PIN)
        order = _open_table(waiter, "8")
        answer = waiter.post(f"/orders/{order['order_id']}/payment", _pay_body(order, email=GUEST))
        assert answer.status_code == 422
        assert (answer.json()["error"]["field"], answer.json()["error"]["rule"]) == ("email", rule)
        assert _sales(rt) == 0


def test_an_invoice_goes_to_the_customer_by_e_mail_and_the_journal_keeps_no_address(
    mailing: Runtime, inbox: tuple[Inbox, int]
) -> None:
    client = TestClient(create_app(mailing))
    clock_in(client, MANAGER_PIN)
    manager = Api(client, MANAGER_PIN)
    order = _open_table(manager, "9")
    paid = manager.ok(f"/orders/{order['order_id']}/payment", _pay_body(order))
    customer = {
        "name": "Bedrijf NV",
        "address": "Markt 1, 9000 Gent",
        "vat_no": "BE0477472701",
        "email": BUYER,
    }
    made = manager.ok("/invoices", {"ticket_numbers": [paid["ticket_number"]], "customer": customer})
    assert made["emailed"] is True and "email" not in made["customer"]
    message = inbox[0].wait_for(1)[0]
    assert message["To"] == BUYER
    plain = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    body = (plain.get_payload(decode=True) or b"").decode()
    assert "FACTUUR" in body and "BE0477472701" in body and str(paid["ticket_number"]) in body
    assert "email" not in mailing.pos.record(int(made["ticket_number"]))["pos"]["customer"]
    for _ in range(50):
        if mailing.mail is not None and not mailing.mail.outbox.waiting():
            break
        threading.Event().wait(0.1)
    assert _address_anywhere(mailing, BUYER) == []


def test_a_ticket_waits_while_the_mail_server_is_away_and_goes_when_it_is_back(tmp_path: Path) -> None:
    port = free_port()
    rt = _runtime(tmp_path, port)
    try:
        client = TestClient(create_app(rt))
        clock_in(client, WAITER_PIN)
        waiter = Api(client, WAITER_PIN)
        order = _open_table(waiter, "10")
        paid = waiter.ok(f"/orders/{order['order_id']}/payment", _pay_body(order, email=GUEST))
        assert paid["emailed"] is True  # queued: the sale never waits for the mail server
        assert rt.mail is not None
        assert rt.mail.deliver() == 0
        status = rt.mail.status()
        assert status.waiting == 1 and status.last_error and GUEST not in status.last_error
        page = client.get("/pos/printers", headers=waiter.headers).text
        assert 'data-testid="mail-status"' in page and f"127.0.0.1:{port}" in page
        assert "1 ticket(s), sent as soon as the mail server answers" in page and GUEST not in page
        box = Inbox()
        controller = Controller(box, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            assert rt.mail.deliver() == 1
            assert box.wait_for(1)[0]["To"] == GUEST
            assert rt.mail.status().waiting == 0 and rt.mail.status().last_error == ""
        finally:
            controller.stop()
    finally:
        rt.close()


@pytest.mark.parametrize(
    ("spec", "sender", "field"),
    [
        ("", "pos@x.be", "smtp"),
        ("mail:port", "pos@x.be", "smtp"),
        ("mail:70000", "pos@x.be", "smtp"),
        ("mail", "", "smtp_from"),
    ],
)
def test_smtp_settings_name_the_wrong_option(spec: str, sender: str, field: str) -> None:
    with pytest.raises(DomainError) as caught:
        smtp_settings(spec, sender)
    assert caught.value.field == field


def test_smtp_settings_take_the_login_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCE_SMTP_USER", "pos")
    monkeypatch.setenv("SCE_SMTP_PASSWORD", "s3cret")
    settings = smtp_settings("mail.example.be:587", "pos@devaart.example", starttls=True)
    assert (settings.host, settings.port, settings.starttls) == ("mail.example.be", 587, True)
    assert (settings.username, settings.password) == ("pos", "s3cret")
    assert "s3cret" not in repr(settings)
    assert smtp_settings("mail.example.be", "pos@devaart.example").port == 25


def test_serve_refuses_a_mail_server_without_a_sender() -> None:
    result = CliRunner().invoke(build_app(["serve"]), ["serve", "--smtp", "mail.example.be:587"])
    assert result.exit_code == 2
    assert "smtp_from" in result.output and "INVALID_ADDRESS" in result.output


def _form_pay(api: Api, order: dict[str, Any], **fields: str) -> Any:
    return api.client.post(
        f"/pos/orders/{order['order_id']}/pay",
        data={"version": str(order["version"]), "idem": key(), **fields},
        headers={"X-SCE-Fetch": "1", "Authorization": f"Bearer {api.token}"},
    )


def test_the_pay_screen_offers_one_tap_payments_and_the_e_mail(mailing: Runtime) -> None:
    client = TestClient(create_app(mailing))
    clock_in(client, WAITER_PIN)
    waiter = Api(client, WAITER_PIN)
    order = _open_table(waiter, "11")
    total = order["total"]
    page = client.get(f"/pos/orders/{order['order_id']}/pay", headers=waiter.headers).text
    assert f'value="CARD:{total}"' in page and f'value="CASH:{total}"' in page
    assert 'value="CASH:10.00"' in page and 'value="CASH:20.00"' in page  # the next two notes
    assert 'name="email"' in page and 'name="paper"' in page
    # Enter in an amount field pays what was typed: the form's first submit button is the plain one
    assert page.index('data-testid="pay-go"') < page.index('name="quick"')
    answer = _form_pay(waiter, order, quick="CASH:20.00", email=GUEST)
    assert answer.status_code == 200, answer.text
    go = answer.json()["go"]
    number = int(go.split("/pos/tickets/")[1].split("?")[0])
    record = mailing.pos.record(number)
    cash = [p for p in record["event"]["payments"] if p["method"] == "CASH"]
    assert sum(Decimal(p["amount"]) for p in cash) == Decimal(total)  # 20.00 given, the change back
    assert "change=" in go and Decimal(go.split("change=")[1]) == Decimal("20.00") - Decimal(total)
    assert record["event"]["ticket_medium"] == "DIGITAL"  # the paper box was not sent: e-mail only
    assert _prints_of(mailing, number) == 0


def test_a_one_tap_card_payment_pays_the_whole_bill_by_card(tmp_path: Path) -> None:
    with demo_runtime(tmp_path, 1) as rt:
        client = TestClient(create_app(rt))
        clock_in(client, WAITER_PIN)
        waiter = Api(client, WAITER_PIN)
        order = _open_table(waiter, "12")
        page = client.get(f"/pos/orders/{order['order_id']}/pay", headers=waiter.headers).text
        assert 'name="email"' not in page  # SCE 1.0: the ticket is printed
        answer = _form_pay(waiter, order, quick=f"CARD:{order['total']}")
        assert answer.status_code == 200, answer.text
        number = int(answer.json()["go"].split("/pos/tickets/")[1].split("?")[0])
        payments = rt.pos.record(number)["event"]["payments"]
        assert [(p["method"].split("_")[0], p["amount"]) for p in payments] == [("CARD", order["total"])]
        assert _prints_of(rt, number) == 1
