"""Realistic restaurant days driven through the real services and FDM: the demo history and load source.

A day: staff clock in, a cash float goes in, tables order in rounds (with corrections, price changes and
discounts), some move table or split the bill, pay with mixed methods, tips and cash rounding; counter
sales, refunds, copies (where the FDM signs them), training tickets, drawer openings, money out, an
invoice, a payment-method correction, an X report, everyone clocks out after the Z reports.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sce.domain.catalogue import Unit
from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType
from sce.domain.payments import PaymentMethod, Tender, Tip
from sce.fiscal.port import EventKind
from sce.pos.service import Pos
from sce.pos.signer import Signed

OPEN_AT = time(11, 0)
CLOSE_AT = time(23, 0)
NON_CASH = (PaymentMethod.CARD, PaymentMethod.DEBIT_CARD, PaymentMethod.MEAL_CHEQUE, PaymentMethod.ONLINE)


class SimClock:
    """The simulated time; each event moves it on a little."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class Day:
    """One simulated opening day."""

    def __init__(
        self, pos: Pos, rng: random.Random, clock: SimClock, staff: list[str], manager: str, terminals: int
    ):
        self.pos = pos
        self.rng = rng
        self.clock = clock
        self.staff = staff
        self.manager = manager
        self.terminals = [f"T{n}" for n in range(1, terminals + 1)]
        self.signed: list[Signed] = []
        self.sales: list[int] = []

    def tick(self, low: float = 5, high: float = 90) -> None:
        self.clock.now += timedelta(seconds=self.rng.uniform(low, high))

    def keep(self, result: Signed | list[Signed] | tuple[Signed, str]) -> None:
        if isinstance(result, tuple):
            self.signed.append(result[0])
        elif isinstance(result, list):
            self.signed.extend(result)
        else:
            self.signed.append(result)
            if (
                result.event.kind is EventKind.SALE
                and not result.event.training
                and result.event.total_cents > 0
            ):
                self.sales.append(result.event.ticket_number)

    def terminal(self) -> str:
        return self.rng.choice(self.terminals)

    def waiter(self) -> str:
        return self.rng.choice(self.staff)

    def quantity(self, product_id: str) -> Decimal:
        with self.pos.store.tx() as tx:
            unit = self.pos.catalogue(tx).product(product_id).unit
        if unit is Unit.PIECE:
            return Decimal(self.rng.choice((1, 1, 1, 2, 2, 3)))
        return Decimal(self.rng.choice(("0.250", "0.5", "0.750", "1")))

    def products(self) -> list[str]:
        with self.pos.store.tx() as tx:
            return sorted(p.id for p in self.pos.catalogue(tx).products.values() if not p.reserved)

    def tenders(self, total: Money) -> tuple[list[Tender], list[Tip]]:
        rng = self.rng
        tips: list[Tip] = []
        style = rng.random()
        if total.cents <= 0:
            return [Tender(PaymentMethod.CASH, total)], tips
        if style < 0.4:
            handed = Money(((total.cents // 500) + rng.choice((0, 1, 2))) * 500 or 500)
            if handed < total:
                handed = Money(total.cents + 500)
            return [Tender(PaymentMethod.CASH, handed)], tips
        method = rng.choice(NON_CASH)
        if style < 0.75:
            tip = Money(rng.choice((0, 0, 50, 100, 200)))
            if tip.cents:
                tips.append(Tip(method, tip))
            return [Tender(method, total + tip)], tips
        part = Money(max(1, total.cents // 2))
        return [Tender(method, part), Tender(PaymentMethod.CASH, Money(total.cents - part.cents + 500))], tips

    def table_service(self, table: str) -> None:
        rng, pos = self.rng, self.pos
        waiter, terminal = self.waiter(), self.terminal()
        view = pos.open_order(waiter, CostCentre(CostCentreType.TABLE, table))
        order_id = view.order.order_id
        items = self.products()
        for _round in range(rng.choice((1, 2, 2, 3))):
            for _ in range(rng.randint(1, 4)):
                product = rng.choice(items)
                view = pos.add_item(
                    order_id, view.version, waiter, product, self.quantity(product), seat=rng.randint(1, 4)
                )
            if rng.random() < 0.25 and view.order.open_lines():
                line = rng.choice(view.order.open_lines())
                if line.quantity > 0 and line.parent is None and not line.is_discount:
                    left = view.order.remaining(line.number)
                    view = pos.correct(order_id, view.version, waiter, line.number, left)
            if rng.random() < 0.08 and view.order.open_lines():
                line = rng.choice(view.order.open_lines())
                if line.parent is None and not line.is_discount and line.corrects is None:
                    view = pos.change_price(
                        order_id, view.version, self.manager, line.number, Money(line.unit_price.cents + 50)
                    )
            if not view.order.pending():
                continue
            self.keep(pos.send_round(order_id, view.version, waiter, terminal))
            view = pos.order(order_id)
            self.tick(120, 900)
        if rng.random() < 0.1 and view.order.open_lines():
            line = view.order.open_lines()[0]
            if not line.is_discount and line.parent is None:
                view = pos.discount(
                    order_id, view.version, self.manager, line.number, Money(min(100, line.total.cents))
                )
        if rng.random() < 0.12 and view.order.open_lines():
            signed, order_id = pos.transfer(
                order_id, view.version, waiter, terminal, CostCentre(CostCentreType.TABLE, f"{table}b")
            )
            self.keep(signed)
            view = pos.order(order_id)
        if rng.random() < 0.15 and len(view.order.open_lines()) > 1:
            first = view.order.open_lines()[0]
            signed, split_id = pos.split_items(
                order_id,
                view.version,
                waiter,
                terminal,
                {first.number: pos.order(order_id).order.remaining(first.number)},
            )
            self.keep(signed)
            split = pos.order(split_id)
            tenders, tips = self.tenders(split.order.total)
            self.keep(pos.pay(split_id, split.version, waiter, terminal, tenders, tips))
            view = pos.order(order_id)
        if rng.random() < 0.4 and view.order.lines:
            self.keep(pos.provisional_bill(order_id, view.version, waiter, terminal))
            view = pos.order(order_id)
        self.tick()
        if not view.order.open_lines():
            # everything was taken back: the table still ends in a sale, of 0.00
            self.keep(pos.pay(order_id, view.version, waiter, terminal, []))
            return
        tenders, tips = self.tenders(view.order.total)
        self.keep(pos.pay(order_id, view.version, waiter, terminal, tenders, tips))

    def counter_sale(self) -> None:
        items = self.products()
        chosen = [(p, self.quantity(p)) for p in self.rng.sample(items, self.rng.randint(1, 3))]
        waiter, terminal = self.waiter(), self.terminal()
        view = self.pos.open_order(waiter, CostCentre(CostCentreType.OTHER, f"counter-{terminal}"))
        version = view.version
        for product, quantity in chosen:
            version = self.pos.add_item(view.order.order_id, version, waiter, product, quantity).version
        total = self.pos.order(view.order.order_id).order.total
        tenders, tips = self.tenders(total)
        self.keep(self.pos.pay(view.order.order_id, version, waiter, terminal, tenders, tips))

    def extras(self) -> None:
        rng, pos = self.rng, self.pos
        terminal = self.terminal()
        if self.sales and rng.random() < 0.5:
            self._refund_exact(rng.choice(self.sales), terminal)
        if self.sales and pos.fdm.supports(EventKind.COPY) and rng.random() < 0.4:
            self.keep(pos.copy(rng.choice(self.sales), self.manager, terminal))
        if rng.random() < 0.6:
            self.keep(pos.drawer_open(self.manager, terminal, "change"))
        if rng.random() < 0.4:
            self.keep(pos.money_in_out(self.manager, terminal, Money(-rng.choice((1000, 2000))), "supplier"))
        if self.sales and rng.random() < 0.4:
            self.keep(
                pos.invoice(
                    [self.sales[0]],
                    self.manager,
                    terminal,
                    {"name": "Bedrijf NV", "address": "Markt 1, 9000 Gent", "vat_no": "BE0477472701"},
                )
            )
            self.sales.pop(0)
        if self.sales and rng.random() < 0.3:
            ticket = self.sales[-1]
            record = pos.record(ticket)
            due = Decimal(0) + sum(
                Decimal(p["amount"])
                for p in record["event"]["payments"]
                if p["kind"] in ("PAYMENT", "ROUNDING")
            )
            if due > 0:
                self.keep(
                    pos.payment_correction(
                        ticket, self.manager, terminal, [Tender(PaymentMethod.CARD, Money.from_decimal(due))]
                    )
                )
        if rng.random() < 0.4:
            trainee = self.terminal()
            pos.set_training("terminal", trainee, True, self.manager)
            view = pos.open_order(self.manager, CostCentre(CostCentreType.OTHER, "training"))
            view = pos.add_item(view.order.order_id, view.version, self.manager, "COLA")
            self.keep(
                pos.pay(
                    view.order.order_id,
                    view.version,
                    self.manager,
                    trainee,
                    [Tender(PaymentMethod.CASH, Money(500))],
                )
            )
            pos.set_training("terminal", trainee, False, self.manager)

    def _refund_exact(self, original: int, terminal: str) -> None:
        """Refund line 1 (one piece or its whole quantity) paying back exactly in cash."""
        pos = self.pos
        record = pos.record(original)
        first = record["event"]["lines"][0]
        quantity = Decimal(first["quantity"])
        if quantity <= 0 or first["neg_reason"]:
            return
        take = Decimal(1) if quantity == quantity.to_integral_value() else quantity
        amount = Money.from_decimal(Decimal(first["unit_price"]) * take)
        try:
            self.keep(
                pos.refund(original, self.manager, terminal, [Tender(PaymentMethod.CASH, -amount)], {1: take})
            )
        except DomainError:
            return


def simulate_history(
    pos: Pos,
    *,
    days: int,
    tickets_per_day: int,
    terminals: int = 2,
    seed: int = 1,
    start: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run ``days`` restaurant days ending yesterday (or from ``start``); returns a JSON summary."""
    rng = random.Random(seed)
    zone = pos.site().zone
    first_day = (start or datetime.now(zone) - timedelta(days=days)).date()
    saved_clock = pos.clock
    clock = SimClock(datetime.combine(first_day, OPEN_AT, zone))
    pos.clock = clock
    employees = []
    with pos.store.tx() as tx:
        for item in tx.items("employee").values():
            employees.append((item["employee_id"], item.get("role", "waiter")))
    managers = [e for e, role in employees if role == "manager"] or [employees[0][0]]
    waiters = [e for e, role in employees if role == "waiter"] or managers
    with pos.store.tx() as tx:
        before = tx.journal_head()
    try:
        for day in range(days):
            clock.now = datetime.combine(first_day + timedelta(days=day), OPEN_AT, zone)
            today = Day(pos, rng, clock, waiters, managers[0], terminals)
            for employee in {*waiters, managers[0]}:
                if employee not in pos.clocked_in():
                    today.keep(pos.clock_in(employee, today.terminal()))
                today.tick(1, 10)
            today.keep(pos.money_in_out(managers[0], "T1", Money(10000), "float"))
            for number in range(tickets_per_day):
                if rng.random() < 0.7:
                    today.table_service(str(rng.randint(1, 12)))
                else:
                    today.counter_sale()
                if number % 7 == 3:
                    today.extras()
                if number == tickets_per_day // 2:
                    today.keep(pos.report("turnover", "X", managers[0], "T1"))
                today.tick(30, 300)
            for view in pos.open_orders():
                if view.status == "open" and view.order.lines:
                    tenders, tips = today.tenders(view.order.total)
                    today.keep(pos.pay(view.order.order_id, view.version, managers[0], "T1", tenders, tips))
            for employee in sorted(pos.clocked_in()):
                today.keep(pos.clock_out(employee, "T1"))
            today.keep(pos.report("turnover", "Z", managers[0], "T1"))
            if progress:
                progress(f"day {day + 1}/{days}: {len(today.signed)} events")
    finally:
        pos.clock = saved_clock
    with pos.store.tx() as tx:
        return summary(list(tx.journal_bodies(after_seq=before)))


def summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per event kind and FDM label, sale totals per VAT letter and Z numbers of journal records."""
    labels: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    per_vat: dict[str, Decimal] = {}
    z_numbers: list[int] = []
    tickets = [r["event"]["ticket_number"] for r in records if r["type"] == "event"]
    for record in records:
        if record["type"] != "event":
            continue
        event = record["event"]
        kinds[event["kind"]] += 1
        labels[record["fdm"]["event_label"] if record.get("fdm") else "journal-only"] += 1
        if event["kind"] == "SALE" and not event["training"]:
            for line in event["lines"]:
                per_vat[line["vat"]] = per_vat.get(line["vat"], Decimal("0.00")) + Decimal(line["line_total"])
        if event["kind"] == "REPORT_TURNOVER_Z":
            z_numbers.append(int(event["report_number"]))
    return {
        "events": len(tickets),
        "events_per_kind": dict(sorted(kinds.items())),
        "events_per_label": dict(sorted(labels.items())),
        "totals_per_vat": {letter: str(total) for letter, total in sorted(per_vat.items())},
        "z_numbers": z_numbers,
        "first_ticket": min(tickets) if tickets else None,
        "last_ticket": max(tickets) if tickets else None,
    }
