"""The demo restaurant for ``sce serve --demo``: menu, tables, staff with PINs (printed at start), a kiosk
channel key, kitchen and bar stations on screen printers, terminals, and a few days of history."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sce.domain.identifiers import ONLINE_KIOSK, TECHNICIAN
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType
from sce.domain.payments import PaymentMethod, Tender, Tip
from sce.domain.staff import Employee
from sce.pos import demo_data
from sce.pos.service import Pos
from sce.pos.simulate import simulate_history
from sce.web.pos.security import hash_secret

log = logging.getLogger(__name__)

#: (employee id, alias, role, PIN) of the demo; the robot's "PIN" is the kiosk channel's API key.
PINS = (
    (demo_data.STAFF[0][0], demo_data.STAFF[0][1], "manager", "1111"),
    (demo_data.STAFF[1][0], demo_data.STAFF[1][1], "waiter", "2222"),
    (demo_data.STAFF[2][0], demo_data.STAFF[2][1], "waiter", "3333"),
    (TECHNICIAN, "Technician", "technician", "9797"),
    ("75010112371", "Inspector", "inspector", "4444"),
    (ONLINE_KIOSK, "Kiosk", "robot", "kiosk-demo-key"),
)
STATIONS = (
    {
        "id": "KITCHEN",
        "name": "Kitchen",
        "departments": ["STARTERS", "MAINS", "DESSERTS"],
        "printer": "screen",
    },
    {"id": "BAR", "name": "Bar", "departments": ["DRINKS"], "printer": "screen"},
)
TERMINALS = (
    {"id": "T1", "name": "Bar counter", "printer": "screen"},
    {"id": "T2", "name": "Tablet 1", "printer": "screen"},
    {"id": "T3", "name": "Tablet 2", "printer": "screen"},
)


def put_config(pos: Pos, kind: str, item_id: str, body: dict[str, Any], by: str = TECHNICIAN) -> None:
    """A configuration document written with its entry in the configuration log."""
    with pos.store.tx() as tx:
        found = tx.item(kind, item_id)
        tx.put_item(kind, item_id, body, None if found is None else found[0])
        tx.append_config(by, kind, item_id, "create" if found is None else "update", found and found[1], body)


def seed(pos: Pos) -> None:
    """Configure an empty database with the demo restaurant and its staff PINs."""
    demo_data.seed(pos)
    for employee_id, alias, role, pin in PINS:
        pos.add_employee(Employee(employee_id, alias), role, pin_hash=hash_secret(pin))
    for station in STATIONS:
        put_config(pos, "station", str(station["id"]), dict(station))
    for terminal in TERMINALS:
        put_config(pos, "terminal", str(terminal["id"]), dict(terminal))
    put_config(
        pos,
        "floor",
        "main",
        {"tables": [{"id": table, "seats": 2 if int(table) > 8 else 4} for table in demo_data.TABLES]},
    )


class DemoClock:
    """The real time, or a moment of the past while the history is made."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or datetime.now().astimezone()


def make_history(pos: Pos, clock: DemoClock, days: int = 2) -> None:
    """A few services of the past days, each closed by its Z reports (the simulator's when available)."""
    try:
        simulate_history(pos, days=days, tickets_per_day=12, terminals=2, seed=7)
    except Exception:
        log.warning("the simulator failed; a small history is made instead", exc_info=True)
        try:
            _own_history(pos, clock, days)
        except Exception:
            log.warning("no demo history", exc_info=True)
        clock.fixed = None


def _own_history(pos: Pos, clock: DemoClock, days: int) -> None:
    manager, waiter, waiter2 = (insz for insz, _alias, _role in demo_data.STAFF)
    today = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    menu: list[list[tuple[str, Decimal]]] = [
        [("BEER", Decimal(2)), ("CROQ", Decimal(1)), ("STEAK", Decimal(2))],
        [("COLA", Decimal(1)), ("SOUP", Decimal(2)), ("STOOF", Decimal(2)), ("MOUSSE", Decimal(2))],
        [("WINE_L", Decimal("0.5")), ("SCAMPI", Decimal(2)), ("DAME", Decimal(1))],
        [("WATER", Decimal(2)), ("BURGER", Decimal(1)), ("CHEESE_KG", Decimal("0.150"))],
    ]
    step: Callable[[int], datetime]
    for back in range(days, 0, -1):
        start = today - timedelta(days=back)

        def step(minutes: int, start: datetime = start) -> datetime:
            clock.fixed = start + timedelta(minutes=minutes)
            return clock.fixed

        step(0)
        for person in (manager, waiter, waiter2):
            pos.clock_in(person, "T1")
        for index, items in enumerate(menu):
            step(10 + index * 35)
            person = waiter if index % 2 else waiter2
            view = pos.open_order(person, CostCentre(CostCentreType.TABLE, str(index + 2)))
            version = view.version
            for product_id, quantity in items:
                version = pos.add_item(view.order.order_id, version, person, product_id, quantity).version
            pos.send_round(view.order.order_id, version, person, "T2")
            step(40 + index * 35)
            current = pos.order(view.order.order_id)
            total = current.order.total
            if index % 2:
                tenders = [Tender(PaymentMethod.CARD, total + Money(200))]
                tips = [Tip(PaymentMethod.CARD, Money(200))]
            else:
                tenders = [Tender(PaymentMethod.CASH, Money((total.cents // 1000 + 1) * 1000))]
                tips = []
            pos.pay(view.order.order_id, current.version, person, "T1", tenders, tips)
        step(200)
        pos.quick_sale(waiter, "T1", [("COLA", Decimal(2))], [Tender(PaymentMethod.CASH, Money(1000))])
        step(600)
        for person in (waiter, waiter2, manager):
            pos.clock_out(person, "T1")
        pos.report("turnover", "Z", manager, "T1")
    clock.fixed = None
