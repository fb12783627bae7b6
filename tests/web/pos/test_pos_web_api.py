"""The JSON API over the real POS core and FDM emulators: each action, roles, exactly-once requests,
conflicts between terminals, FDM errors in plain words with the PIN pad flow."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pos_web_support import (
    INSPECTOR_PIN,
    MANAGER_PIN,
    ROBOT_KEY,
    WAITER2_PIN,
    WAITER_PIN,
    Api,
    clock_in,
    demo_runtime,
    key,
)
from sqlalchemy import func, select

from sce.db import tables as t
from sce.domain.money import Money
from sce.web.pos import charts
from sce.web.pos.app import create_app
from sce.web.pos.runtime import Runtime


@pytest.fixture(params=[1, 2], ids=["sce1", "sce2"])
def rt(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Runtime]:
    with demo_runtime(tmp_path, int(request.param)) as made:
        yield made


@pytest.fixture
def rt1(tmp_path: Path) -> Iterator[Runtime]:
    with demo_runtime(tmp_path, 1) as made:
        yield made


@pytest.fixture
def client(rt: Runtime) -> TestClient:
    return TestClient(create_app(rt))


def _count(rt: Runtime, table: str, **where: object) -> int:
    query = select(func.count()).select_from(getattr(t, table))
    for name, value in where.items():
        query = query.where(getattr(getattr(t, table).c, name) == value)
    with rt.engine.begin() as c:
        return int(c.execute(query).scalar_one())


def _open_table(api: Api, table: str = "5") -> dict[str, object]:
    return api.ok("/orders", {"table": table})


def test_table_service_from_order_to_paid_ticket(rt: Runtime, client: TestClient) -> None:
    """Rounds with a correction go to the kitchen, the floor shows the status, the bill is transferred,
    split and paid in cash and by card with a tip; the VAT ticket is built from the journal."""
    clock_in(client, WAITER_PIN, "T2")
    waiter = Api(client, WAITER_PIN, "T2")
    order = _open_table(waiter, "5")
    oid, version = str(order["order_id"]), int(str(order["version"]))
    order = waiter.ok(f"/orders/{oid}/items", {"version": version, "product_id": "BEER", "quantity": "2"})
    order = waiter.ok(
        f"/orders/{oid}/items",
        {
            "version": order["version"],
            "product_id": "STEAK",
            "modifier_ids": ["RARE"],
            "notes": ["no salt"],
            "seat": 1,
        },
    )
    order = waiter.ok(
        f"/orders/{oid}/items", {"version": order["version"], "product_id": "WINE_L", "quantity": "0,5"}
    )
    assert [line["quantity"] for line in order["lines"]] == ["2", "1", "0.5"]
    floor = waiter.get("/floor").json()
    assert next(x for x in floor["tables"] if x["id"] == "5")["status"] == "ordering"
    sent = waiter.ok(f"/orders/{oid}/rounds", {"version": order["version"]})
    assert sent["event"]["kind"] == "ORDER" and sent["printed"] == ["Bar", "Kitchen"]
    assert next(x for x in waiter.get("/floor").json()["tables"] if x["id"] == "5")["status"] == "waiting"
    cards = waiter.get("/kitchen").json()["cards"]
    steak = next(c for c in cards if c["station"] == "Kitchen")
    assert steak["lines"][0]["notes"] == ["no salt", "Saignant"] and steak["table"] == "5"
    assert any("STEAK" in job or "Steak" in job for _at, job in rt.kitchen.printers["Kitchen"].jobs)
    order = sent["order"]
    order = waiter.ok(
        f"/orders/{oid}/items", {"version": order["version"], "product_id": "SOUP", "quantity": "2"}
    )
    order = waiter.ok(
        f"/orders/{oid}/corrections", {"version": order["version"], "line_number": 4, "quantity": "1"}
    )
    assert order["lines"][-1]["reason"] == "CORRECTION" and order["lines"][-1]["quantity"] == "-1"
    second = waiter.ok(f"/orders/{oid}/rounds", {"version": order["version"]})
    bill = waiter.ok(f"/orders/{oid}/provisional-bill", {"version": second["order"]["version"]})
    assert bill["event"]["kind"] == "PRE_BILL"
    assert next(x for x in waiter.get("/floor").json()["tables"] if x["id"] == "5")["status"] == "bill"
    moved = waiter.ok(f"/orders/{oid}/transfer", {"version": bill["order"]["version"], "table": "7"})
    target = moved["order"]
    assert target["table"] == "7" and waiter.get(f"/orders/{oid}").json()["status"] == "moved"
    beer_line = next(line["number"] for line in target["lines"] if line["product_id"] == "BEER")
    split = waiter.ok(
        f"/orders/{target['order_id']}/split", {"version": target["version"], "lines": {beer_line: "1"}}
    )
    part = split["order"]
    assert part["total"] == "3.50"
    paid_part = waiter.ok(
        f"/orders/{part['order_id']}/payment",
        {"version": part["version"], "tenders": [{"method": "CASH", "amount": "5.00"}]},
    )
    assert paid_part["change"] == "1.50" and paid_part["kind"] == "SALE"
    rest = waiter.get(f"/orders/{target['order_id']}").json()
    shares = waiter.get(f"/orders/{target['order_id']}/equal-shares", params={"parts": 3}).json()["shares"]
    assert sum(Decimal(s) for s in shares) == Decimal(rest["total"])
    due = Decimal(rest["total"])
    paid = waiter.ok(
        f"/orders/{target['order_id']}/payment",
        {
            "version": rest["version"],
            "tenders": [
                {"method": "CASH", "amount": "20.00"},
                {"method": "CARD", "amount": str(due - 20 + 2)},
            ],
            "tips": [{"method": "CARD", "amount": "2.00"}],
        },
    )
    assert paid["label"] in ("NS", "N") and paid["change"] == "0.00"
    html = waiter.client.get(f"/api/v1/tickets/{paid['ticket_number']}/html", headers=waiter.headers).text
    assert "Steak" in html and ("BTW" in html or "TVA" in html)
    assert all(x["status"] == "free" for x in waiter.get("/floor").json()["tables"])
    printed = [text for _at, text in rt.tickets.printers["T2"].jobs]
    assert any("PROVISIONAL" in text or "VOORLOPIGE" in text for text in printed)
    assert "Steak" in printed[-1] and len(printed) == 3  # provisional bill, two VAT tickets


def test_nobody_sells_while_clocked_out(rt: Runtime, client: TestClient) -> None:
    waiter = Api(client, WAITER_PIN)
    answer = waiter.post("/orders", {"table": "3"})
    assert answer.status_code == 422
    assert answer.json()["error"]["rule"] == "NOT_CLOCKED_IN"
    assert "clock in" in answer.json()["error"]["message"]
    assert waiter.get("/me").json()["clocked_in"] is False


def test_login_and_roles_are_enforced_on_the_server(rt: Runtime, client: TestClient) -> None:
    assert client.get("/api/v1/floor").status_code == 401
    bad = client.post("/api/v1/session", json={"secret": "0000", "terminal_id": "T1"})
    assert bad.status_code == 401 and bad.json()["error"]["rule"] == "BAD_PIN"
    clock_in(client, WAITER_PIN)
    waiter = Api(client, WAITER_PIN)
    assert waiter.post("/reports", {"kind": "turnover", "mode": "Z"}).status_code == 403
    assert waiter.post("/money", {"amount": "-20.00", "reason": "bank"}).status_code == 403
    assert waiter.post("/training", {"on": True}).status_code == 403
    inspector = Api(client, INSPECTOR_PIN)
    assert inspector.role == "inspector"
    answer = inspector.post("/orders", {"table": "2"})
    assert answer.status_code == 403 and answer.json()["error"]["rule"] == "FORBIDDEN"
    assert inspector.post("/drawer", {}).status_code == 403
    assert inspector.get("/fdm").status_code == 200
    robot = Api(client, ROBOT_KEY, "KIOSK1")
    assert robot.role == "robot"
    clock_in(client, ROBOT_KEY, "KIOSK1")
    sale = robot.ok(
        "/quick-sale",
        {
            "items": [{"product_id": "COLA", "quantity": "2"}],
            "tenders": [{"method": "ONLINE", "amount": "6.40"}],
        },
    )
    record = rt.pos.record(sale["ticket_number"])
    assert record["event"]["employee_id"] == "00000000029"
    assert robot.post("/reports", {"kind": "turnover", "mode": "X"}).status_code == 403


def test_replayed_requests_create_nothing_twice(rt: Runtime, client: TestClient) -> None:
    clock_in(client, WAITER_PIN)
    waiter = Api(client, WAITER_PIN)
    opening = key()
    first = waiter.ok("/orders", {"table": "4"}, idem=opening)
    again = waiter.post("/orders", {"table": "4"}, idem=opening)
    assert (
        again.status_code == 200
        and again.json()["order_id"] == first["order_id"]
        and again.json()["replayed"]
    )
    assert _count(rt, "orders") == 1
    adding = key()
    body = {"version": first["version"], "product_id": "COLA"}
    one = waiter.ok(f"/orders/{first['order_id']}/items", body, idem=adding)
    two = waiter.ok(f"/orders/{first['order_id']}/items", body, idem=adding)
    assert len(one["lines"]) == len(two["lines"]) == 1
    paying = key()
    pay = {"version": one["version"], "tenders": [{"method": "CASH", "amount": "5.00"}]}
    paid = waiter.ok(f"/orders/{first['order_id']}/payment", pay, idem=paying)
    replay = waiter.ok(f"/orders/{first['order_id']}/payment", pay, idem=paying)
    assert replay["ticket_number"] == paid["ticket_number"]
    assert _count(rt, "journal", event_kind="SALE") == 1
    assert len(rt.tickets.printers["T1"].jobs) == 1  # printed once
    reused = waiter.post("/orders", {"table": "9"}, idem=paying)
    assert reused.status_code == 422 and reused.json()["error"]["rule"] == "KEY_REUSED"
    missing = client.post("/api/v1/orders", json={"table": "9"}, headers=waiter.headers)
    assert missing.status_code == 422  # the header is required by the OpenAPI contract
    short = waiter.post("/orders", {"table": "9"}, idem="x")
    assert short.status_code == 428


def test_exactly_once_and_conflicts_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    """The same guarantees on PostgreSQL (migration 0002 included)."""
    with demo_runtime(tmp_path, 2, db_url=postgres_url) as runtime:
        client = TestClient(create_app(runtime))
        clock_in(client, WAITER_PIN)
        waiter = Api(client, WAITER_PIN)
        opening = key()
        first = waiter.ok("/orders", {"table": "4"}, idem=opening)
        assert waiter.ok("/orders", {"table": "4"}, idem=opening)["order_id"] == first["order_id"]
        assert _count(runtime, "orders") == 1
        waiter.ok(f"/orders/{first['order_id']}/items", {"version": first["version"], "product_id": "COLA"})
        stale = waiter.post(
            f"/orders/{first['order_id']}/items", {"version": first["version"], "product_id": "COLA"}
        )
        assert stale.status_code == 409 and stale.json()["error"]["rule"] == "STALE_VERSION"


def test_two_terminals_on_one_table_get_a_clear_conflict(rt: Runtime, client: TestClient) -> None:
    clock_in(client, WAITER_PIN, "T2")
    clock_in(client, WAITER2_PIN, "T3")
    first = Api(client, WAITER_PIN, "T2")
    second = Api(client, WAITER2_PIN, "T3")
    order = _open_table(first, "6")
    oid, version = order["order_id"], order["version"]
    seen_by_second = second.get(f"/orders/{oid}").json()["version"]
    first.ok(f"/orders/{oid}/items", {"version": version, "product_id": "BEER"})
    late = second.post(f"/orders/{oid}/items", {"version": seen_by_second, "product_id": "COLA"})
    assert late.status_code == 409
    error = late.json()["error"]
    assert error["rule"] == "STALE_VERSION" and "another terminal" in error["message"]
    lines = second.get(f"/orders/{oid}").json()["lines"]
    assert [line["product_id"] for line in lines] == ["BEER"]
    stale_round = second.post(f"/orders/{oid}/rounds", {"version": seen_by_second})
    assert stale_round.status_code == 409


def test_refund_and_copy(rt: Runtime, client: TestClient) -> None:
    clock_in(client, MANAGER_PIN)
    manager = Api(client, MANAGER_PIN)
    sale = manager.ok(
        "/quick-sale",
        {
            "items": [{"product_id": "COLA"}, {"product_id": "MOUSSE"}],
            "tenders": [{"method": "CASH", "amount": "20"}],
        },
    )
    assert sale["change"] == "8.80"
    refunded = manager.ok(f"/tickets/{sale['ticket_number']}/refund", {"method": "CASH"})
    assert refunded["total"] == "-11.20" and refunded["label"] in ("NR", "N")
    again = manager.post(f"/tickets/{sale['ticket_number']}/refund", {"method": "CASH"})
    assert again.status_code == 422
    copy = manager.post(f"/tickets/{sale['ticket_number']}/copy")
    if rt.generation == 1:
        assert copy.status_code == 422 and copy.json()["error"]["rule"] == "COPY_NOT_ALLOWED"
        assert "SCE 1.0" in copy.json()["error"]["message"]
    else:
        assert copy.status_code == 200 and copy.json()["kind"] == "COPY"


def test_cash_training_and_reports(rt: Runtime, client: TestClient) -> None:
    clock_in(client, MANAGER_PIN)
    clock_in(client, WAITER_PIN)
    manager = Api(client, MANAGER_PIN)
    waiter = Api(client, WAITER_PIN)
    assert manager.ok("/drawer", {"reason": "change"})["kind"] == "DRAWER_OPEN"
    assert manager.ok("/money", {"amount": "100.00", "reason": "float"})["kind"] == "MONEY_IN_OUT"
    manager.ok("/training", {"on": True})
    assert manager.get("/me").json()["training"] is True
    trained = manager.ok(
        "/quick-sale", {"items": [{"product_id": "BEER"}], "tenders": [{"method": "CASH", "amount": "5"}]}
    )
    assert trained["training"] is True
    manager.ok("/training", {"on": False})
    order = _open_table(waiter, "8")
    waiter.ok(f"/orders/{order['order_id']}/items", {"version": order["version"], "product_id": "BEER"})
    waiter.ok(f"/orders/{order['order_id']}/rounds", {"version": order["version"] + 1})
    x = waiter.ok("/reports", {"kind": "turnover", "mode": "X"})
    assert x["reports"][-1]["kind"] == "REPORT_TURNOVER_X"
    blocked = manager.post("/reports", {"kind": "turnover", "mode": "Z"})
    assert blocked.status_code == 422 and blocked.json()["error"]["rule"] in (
        "OPEN_TABLES",
        "USERS_CLOCKED_IN",
    )
    current = waiter.get(f"/orders/{order['order_id']}").json()
    waiter.ok(
        f"/orders/{order['order_id']}/payment",
        {"version": current["version"], "tenders": [{"method": "CARD", "amount": "3.50"}]},
    )
    for pin in (WAITER_PIN, MANAGER_PIN):
        out = client.post(
            "/api/v1/clock", json={"secret": pin, "direction": "out"}, headers={"Idempotency-Key": key()}
        )
        assert out.status_code == 200, out.text
    z = manager.ok("/reports", {"kind": "turnover", "mode": "Z"})
    assert [r["kind"] for r in z["reports"]] == ["REPORT_TURNOVER_Z", "REPORT_USER_Z"]
    health = manager.get("/fdm").json()
    assert health["ready"] is True and health["pending"] == [] and health["numbers"]["ticket"] >= 10


def test_fdm_pin_needed_is_explained_and_the_waiting_event_is_sent_after_the_pin(tmp_path: Path) -> None:
    with demo_runtime(tmp_path, 1, unlock=False) as runtime:
        client = TestClient(create_app(runtime))
        waiter = Api(client, WAITER_PIN)
        answer = client.post(
            "/api/v1/clock",
            json={"secret": WAITER_PIN, "terminal_id": "T1", "direction": "in"},
            headers={"Idempotency-Key": key()},
        )
        assert answer.status_code == 503
        error = answer.json()["error"]
        assert error["action"] == "enter_pin" and "PIN" in error["message"]
        assert waiter.post("/fdm/unlock", {"pin": "99999"}).status_code in (422, 503)
        unlocked = waiter.ok("/fdm/unlock", {"pin": "12345"})
        assert unlocked["ready"] is True
        assert waiter.get("/me").json()["clocked_in"] is (error["pending"] is True)
        if not waiter.get("/me").json()["clocked_in"]:
            clock_in(client, WAITER_PIN)
        assert waiter.ok("/orders", {"table": "1"})["table"] == "1"


def test_browser_forms_need_the_session_and_its_csrf_token(rt1: Runtime) -> None:
    client = TestClient(create_app(rt1))
    login_page = client.get("/")
    assert login_page.status_code == 200 and "Log in" in login_page.text
    assert "default-src 'self'" in login_page.headers["content-security-policy"]
    assert login_page.headers["x-content-type-options"] == "nosniff"
    token = client.cookies.get("sce_login_csrf")
    refused = client.post("/login", data={"pin": MANAGER_PIN, "csrf": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    done = client.post(
        "/clock",
        data={"pin": MANAGER_PIN, "csrf": token, "direction": "in", "idem": key()},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/pos/floor"
    no_csrf = client.post("/pos/orders", data={"table": "3", "idem": key()}, follow_redirects=False)
    assert no_csrf.status_code == 403
    floor = client.get("/pos/floor")
    csrf = floor.text.split('data-csrf="')[1].split('"')[0]
    made = client.post(
        "/pos/orders", data={"table": "3", "idem": key(), "csrf": csrf}, follow_redirects=False
    )
    assert made.status_code == 303 and made.headers["location"].startswith("/pos/orders/order-")


def test_every_screen_renders_for_its_roles(rt1: Runtime) -> None:
    client = TestClient(create_app(rt1))
    clock_in(client, MANAGER_PIN)
    manager = Api(client, MANAGER_PIN)
    sale = manager.ok(
        "/quick-sale", {"items": [{"product_id": "BEER"}], "tenders": [{"method": "CASH", "amount": "5"}]}
    )
    report = manager.ok("/reports", {"kind": "user", "mode": "X"})["reports"][-1]["ticket_number"]
    client.cookies.set("sce_session", manager.token)
    for path in (
        "/pos/floor",
        "/pos/tickets",
        f"/pos/tickets/{sale['ticket_number']}",
        f"/pos/tickets/{sale['ticket_number']}/print",
        "/pos/cash",
        f"/pos/reports/{report}",
        "/pos/printers",
        "/kitchen",
        "/office",
        "/office/products",
        "/office/staff",
        "/office/terminals",
        "/office/fdm",
        "/office/reports",
        "/office/journal",
        "/office/config-log",
        "/office/journal/export",
    ):
        answer = client.get(path)
        assert answer.status_code == 200, path
    assert "<svg" in client.get("/office/reports").text
    waiter = Api(client, WAITER_PIN)
    client.cookies.set("sce_session", waiter.token)
    assert client.get("/office/journal").status_code == 403
    client.cookies.clear()
    assert client.get("/pos/floor", follow_redirects=False).status_code == 303


def _leaves(value: object, *, skip: tuple[str, ...]) -> list[str]:
    """Every scalar of a JSON value as text, leaving out the keys ``skip``."""
    if isinstance(value, dict):
        return [leaf for k, v in value.items() if k not in skip for leaf in _leaves(v, skip=skip)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item, skip=skip)]
    return [str(value)]


def test_staff_and_products_are_validated_and_logged(rt1: Runtime) -> None:
    client = TestClient(create_app(rt1))
    manager = Api(client, MANAGER_PIN)
    bad = manager.client.post(
        "/office/staff",
        data={"employee_id": "12345678901", "alias": "X", "role": "waiter", "pin": "5555", "idem": key()},
        headers={"X-CSRF-Token": "", "X-SCE-Fetch": "1", "Authorization": f"Bearer {manager.token}"},
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "employee_id"
    good = manager.client.post(
        "/office/staff",
        data={"employee_id": "75010112371", "alias": "Dirk", "role": "waiter", "pin": "5555", "idem": key()},
        headers={"X-SCE-Fetch": "1", "Authorization": f"Bearer {manager.token}"},
    )
    assert good.status_code == 200, good.text
    assert Api(client, "5555").role == "waiter"
    taken = manager.client.post(
        "/office/staff",
        data={"employee_id": "85073003328", "alias": "Anna", "role": "manager", "pin": "2222", "idem": key()},
        headers={"X-SCE-Fetch": "1", "Authorization": f"Bearer {manager.token}"},
    )
    assert taken.status_code == 422 and taken.json()["error"]["rule"] == "TAKEN"
    price = manager.client.post(
        "/office/products",
        data={
            "id": "BEER",
            "name_NL": "Pils",
            "department_id": "DRINKS",
            "price": "3,80",
            "vat_eat_in": "A",
            "vat_take_away": "A",
            "unit": "unit",
            "idem": key(),
        },
        headers={"X-SCE-Fetch": "1", "Authorization": f"Bearer {manager.token}"},
    )
    assert price.status_code == 200, price.text
    assert (
        next(
            p for d in manager.get("/menu").json()["departments"] for p in d["products"] if p["id"] == "BEER"
        )["price"]
        == "3.80"
    )
    with rt1.engine.begin() as c:
        entries = c.execute(
            select(t.config_log.c.entity, t.config_log.c.employee_id, t.config_log.c.body)
        ).all()
    assert ("employee", "85073003328") in [(e, by) for e, by, _body in entries]
    # the PIN is no value of the log (ids, hashes and times are random digits: "5555" may occur in them)
    stamps = ("hash", "prev_hash", "recorded_at")
    values = [v for _e, _by, body in entries for v in _leaves(json.loads(body), skip=stamps)]
    assert values and "5555" not in values
    secrets = [
        side[key]
        for e, _by, body in entries
        if e == "employee"
        for side in (json.loads(body).get("before") or {}, json.loads(body).get("after") or {})
        for key in ("pin_hash", "badge_hash")
        if side.get(key)
    ]
    assert secrets and set(secrets) == {"***"}, "the log keeps no PIN or badge hash, only that one is set"
    dirk = next(json.loads(body) for e, _by, body in entries if e == "employee" and "Dirk" in body)
    assert dirk["after"]["pin_hash"] == "***"


def test_the_report_page_charts_agree_with_the_x_report(rt: Runtime, client: TestClient) -> None:
    """The back office's charts use the turnover report's own rules: refunds and tips included,
    training left out, the same departments and payment methods as the signed X report."""
    clock_in(client, MANAGER_PIN)
    manager = Api(client, MANAGER_PIN)
    sale = manager.ok(
        "/quick-sale",
        {
            "items": [{"product_id": "COLA"}, {"product_id": "MOUSSE"}],
            "tenders": [{"method": "CARD", "amount": "11.20"}],
        },
    )
    manager.ok(
        "/quick-sale", {"items": [{"product_id": "BEER"}], "tenders": [{"method": "CASH", "amount": "5"}]}
    )
    manager.ok(f"/tickets/{sale['ticket_number']}/refund", {"method": "CASH"})
    manager.ok("/training", {"on": True})
    manager.ok(
        "/quick-sale", {"items": [{"product_id": "BEER"}], "tenders": [{"method": "CASH", "amount": "5"}]}
    )
    manager.ok("/training", {"on": False})
    x = manager.ok("/reports", {"kind": "turnover", "mode": "X"})["reports"][-1]
    report = rt.pos.record(int(x["ticket_number"]))["pos"]["report"]
    figures = charts.sales_figures(rt.pos, period_id=report["period_id"])
    assert figures["count"] == 3 and figures["total"] == "3.50"  # 11.20 + 3.50 - 11.20
    assert sum(figures["hours"].values()) == 350
    assert figures["methods"] == {"CASH": 350 - 1120, "CARD_UNKNOWN": 1120}
    assert sum(figures["departments"].values()) == 350
    assert (report["sales"]["count"], report["sales"]["amount"]) == (figures["count"], figures["total"])
    paid = {p["method"]: p["amount"] for p in report["payments"]}
    assert paid == {"CASH": "-7.70", "CARD_UNKNOWN": "11.20"}
    assert {d["name"]: d["amount"] for d in report["departments"]} == {
        name: str(Money(cents)) for name, cents in figures["departments"].items()
    }


def test_training_mode_of_one_user_follows_them_to_every_terminal(rt: Runtime, client: TestClient) -> None:
    clock_in(client, MANAGER_PIN)
    clock_in(client, WAITER_PIN, "T2")
    manager = Api(client, MANAGER_PIN)
    waiter = Api(client, WAITER_PIN, "T2")
    trainee = waiter.get("/me").json()["employee_id"]
    assert waiter.post("/training", {"on": True, "employee_id": trainee}).status_code == 403  # managers only
    unknown = manager.post("/training", {"on": True, "employee_id": "00000000128"})
    assert unknown.status_code == 404 and unknown.json()["error"]["rule"] == "UNKNOWN_EMPLOYEE"
    assert manager.ok("/training", {"on": True, "employee_id": trainee}) == {
        "employee_id": trainee,
        "training": True,
    }
    assert waiter.get("/me").json()["training"] is True
    assert Api(client, WAITER_PIN, "T3").get("/me").json()["training"] is True  # on any terminal
    assert manager.get("/me").json()["training"] is False  # the others stay live
    trained = waiter.ok(
        "/quick-sale", {"items": [{"product_id": "BEER"}], "tenders": [{"method": "CASH", "amount": "5"}]}
    )
    assert trained["training"] is True
    client.cookies.set("sce_session", manager.token)
    assert "TRAINING" in client.get("/office/staff").text
    manager.ok("/training", {"on": False, "employee_id": trainee})
    live = waiter.ok(
        "/quick-sale", {"items": [{"product_id": "BEER"}], "tenders": [{"method": "CASH", "amount": "5"}]}
    )
    assert live["training"] is False
