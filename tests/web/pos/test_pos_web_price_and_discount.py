"""Price changes, discounts, "on the house", payment method corrections and invoices through the JSON API
and the touch screens, over the real POS core and both FDM emulators: what the journal and the X report
hold afterwards, roles, exactly-once requests and the errors naming their field."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pos_web_support import MANAGER_PIN, WAITER_PIN, Api, clock_in, demo_runtime, key
from sqlalchemy import func, select

from sce.db import tables as t
from sce.tickets.i18n import TicketLanguage, parse_language
from sce.tickets.layout import NOT_VALID
from sce.web.pos.app import create_app
from sce.web.pos.runtime import Runtime


@pytest.fixture(params=[1, 2], ids=["sce1", "sce2"])
def rt(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Runtime]:
    with demo_runtime(tmp_path, int(request.param)) as made:
        yield made


@pytest.fixture
def client(rt: Runtime) -> TestClient:
    return TestClient(create_app(rt))


@pytest.fixture
def manager(client: TestClient) -> Api:
    clock_in(client, MANAGER_PIN)
    return Api(client, MANAGER_PIN)


def _count(rt: Runtime, kind: str) -> int:
    query = select(func.count()).select_from(t.journal).where(t.journal.c.event_kind == kind)
    with rt.engine.begin() as c:
        return int(c.execute(query).scalar_one())


def _order(api: Api, table: str, *items: tuple[str, str]) -> dict[str, Any]:
    order = api.ok("/orders", {"table": table})
    for product, quantity in items:
        order = api.ok(
            f"/orders/{order['order_id']}/items",
            {"version": order["version"], "product_id": product, "quantity": quantity},
        )
    return order


def _line(order: dict[str, Any], product: str) -> int:
    return int(next(line["number"] for line in order["lines"] if line["product_id"] == product))


def _pay(api: Api, order: dict[str, Any], method: str = "CARD") -> dict[str, Any]:
    return api.ok(
        f"/orders/{order['order_id']}/payment",
        {"version": order["version"], "tenders": [{"method": method, "amount": order["total"]}]},
    )


def _x_report(api: Api, rt: Runtime) -> dict[str, Any]:
    made = api.ok("/reports", {"kind": "turnover", "mode": "X"})["reports"][-1]
    report: dict[str, Any] = rt.pos.record(int(made["ticket_number"]))["pos"]["report"]
    return report


def _quick(api: Api, product: str, amount: str, method: str = "CASH") -> dict[str, Any]:
    return api.ok(
        "/quick-sale", {"items": [{"product_id": product}], "tenders": [{"method": method, "amount": amount}]}
    )


def test_a_price_change_is_paid_as_a_price_change_line_and_a_new_price(
    rt: Runtime, manager: Api, client: TestClient
) -> None:
    order = _order(manager, "5", ("BEER", "2"), ("COLA", "1"))
    beer = _line(order, "BEER")
    changed = manager.ok(
        f"/orders/{order['order_id']}/lines/{beer}/price", {"version": order["version"], "unit_price": "3,00"}
    )
    assert changed["version"] == order["version"] + 1
    out, back = changed["lines"][-2], changed["lines"][-1]
    assert (out["reason"], out["corrects"], out["quantity"], out["total"]) == (
        "PRICE_CHANGE",
        beer,
        "-2",
        "-7.00",
    )
    assert (back["product_id"], back["quantity"], back["unit_price"], back["reason"]) == (
        "BEER",
        "2",
        "3.00",
        None,
    )
    assert changed["total"] == "9.20"  # 2 x 3.00 + 3.20
    paid = _pay(manager, changed)
    sale = rt.pos.record(paid["ticket_number"])["event"]
    assert sale["kind"] == "SALE" and sale["total"] == "9.20"
    price_lines = [line for line in sale["lines"] if line["neg_reason"] == "PRICE_CHANGE"]
    assert len(price_lines) == 1 and Decimal(price_lines[0]["line_total"]) == Decimal("-7.00")
    assert Decimal(price_lines[0]["unit_price"]) == Decimal("3.50")
    new_beer = [
        line for line in sale["lines"] if line["product_id"] == "BEER" and Decimal(line["quantity"]) > 0
    ]
    assert sorted(Decimal(line["unit_price"]) for line in new_beer) == [Decimal("3.00"), Decimal("3.50")]
    assert sum(Decimal(line["line_total"]) for line in sale["lines"]) == Decimal("9.20")
    corrections = {c["reason"]: c for c in _x_report(manager, rt)["corrections"]}
    assert corrections["PRICE_CHANGE"] == {"reason": "PRICE_CHANGE", "count": 1, "amount": "-7.00"}


def test_discounts_by_amount_by_percent_and_on_the_house(rt: Runtime, manager: Api) -> None:
    order = _order(manager, "6", ("BEER", "2"), ("STEAK", "1"), ("COLA", "1"))
    oid = order["order_id"]
    beer, steak, cola = _line(order, "BEER"), _line(order, "STEAK"), _line(order, "COLA")
    order = manager.ok(
        f"/orders/{oid}/lines/{beer}/discount", {"version": order["version"], "amount": "1.00"}
    )
    order = manager.ok(
        f"/orders/{oid}/lines/{steak}/discount", {"version": order["version"], "percent": "10"}
    )
    order = manager.ok(
        f"/orders/{oid}/lines/{cola}/discount", {"version": order["version"], "percent": "100"}
    )
    discounts = [line for line in order["lines"] if line["reason"] == "DISCOUNT"]
    assert [(d["discount_of"], d["total"], d["vat"]) for d in discounts] == [
        (beer, "-1.00", "A"),
        (steak, "-2.65", "B"),
        (cola, "-3.20", "A"),
    ]
    assert order["total"] == "29.85"  # 7.00 - 1.00 + 26.50 - 2.65 + 3.20 - 3.20
    again = manager.post(
        f"/orders/{oid}/lines/{cola}/discount", {"version": order["version"], "percent": "100"}
    )
    assert again.status_code == 422 and again.json()["error"]["field"] == "amount"  # nothing left to give
    paid = _pay(manager, order)
    sale = rt.pos.record(paid["ticket_number"])["event"]
    assert sale["total"] == "29.85"
    signed = sorted(
        (line["vat"], Decimal(line["line_total"]))
        for line in sale["lines"]
        if line["neg_reason"] == "DISCOUNT"
    )
    assert signed == [("A", Decimal("-3.20")), ("A", Decimal("-1.00")), ("B", Decimal("-2.65"))]
    report = _x_report(manager, rt)
    assert report["discounts"] == {"count": 3, "amount": "-6.85"}
    assert report["sales"]["amount"] == "29.85"
    vat = {row["letter"]: Decimal(row["total"]) for row in report["vat"]}
    assert vat == {"A": Decimal("6.00"), "B": Decimal("23.85")}


def test_only_a_manager_changes_prices_discounts_payments_and_invoices(
    rt: Runtime, client: TestClient
) -> None:
    clock_in(client, WAITER_PIN)
    waiter = Api(client, WAITER_PIN)
    order = _order(waiter, "7", ("BEER", "1"))
    oid, version, line = order["order_id"], order["version"], _line(order, "BEER")
    sale = _quick(waiter, "COLA", "3.20")
    for path, body in (
        (f"/orders/{oid}/lines/{line}/price", {"version": version, "unit_price": "1.00"}),
        (f"/orders/{oid}/lines/{line}/discount", {"version": version, "amount": "1.00"}),
        (f"/orders/{oid}/lines/{line}/discount", {"version": version, "percent": "100"}),
        (
            f"/tickets/{sale['ticket_number']}/payment-correction",
            {"tenders": [{"method": "CARD", "amount": "3.20"}]},
        ),
        ("/invoices", {"ticket_numbers": [sale["ticket_number"]], "customer": {"name": "X", "address": "Y"}}),
    ):
        answer = waiter.post(path, body)
        assert answer.status_code == 403, path
        assert answer.json()["error"]["rule"] == "FORBIDDEN" and answer.json()["error"]["field"] == "role"
    assert waiter.get(f"/orders/{oid}").json()["version"] == version
    assert _count(rt, "PAYMENT_CORRECTION") == _count(rt, "INVOICE") == 0


def test_replayed_keys_change_prices_and_give_discounts_once(rt: Runtime, manager: Api) -> None:
    order = _order(manager, "8", ("BEER", "3"))
    oid, beer = order["order_id"], _line(order, "BEER")
    pricing = key()
    body = {"version": order["version"], "unit_price": "3.00"}
    first = manager.ok(f"/orders/{oid}/lines/{beer}/price", body, idem=pricing)
    replay = manager.post(f"/orders/{oid}/lines/{beer}/price", body, idem=pricing)
    assert replay.status_code == 200 and replay.json()["replayed"] is True
    assert len(replay.json()["lines"]) == len(first["lines"]) == 3
    giving = key()
    gift = {"version": first["version"], "percent": "100"}
    new_beer = first["lines"][-1]["number"]
    given = manager.ok(f"/orders/{oid}/lines/{new_beer}/discount", gift, idem=giving)
    manager.ok(f"/orders/{oid}/lines/{new_beer}/discount", gift, idem=giving)
    current = manager.get(f"/orders/{oid}").json()
    assert current["version"] == given["version"] and current["total"] == "0.00"
    assert [line["reason"] for line in current["lines"]].count("DISCOUNT") == 1
    sale = _pay(manager, current, "CASH")
    assert sale["total"] == "0.00"
    correcting = key()
    fix = {"tenders": [{"method": "CARD", "amount": "3.50"}]}
    paid = _quick(manager, "BEER", "3.50")
    corrected = manager.ok(f"/tickets/{paid['ticket_number']}/payment-correction", fix, idem=correcting)
    again = manager.ok(f"/tickets/{paid['ticket_number']}/payment-correction", fix, idem=correcting)
    assert again["ticket_number"] == corrected["ticket_number"] and again["replayed"] is True
    assert _count(rt, "PAYMENT_CORRECTION") == 1
    invoicing = key()
    invoice = {
        "ticket_numbers": [paid["ticket_number"]],
        "customer": {"name": "Bedrijf NV", "address": "Markt 1, Gent"},
    }
    one = manager.ok("/invoices", invoice, idem=invoicing)
    two = manager.ok("/invoices", invoice, idem=invoicing)
    assert one["invoice_number"] == two["invoice_number"] == "1" and _count(rt, "INVOICE") == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("price", {"unit_price": "-1.00"}, "unit_price"),
        ("price", {"unit_price": "abc"}, "unit_price"),
        ("price", {"unit_price": "3.50"}, "unit_price"),  # unchanged
        ("discount", {"percent": "0"}, "percent"),
        ("discount", {"percent": "150"}, "percent"),
        ("discount", {"percent": "12.345"}, "percent"),
        ("discount", {"amount": "1.00", "percent": "10"}, "amount"),
        ("discount", {}, "amount"),
        ("discount", {"amount": "-1.00"}, "amount"),
        ("discount", {"amount": "99.00"}, "amount"),
    ],
)
def test_bad_prices_and_discounts_are_refused_naming_the_field(
    rt: Runtime, manager: Api, path: str, body: dict[str, str], field: str
) -> None:
    order = _order(manager, "9", ("BEER", "2"))
    answer = manager.post(
        f"/orders/{order['order_id']}/lines/{_line(order, 'BEER')}/{path}",
        {"version": order["version"], **body},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    assert manager.get(f"/orders/{order['order_id']}").json()["version"] == order["version"]


def test_unknown_lines_and_other_tables_answer_in_words(rt: Runtime, manager: Api) -> None:
    order = _order(manager, "10", ("BEER", "1"))
    oid = order["order_id"]
    unknown = manager.post(f"/orders/{oid}/lines/9/discount", {"version": order["version"], "amount": "1"})
    assert unknown.status_code == 422 and unknown.json()["error"]["rule"] == "UNKNOWN_LINE"
    manager.ok(f"/orders/{oid}/items", {"version": order["version"], "product_id": "COLA"})
    stale = manager.post(f"/orders/{oid}/lines/1/price", {"version": order["version"], "unit_price": "1.00"})
    assert stale.status_code == 409 and stale.json()["error"]["rule"] == "STALE_VERSION"


def test_a_payment_correction_moves_the_x_report_payments(rt: Runtime, manager: Api) -> None:
    sale = _quick(manager, "BEER", "3.50", "CASH")
    _quick(manager, "COLA", "3.20", "CARD")
    before = {p["method"]: p["amount"] for p in _x_report(manager, rt)["payments"]}
    assert before == {"CASH": "3.50", "CARD_UNKNOWN": "3.20"}
    wrong = manager.post(
        f"/tickets/{sale['ticket_number']}/payment-correction",
        {"tenders": [{"method": "CARD", "amount": "3.00"}]},
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["rule"] == "SUM_MISMATCH"
    assert wrong.json()["error"]["field"] == "tenders"
    fixed = manager.ok(
        f"/tickets/{sale['ticket_number']}/payment-correction",
        {"tenders": [{"method": "CARD", "amount": "3.50"}]},
    )
    assert fixed["kind"] == "PAYMENT_CORRECTION" and fixed["original_ticket"] == sale["ticket_number"]
    assert [(p["method"], p["amount"]) for p in fixed["payments"]] == [
        ("CASH", "-3.50"),
        ("CARD_UNKNOWN", "3.50"),
    ]
    record = rt.pos.record(fixed["ticket_number"])
    assert (
        record["event"]["kind"] == "PAYMENT_CORRECTION"
        and record["pos"]["original_ticket"] == sale["ticket_number"]
    )
    if rt.generation == 2:
        assert fixed["label"] == "F" and record["fdm"]["signature"]
        assert record["event"]["reference"] is not None
    else:
        assert fixed["label"] is None and record["fdm"] is None  # journal-only on SCE 1.0
    after = _x_report(manager, rt)
    assert {p["method"]: p["amount"] for p in after["payments"]} == {"CASH": "0.00", "CARD_UNKNOWN": "6.70"}
    assert after["sales"] == {"count": 2, "amount": "6.70"}  # the turnover does not change
    refund = manager.post(
        f"/tickets/{fixed['ticket_number']}/payment-correction",
        {"tenders": [{"method": "CASH", "amount": "3.50"}]},
    )
    assert refund.status_code == 422 and refund.json()["error"]["rule"] == "NOT_A_SALE"


def test_invoices_have_their_own_numbers(rt: Runtime, manager: Api) -> None:
    first = _quick(manager, "BEER", "3.50")
    second = _quick(manager, "COLA", "3.20", "CARD")
    third = _quick(manager, "BEER", "3.50")
    customer = {"name": "Bedrijf NV", "address": "Markt 1, 9000 Gent", "vat_no": "BE 0477.472.701"}
    one = manager.ok(
        "/invoices",
        {"ticket_numbers": [first["ticket_number"], second["ticket_number"]], "customer": customer},
    )
    assert one["kind"] == "INVOICE" and one["invoice_number"] == "1"
    assert one["amount"] == "6.70" and one["tickets"] == [first["ticket_number"], second["ticket_number"]]
    record = rt.pos.record(one["ticket_number"])
    assert record["event"]["invoice_number"] == "1" and record["event"]["customer_vat_no"] == "BE0477472701"
    assert record["pos"]["customer"]["name"] == "Bedrijf NV"
    assert len(record["event"]["references"]) == 2  # the two signed VAT tickets
    if rt.generation == 2:
        assert record["fdm"] is not None and one["label"]
    assert one["ticket_number"] > third["ticket_number"]  # the POS series goes on
    two = manager.ok(
        "/invoices", {"ticket_numbers": [third["ticket_number"]], "customer": {**customer, "vat_no": ""}}
    )
    assert two["invoice_number"] == "2" and two["ticket_number"] == one["ticket_number"] + 1
    twice = manager.post("/invoices", {"ticket_numbers": [first["ticket_number"]], "customer": customer})
    assert twice.status_code == 422 and twice.json()["error"]["rule"] == "ALREADY_INVOICED"
    fresh = _quick(manager, "BEER", "3.50")
    for body, field in (
        ({"address": "Markt 1"}, "customer.name"),
        ({"name": "  ", "address": "Markt 1"}, "customer.name"),
        ({"name": "Bedrijf NV"}, "customer.address"),
        ({**customer, "vat_no": "BE0477472702"}, "customer.vat_no"),
        ({**customer, "vat_no": "12"}, "customer.vat_no"),
        ({**customer, "vat_no": "NL004495446B01"}, "customer.vat_no"),
    ):
        answer = manager.post("/invoices", {"ticket_numbers": [fresh["ticket_number"]], "customer": body})
        assert answer.status_code == 422, body
        assert answer.json()["error"]["field"] == field
    foreign = manager.ok(
        "/invoices",
        {"ticket_numbers": [fresh["ticket_number"]], "customer": {**customer, "vat_no": "NL 0044.95.445B01"}},
    )
    assert foreign["invoice_number"] == "3" and foreign["customer"]["vat_no"] == "NL004495445B01"
    assert _x_report(manager, rt)["invoices"] == {"count": 3, "amount": "13.70"}


def test_the_screens_offer_them_to_the_manager_only(rt: Runtime, client: TestClient) -> None:
    clock_in(client, MANAGER_PIN)
    clock_in(client, WAITER_PIN)
    manager = Api(client, MANAGER_PIN)
    waiter = Api(client, WAITER_PIN)
    order = _order(manager, "11", ("BEER", "2"), ("STEAK", "1"))
    oid = order["order_id"]
    beer, steak = _line(order, "BEER"), _line(order, "STEAK")
    client.cookies.set("sce_session", manager.token)
    page = client.get(f"/pos/orders/{oid}").text
    for testid in (f"price-{beer}", f"discount-{beer}", f"house-{beer}", f"house-{steak}"):
        assert f'data-testid="{testid}"' in page
    fetch = {"X-SCE-Fetch": "1", "Authorization": f"Bearer {manager.token}"}
    house = client.post(
        f"/pos/orders/{oid}/lines/{steak}/discount",
        data={"version": order["version"], "percent": "100", "idem": key()},
        headers=fetch,
    )
    assert house.status_code == 200 and house.json()["go"] == f"/pos/orders/{oid}"
    assert house.json()["total"] == "7.00"
    percent = client.post(
        f"/pos/orders/{oid}/lines/{beer}/discount",
        data={"version": house.json()["version"], "value": "50", "kind": "percent", "idem": key()},
        headers=fetch,
    )
    assert percent.status_code == 200 and percent.json()["total"] == "3.50"
    price = client.post(
        f"/pos/orders/{oid}/lines/{beer}/price",
        data={"version": percent.json()["version"], "unit_price": "-2", "idem": key()},
        headers=fetch,
    )
    assert price.status_code == 422 and price.json()["error"]["field"] == "unit_price"
    page = client.get(f"/pos/orders/{oid}").text
    assert page.count("discount of line") == 2 and "€ 3.50" in page
    assert f'data-testid="house-{steak}"' in page  # the steak stays an item; its discount is its own line
    client.cookies.set("sce_session", waiter.token)
    assert 'data-testid="house-' not in client.get(f"/pos/orders/{oid}").text
    current = manager.get(f"/orders/{oid}").json()
    sale = _pay(manager, current)
    number = sale["ticket_number"]
    assert "payment-correction-panel" not in client.get(f"/pos/tickets/{number}").text
    client.cookies.set("sce_session", manager.token)
    ticket_page = client.get(f"/pos/tickets/{number}").text
    assert (
        'data-testid="payment-correction-panel"' in ticket_page
        and 'data-testid="invoice-panel"' in ticket_page
    )
    corrected = client.post(
        f"/pos/tickets/{number}/payment-correction",
        data={"method-1": "CASH", "amount-1": "1.50", "method-2": "CARD", "amount-2": "2.00", "idem": key()},
        headers=fetch,
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["go"] == f"/pos/tickets/{corrected.json()['ticket_number']}"
    assert [(p["method"], p["amount"]) for p in corrected.json()["payments"]] == [
        ("CARD_UNKNOWN", "-3.50"),
        ("CARD_UNKNOWN", "2.00"),
        ("CASH", "1.50"),
    ]
    invoiced = client.post(
        f"/pos/tickets/{number}/invoice",
        data={"name": "Bedrijf NV", "address": "Markt 1, 9000 Gent", "vat_no": "BE0477472701", "idem": key()},
        headers=fetch,
    )
    assert invoiced.status_code == 200, invoiced.text
    shown = client.get(invoiced.json()["go"]).text
    assert 'data-testid="invoice-info"' in shown and "Bedrijf NV" in shown and "BE0477472701" in shown
    missing = client.post(
        f"/pos/tickets/{number}/invoice", data={"name": "", "address": "x", "idem": key()}, headers=fetch
    )
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "customer.name"


def _screen_prints(rt: Runtime, terminal: str = "T1") -> list[str]:
    return [text for _at, text in rt.tickets.printers[terminal].jobs]


def test_an_invoice_for_two_tickets_is_printed_once_with_every_mention(
    rt: Runtime, manager: Api, client: TestClient
) -> None:
    first = _order(manager, "21", ("BEER", "2"), ("STEAK", "1"))
    first_sale = _pay(manager, first)
    second_sale = _quick(manager, "COLA", "3.20", "CARD")
    numbers = [first_sale["ticket_number"], second_sale["ticket_number"]]
    names = [line["name"] for n in numbers for line in rt.pos.record(n)["event"]["lines"]]
    assert len(names) == 3
    customer = {"name": "Bedrijf NV", "address": "Markt 1, 9000 Gent", "vat_no": "BE 0477.472.701"}
    before = len(_screen_prints(rt))
    invoicing = key()
    made = manager.ok("/invoices", {"ticket_numbers": numbers, "customer": customer}, idem=invoicing)
    again = manager.ok("/invoices", {"ticket_numbers": numbers, "customer": customer}, idem=invoicing)
    assert again["ticket_number"] == made["ticket_number"]
    printed = _screen_prints(rt)[before:]
    words = TicketLanguage(parse_language(rt.pos.site().language.value))
    invoices = [text for text in printed if text.splitlines()[0].strip() == words("INVOICE")]
    assert len(printed) == len(invoices) == 1, printed  # the invoice, once; no other print
    text = invoices[0]
    lines = text.splitlines()
    assert any(
        line.startswith(words("Invoice no.")) and line.endswith(f" {made['invoice_number']}")
        for line in lines
    )
    assert "BE0477472701" in text and "Bedrijf NV" in text and "Markt 1, 9000 Gent" in text
    assert f"{numbers[0]}, {numbers[1]}" in text
    for name in names:
        assert name in text, name
    assert made["amount"] in text.replace(",", ".")
    last_rule = max(i for i, line in enumerate(lines) if line.startswith("---"))
    assert " ".join(line.strip() for line in lines[last_rule + 1 :]) == words(NOT_VALID)
    for secret in ("Signature", "Short signature", "Verify this ticket"):
        assert words(secret) not in text
    assert rt.tickets.load_ticket is not None  # what a restart reloads to print what waited
    reloaded = rt.tickets.load_ticket(made["ticket_number"])
    assert reloaded.invoice_number == made["invoice_number"] and len(reloaded.invoiced) == 2
    client.cookies.set("sce_session", manager.token)
    shown = client.get(f"/pos/tickets/{made['ticket_number']}/print")
    assert shown.status_code == 200 and "BE0477472701" in shown.text
    assert all(name in shown.text.replace("&amp;", "&") for name in names)
    api_html = manager.get(f"/tickets/{made['ticket_number']}/html")
    assert api_html.status_code == 200 and "Bedrijf NV" in api_html.text
    page = client.get(f"/pos/tickets/{made['ticket_number']}").text
    assert (
        f'href="/pos/tickets/{made["ticket_number"]}/print"' in page and 'data-testid="print-invoice"' in page
    )
    sold = client.get(f"/pos/tickets/{numbers[1]}").text
    assert 'data-testid="invoiced-by"' in sold and f"/pos/tickets/{made['ticket_number']}/print" in sold
    assert 'data-testid="invoice-panel"' not in sold  # invoiced once


def test_the_invoice_form_takes_other_tickets_and_names_the_field_when_they_are_not_numbers(
    rt: Runtime, manager: Api, client: TestClient
) -> None:
    first = _quick(manager, "BEER", "3.50")
    second = _quick(manager, "COLA", "3.20", "CARD")
    fetch = {"X-SCE-Fetch": "1", "Authorization": f"Bearer {manager.token}"}
    client.cookies.set("sce_session", manager.token)
    page = client.get(f"/pos/tickets/{first['ticket_number']}").text
    assert 'data-testid="invoice-other-tickets"' in page
    form = {"name": "Bedrijf NV", "address": "Markt 1, 9000 Gent", "vat_no": "BE0477472701"}
    for wrong in ("twelve", "12a", "-3", "1.5"):
        refused = client.post(
            f"/pos/tickets/{first['ticket_number']}/invoice",
            data={**form, "other_tickets": wrong, "idem": key()},
            headers=fetch,
        )
        assert refused.status_code == 422, wrong
        assert refused.json()["error"]["field"] == "other_tickets"
    assert _count(rt, "INVOICE") == 0
    before = len(_screen_prints(rt))
    made = client.post(
        f"/pos/tickets/{first['ticket_number']}/invoice",
        data={**form, "other_tickets": f" {second['ticket_number']}, ", "idem": key()},
        headers=fetch,
    )
    assert made.status_code == 200, made.text
    assert made.json()["tickets"] == [first["ticket_number"], second["ticket_number"]]
    printed = _screen_prints(rt)[before:]
    assert len(printed) == 1 and f"{first['ticket_number']}, {second['ticket_number']}" in printed[0]
