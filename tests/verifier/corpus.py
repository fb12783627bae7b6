"""A realistic journal written through the real database layer, signed by real FDM emulators.

Until the POS simulator exists this stands in for it: a restaurant with a few employees works for a
number of days (an opening period each): clocking in and out, counter sales, table orders with pro forma
tickets, corrections, a table moved to another one, pre-bills, refunds, training tickets, drawer
openings, money in/out, invoices, a cancelled sale (void) and a refused request, then the two Z reports
of the day with their figures. SCE 1.0 events go through the real adapter and driver to the in-process
emulator (its card key signs them); SCE 2.0 events go to the emulator over loopback HTTP.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sce.audit.keys import record_fdm_key
from sce.db.engine import migrate, open_engine
from sce.db.store import PosStore
from sce.fiscal.port import (
    EventKind,
    FiscalCostCenter,
    FiscalDrawer,
    FiscalEvent,
    FiscalLine,
    FiscalModule,
    FiscalPayment,
)
from sce.fiscal.v1.adapter import FdmV1Module, V1Settings
from sce.fiscal.v1.driver import READ_SLICE, FdmV1Driver, SequenceStore
from sce.fiscal.v1.emulator import FdmEmulator
from sce.fiscal.v1.emulator_store import DeviceIdentity, EmulatorStore
from sce.fiscal.v1.framing import ACK, STX, decode_frame, encode_frame
from sce.fiscal.v1.vsc import CardIdentity
from sce.fiscal.v2.adapter import FdmV2Module, PosIdentity
from sce.fiscal.v2.client import FdmClient
from sce.journal.codec import event_to_json, receipt_to_json
from tests.fiscal.v2.support import running_emulator

BRUSSELS = ZoneInfo("Europe/Brussels")
CENT = Decimal("0.01")
EMPLOYEES = ("85073003328", "75061189702", "90010100123")
RATES = {"A": Decimal(21), "B": Decimal(12), "C": Decimal(6), "D": Decimal(0), "X": Decimal(0)}
MENU = (
    ("Dagsoep", "5.00", "B", "10", "Soups"),
    ("Steak frites", "24.50", "B", "20", "Mains"),
    ("Vol-au-vent", "19.00", "B", "20", "Mains"),
    ("Crème brûlée", "7.50", "B", "30", "Desserts"),
    ("Pils 25cl", "3.20", "A", "40", "Drinks"),
    ("Huiswijn", "6.50", "A", "40", "Drinks"),
    ("Water 50cl", "3.00", "A", "40", "Drinks"),
)
V1_FDM = "RET02000123"
V1_KEY = bytes.fromhex("0123456789abcdef0123456789abcdef01234567")
V2_FDM = "FOD01000001"


class LoopbackPort:
    """An in-process serial line to an emulator: frames written are answered with ACK + reply frame."""

    def __init__(self, emulator: FdmEmulator) -> None:
        self.emulator = emulator
        self.timeout: float | None = READ_SLICE
        self.buffer = bytearray()

    @property
    def in_waiting(self) -> int:
        return len(self.buffer)

    def read(self, size: int = 1) -> bytes:
        chunk = bytes(self.buffer[:size])
        del self.buffer[:size]
        return chunk

    def write(self, data: bytes, /) -> int:
        if data and data[0] == STX:
            reply = self.emulator.handle(decode_frame(bytes(data)))
            self.buffer += bytes((ACK,)) + encode_frame(reply)
        return len(data)

    def flush(self) -> None:
        return None

    def reset_input_buffer(self) -> None:
        self.buffer.clear()

    def close(self) -> None:
        return None


def vat_of(total: Decimal, letter: str) -> Decimal:
    rate = RATES[letter]
    return (total * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def m(value: Decimal) -> str:
    return str(value.quantize(CENT))


@dataclass
class Day:
    """What the corpus writer itself counts for the Z reports of one period (its own bookkeeping)."""

    sales: list[FiscalEvent] = field(default_factory=list)
    training: list[FiscalEvent] = field(default_factory=list)
    pro_forma: list[FiscalEvent] = field(default_factory=list)
    orders: list[FiscalEvent] = field(default_factory=list)
    drawer_openings: int = 0
    money_in_out: Decimal = Decimal("0.00")
    invoices: list[Decimal] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    fdm_ids: set[str] = field(default_factory=set)
    terminals: set[str] = field(default_factory=set)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)


def turnover_figures(day: Day, generation: int = 1) -> dict[str, Any]:
    """The Z turnover figures; VAT per line in SCE 1.0, per sale and label in SCE 2.0 (the FDM's rule)."""

    def total(event: FiscalEvent) -> Decimal:
        return sum((line.total for line in event.lines), Decimal("0.00"))

    vat: dict[str, list[Decimal]] = {}
    departments: dict[str, list[Any]] = {}
    payments: dict[str, Decimal] = {}
    discounts = [Decimal(0), 0]
    corrections: dict[str, list[Any]] = {}
    tips = rounding = Decimal("0.00")
    for sale in day.sales:
        groups: list[tuple[str, Decimal]] = [(line.vat, line.total) for line in sale.lines]
        if generation == 2:
            per_label: dict[str, Decimal] = {}
            for letter, amount in groups:
                per_label[letter] = per_label.get(letter, Decimal(0)) + amount
            groups = list(per_label.items())
        for letter, amount in groups:
            v = vat_of(amount, letter)
            entry = vat.setdefault(letter, [Decimal(0), Decimal(0)])
            entry[0] += amount - v
            entry[1] += v
        for line in sale.lines:
            dept = departments.setdefault(line.department_id, [line.department_name, Decimal(0)])
            dept[1] += line.total
            if line.neg_reason == "DISCOUNT":
                discounts[0] += line.total
                discounts[1] += 1
        for p in sale.payments:
            if p.kind in ("PAYMENT", "TIP"):
                payments[p.method] = payments.get(p.method, Decimal(0)) + p.amount
            tips += p.amount if p.kind == "TIP" else 0
            rounding += p.amount if p.kind == "ROUNDING" else 0
    for event in [*day.sales, *day.orders]:
        for line in event.lines:
            if line.neg_reason and line.neg_reason != "DISCOUNT":
                entry2 = corrections.setdefault(line.neg_reason, [0, Decimal(0)])
                entry2[0] += 1
                entry2[1] += line.total
    refunds = [s for s in day.sales if total(s) < 0]
    return {
        "first_seq": day.seqs[0] if day.seqs else None,
        "last_seq": day.seqs[-1] if day.seqs else None,
        "fdm_ids": sorted(day.fdm_ids),
        "terminals": sorted(day.terminals),
        "sales": {"count": len(day.sales), "amount": m(sum(map(total, day.sales), Decimal(0)))},
        "refunds": {"count": len(refunds), "amount": m(sum(map(total, refunds), Decimal(0)))},
        "vat": [
            {"letter": k, "base": m(b), "vat": m(v), "total": m(b + v)} for k, (b, v) in sorted(vat.items())
        ],
        "departments": [{"id": k, "name": n, "amount": m(a)} for k, (n, a) in sorted(departments.items())],
        "payments": [{"method": k, "amount": m(a)} for k, a in sorted(payments.items())],
        "tips": m(tips),
        "rounding": m(rounding),
        "drawer_openings": day.drawer_openings,
        "money_in_out": m(day.money_in_out),
        "training": {"count": len(day.training), "amount": m(sum(map(total, day.training), Decimal(0)))},
        "pro_forma": {"count": len(day.pro_forma), "amount": m(sum(map(total, day.pro_forma), Decimal(0)))},
        "discounts": {"count": discounts[1], "amount": m(Decimal(discounts[0]))},
        "corrections": [
            {"reason": k, "count": c, "amount": m(a)} for k, (c, a) in sorted(corrections.items())
        ],
        "invoices": {"count": len(day.invoices), "amount": m(sum(day.invoices, Decimal(0)))},
    }


@dataclass
class Pos:
    """A minimal POS: numbers, signs and journals events through the real store and FDM adapters."""

    store: PosStore
    fdm: FiscalModule
    generation: int
    now: datetime
    terminal: str = "T1"
    period_id: str = ""
    booking: date | None = None
    day: Day = field(default_factory=Day)
    z_number: int = 0
    invoice_number: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def tick(self, minutes: float = 3) -> datetime:
        self.now += timedelta(minutes=minutes * (0.5 + self.rng.random()))
        return self.now

    def record(
        self,
        kind: EventKind,
        employee: str,
        lines: tuple[FiscalLine, ...] = (),
        *,
        payments: tuple[FiscalPayment, ...] = (),
        centre: FiscalCostCenter | None = None,
        training: bool = False,
        pos: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
        drawer: FiscalDrawer | None = None,
        report_number: int | None = None,
        invoice_number: str = "",
        record_type: str = "event",
        reason: str = "",
    ) -> dict[str, Any]:
        when = self.tick()
        with self.store.tx() as tx:
            number = tx.next_number("ticket")
            event = FiscalEvent(
                kind,
                number,
                when,
                employee,
                lines,
                training=training,
                terminal_id=self.terminal,
                payments=payments,
                cost_center=centre,
                drawer=drawer,
                booking_period_id=self.period_id,
                booking_date=self.booking,
                details=details,
                report_number=report_number,
                invoice_number=invoice_number,
                language="NL",
                ticket_medium="PAPER" if kind is EventKind.SALE else "",
            )
            body: dict[str, Any] = {
                "type": record_type,
                "period_id": self.period_id,
                "booking_date": self.booking.isoformat() if self.booking else None,
                "pos": dict(pos or {}),
                "event": event_to_json(event),
            }
            receipt = None
            if record_type == "void":
                body.update(reason=reason, employee_id=employee)
            elif record_type == "refused":
                assert isinstance(self.fdm, FdmV1Module)
                request, _sha1 = self.fdm.build_request(event, self.fdm.driver.sequences.next())
                data = request.encode()
                data = data[:18] + "ABCDEFGHIJK" + data[29:]  # an INSZ the FDM refuses (207)
                port = self.fdm.driver.port
                assert isinstance(port, LoopbackPort)
                reply = port.emulator.handle(data)
                body.update(
                    request=data,
                    reply=reply,
                    error={
                        "class": "InvalidFiscalRequestError",
                        "code": reply[4:7],
                        "message": "invalid data",
                    },
                )
            elif self.fdm.supports(kind):
                receipt = self.fdm.sign(event)
                body.update(fdm=receipt_to_json(receipt), request=receipt.request, reply=receipt.reply)
            else:
                body.update(fdm=None, request=None, reply=None)
            sealed = tx.append_journal(
                body,
                event_kind=kind.value,
                ticket_number=number,
                label=receipt.event_label if receipt else None,
                fdm_id=receipt.fdm_id if receipt else None,
                employee_id=employee,
                terminal_id=self.terminal,
                cost_center_id=centre.id if centre else None,
                order_id=centre.reference if centre else None,
                period_id=self.period_id,
                booking_date=self.booking.isoformat() if self.booking else None,
                training=training,
                total_cents=event.total_cents,
            )
        if record_type == "event" and kind not in (
            EventKind.REPORT_TURNOVER_Z,
            EventKind.REPORT_USER_Z,
            EventKind.REPORT_TURNOVER_X,
            EventKind.REPORT_USER_X,
        ):
            self._count(sealed["seq"], event, receipt.fdm_id if receipt else None, pos or {})
        return sealed

    def _count(self, seq: int, event: FiscalEvent, fdm_id: str | None, pos: dict[str, Any]) -> None:
        day = self.day
        day.seqs.append(seq)
        if fdm_id:
            day.fdm_ids.add(fdm_id)
        day.terminals.add(event.terminal_id)
        user = day.users.setdefault(
            event.employee_id,
            {
                "employee_id": event.employee_id,
                "turnover": Decimal(0),
                "payments": {},
                "first_event": event.pos_datetime.isoformat(),
                "first_seq": seq,
                "work": [],
            },
        )
        user["last_event"] = event.pos_datetime.isoformat()
        user["last_seq"] = seq
        kind = event.kind
        if kind in (EventKind.WORK_IN, EventKind.WORK_OUT):
            user["work"].append({"kind": kind.value, "at": event.pos_datetime.isoformat()})
        if kind is EventKind.SALE and event.training:
            day.training.append(event)
        elif kind is EventKind.SALE:
            day.sales.append(event)
            user["turnover"] += sum((line.total for line in event.lines), Decimal(0))
            for p in event.payments:
                if p.kind in ("PAYMENT", "TIP"):
                    user["payments"][p.method] = user["payments"].get(p.method, Decimal(0)) + p.amount
        elif event.training:
            return
        elif kind in (EventKind.ORDER, EventKind.PRE_BILL):
            day.pro_forma.append(event)
            if kind is EventKind.ORDER:
                day.orders.append(event)
        elif kind is EventKind.DRAWER_OPEN:
            day.drawer_openings += 1
        elif kind is EventKind.MONEY_IN_OUT:
            day.money_in_out += sum((p.amount for p in event.payments), Decimal(0))
        elif kind is EventKind.INVOICE:
            day.invoices.append(Decimal(pos["invoice_amount"]))

    # ----- a day of business

    def line(self, index: int, quantity: int = 1, reason: str = "") -> FiscalLine:
        name, price, vat, dept, dept_name = MENU[index]
        return FiscalLine(
            name,
            Decimal(quantity),
            Decimal(price),
            vat,
            product_id=f"P{index}",
            department_id=dept,
            department_name=dept_name,
            neg_reason=reason,
        )

    def order_lines(self) -> tuple[FiscalLine, ...]:
        return tuple(
            self.line(self.rng.randrange(len(MENU)), self.rng.randint(1, 3))
            for _ in range(self.rng.randint(1, 4))
        )

    def pay(self, lines: tuple[FiscalLine, ...], *, tip: bool = False) -> tuple[FiscalPayment, ...]:
        total = sum((line.total for line in lines), Decimal(0))
        if total <= 0 or self.rng.random() < 0.5:
            return (FiscalPayment("CASH", total, "Cash"),)
        payments = [FiscalPayment("CARD_UNKNOWN", total, "Card")]
        if tip and self.generation == 1:
            payments.append(FiscalPayment("CARD_UNKNOWN", Decimal("2.00"), "Card", kind="TIP"))
        return tuple(payments)

    def business_day(self, day_index: int, start: datetime) -> None:
        self.now = start
        self.booking = start.date()
        self.period_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"period/{self.booking.isoformat()}"))
        self.day = Day()
        staff = EMPLOYEES[: 2 + day_index % 2]
        for employee in staff:
            self.record(EventKind.WORK_IN, employee)
        for n in range(4):
            lines = self.order_lines()
            if self.generation == 1 and n == 0 and day_index % 2 == 0:
                lines = (
                    *lines,
                    FiscalLine(
                        "Korting",
                        Decimal(1),
                        Decimal("-1.00"),
                        "B",
                        product_id="DISC",
                        department_id="20",
                        department_name="Mains",
                        neg_reason="DISCOUNT",
                    ),
                )
            self.record(EventKind.SALE, staff[n % len(staff)], lines, payments=self.pay(lines, tip=n == 1))
        # a table: orders, a correction, a pre-bill, the sale
        for table in range(2):
            ref = f"order-{day_index:03d}-{table}"
            centre = FiscalCostCenter(str(5 + table), "TABLE", ref)
            waiter = staff[table % len(staff)]
            first = self.order_lines()
            self.record(EventKind.ORDER, waiter, first, centre=centre, pos={"order_id": ref})
            extra = (self.line(4, 2),)
            self.record(EventKind.ORDER, waiter, extra, centre=centre, pos={"order_id": ref})
            correction = (self.line(4, -1, "CORRECTION"),)
            self.record(EventKind.ORDER, waiter, correction, centre=centre, pos={"order_id": ref})
            all_lines = (*first, self.line(4, 1))
            if table == 1 and day_index % 3 == 0:
                # the table moves: its lines go to another order, which is paid
                target = FiscalCostCenter("9", "TABLE", f"{ref}-moved")
                moved = self._transfer(centre, target, all_lines)
                self.record(
                    EventKind.COST_CENTER_CHANGE,
                    waiter,
                    all_lines,
                    centre=centre,
                    details=moved,
                    pos={"order_id": ref},
                )
                centre = target
                ref = target.reference
            self.record(EventKind.PRE_BILL, waiter, all_lines, centre=centre, pos={"order_id": ref})
            self.record(
                EventKind.SALE,
                waiter,
                all_lines,
                payments=self.pay(all_lines),
                centre=centre,
                pos={"order_id": ref},
            )
        # a refund of one soup
        back = (self.line(0, -1, "REFUND"),)
        self.record(EventKind.SALE, staff[0], back, payments=self.pay(back), pos={"original_ticket": 1})
        # training, drawer, money in/out
        train = (self.line(5, 1),)
        self.record(EventKind.SALE, staff[-1], train, payments=self.pay(train), training=True)
        drawer = FiscalDrawer("DRAWER-1", "Bar")
        self.record(EventKind.DRAWER_OPEN, staff[0], drawer=drawer)
        self.record(
            EventKind.MONEY_IN_OUT,
            staff[0],
            payments=(FiscalPayment("CASH", Decimal("50.00"), "Cash", kind="MONEY_IN_OUT", drawer=drawer),),
            drawer=drawer,
        )
        if day_index % 2 == 1:
            sale_lines = (self.line(1, 2), self.line(5, 1))
            self.record(EventKind.SALE, staff[0], sale_lines, payments=self.pay(sale_lines))
            self.invoice_number += 1
            amount = m(sum((line.total for line in sale_lines), Decimal(0)))
            self.record(
                EventKind.INVOICE,
                staff[0],
                invoice_number=str(self.invoice_number),
                pos={"invoice_amount": amount, "tickets": [], "customer": {"name": "NV Klant"}},
            )
        if self.generation == 1 and day_index % 3 == 1:
            cancelled = self.order_lines()
            self.record(EventKind.SALE, staff[0], cancelled, record_type="void", reason="sale cancelled")
        if self.generation == 1 and day_index == 2:
            self.record(EventKind.SALE, staff[0], (self.line(2),), record_type="refused")
        for employee in staff:
            self.record(EventKind.WORK_OUT, employee)
        self.close_day()

    def _transfer(
        self, source: FiscalCostCenter, target: FiscalCostCenter, lines: tuple[FiscalLine, ...]
    ) -> dict[str, Any]:
        def tx(sign: int) -> dict[str, Any]:
            items = []
            for line in lines:
                total = float(line.total * sign)
                product: dict[str, Any] = {
                    "productId": line.product_id,
                    "productName": line.name,
                    "departmentId": line.department_id,
                    "departmentName": line.department_name,
                    "quantity": float(line.quantity * sign),
                    "quantityType": "PIECE",
                    "unitPrice": float(line.unit_price),
                    "vats": [{"label": line.vat, "price": total, "priceChanges": []}],
                }
                if sign < 0:
                    product["negQuantityReason"] = "COST_CENTER_CHANGE"
                items.append({"lineType": "SINGLE_PRODUCT", "mainProduct": product, "lineTotal": total})
            return {
                "transactionLines": items,
                "transactionTotal": float(sum((line.total for line in lines), Decimal(0)) * sign),
            }

        def centre(c: FiscalCostCenter) -> dict[str, str]:
            return {"id": c.id, "type": c.type, "reference": c.reference}

        return {
            "transfer": {
                "from": [{"costCenter": centre(source), "transaction": tx(-1)}],
                "to": [{"costCenter": centre(target), "transaction": tx(1)}],
            }
        }

    def close_day(self) -> None:
        self.z_number += 1
        figures = turnover_figures(self.day, self.generation)
        users = [
            {
                "employee_id": u["employee_id"],
                "alias": u["employee_id"][-4:],
                "turnover": m(u["turnover"]),
                "payments": [{"method": k, "amount": m(a)} for k, a in sorted(u["payments"].items())],
                "first_event": u["first_event"],
                "last_event": u["last_event"],
                "first_seq": u["first_seq"],
                "last_seq": u["last_seq"],
                "work": u["work"],
            }
            for _key, u in sorted(self.day.users.items())
        ]
        common = {
            "mode": "Z",
            "number": self.z_number,
            "period_id": self.period_id,
            "booking_date": self.booking.isoformat() if self.booking else None,
            "period_start": None,
            "period_end": self.now.isoformat(),
            "created_at": self.now.isoformat(),
        }
        self.record(
            EventKind.REPORT_TURNOVER_Z,
            EMPLOYEES[0],
            report_number=self.z_number,
            pos={"report": {**common, "kind": "turnover", **figures}},
        )
        self.record(
            EventKind.REPORT_USER_Z,
            EMPLOYEES[0],
            report_number=self.z_number,
            pos={
                "report": {
                    **common,
                    "kind": "user",
                    "users": users,
                    "fdm_ids": figures["fdm_ids"],
                    "terminals": figures["terminals"],
                    "first_seq": figures["first_seq"],
                    "last_seq": figures["last_seq"],
                }
            },
        )


def _configure(store: PosStore) -> None:
    with store.tx() as tx:
        tx.put_item(
            "site",
            "site",
            {
                "company_name": "Brasserie Test",
                "vat_no": "BE0000000097",
                "establishment_no": "2000000042",
                "establishment_name": "Brasserie Test",
                "pos_id": "BODO0011A2B3C4",
                "sw_version": "1.0",
            },
        )
        for index, (name, price, vat, dept, _dn) in enumerate(MENU):
            tx.append_config(
                EMPLOYEES[0],
                "product",
                f"P{index}",
                "create",
                None,
                {"name": name, "price": price, "vat": vat, "department": dept},
            )
        tx.append_config(EMPLOYEES[0], "product", "P1", "update", {"price": "23.50"}, {"price": "24.50"})
        tx.append_config(EMPLOYEES[0], "employee", EMPLOYEES[2], "create", None, {"pin": "***"})


def _days(count: int, first: date) -> Iterator[tuple[int, datetime]]:
    for index in range(count):
        day = first + timedelta(days=index)
        yield index, datetime(day.year, day.month, day.day, 11, 0, tzinfo=BRUSSELS)


def write_v1_month(directory: Path, days: int = 30, first: date = date(2026, 3, 1)) -> str:
    """An SCE 1.0 restaurant month in ``directory/pos.db``; returns the database URL."""
    url = f"sqlite:///{directory / 'pos.db'}"
    engine = open_engine(url)
    migrate(engine)
    store = PosStore(engine)
    _configure(store)
    card = CardIdentity("0887456321-002", "001", V1_KEY, "12345", "87654321")
    emu_store = EmulatorStore.create(
        directory / "fdm1", DeviceIdentity(V1_FDM, "FW-1.2.3", "1", 1_000_000, card), fsync=False
    )
    pos_holder: list[Pos] = []

    def clock() -> datetime:
        return pos_holder[0].now.astimezone(BRUSSELS).replace(tzinfo=None) + timedelta(seconds=1)

    emulator = FdmEmulator(emu_store, clock=clock)
    driver = FdmV1Driver(LoopbackPort(emulator), sequences=SequenceStore())  # type: ignore[arg-type]
    module = FdmV1Module(driver, V1Settings("BODO0011A2B3C4"))
    pos = Pos(store, module, 1, datetime(first.year, first.month, first.day, 10, tzinfo=BRUSSELS))
    pos_holder.append(pos)
    module.start()
    module.unlock("12345")
    export = emu_store.verifier_export()["cards"][0]
    record_fdm_key(engine, V1_FDM, 1, vsc_id=export["vsc_id"], key_hex=export["key_hex"])
    for index, start in _days(days, first):
        pos.business_day(index, start)
    emu_store.close()
    engine.dispose()
    return url


def write_v2_days(directory: Path, days: int = 2, first: date = date(2026, 4, 1)) -> str:
    """SCE 2.0 days signed by the emulator over loopback HTTP; returns the database URL."""
    url = f"sqlite:///{directory / 'pos2.db'}"
    engine = open_engine(url)
    migrate(engine)
    store = PosStore(engine)
    _configure(store)
    with running_emulator(directory / "fdm2", fdm_id=V2_FDM) as running:
        pos_holder: list[Pos] = []

        def clock() -> str:
            moment = pos_holder[0].now.astimezone(UTC) + timedelta(seconds=1)
            return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

        running.fdm.clock = clock
        client = FdmClient(running.url)
        identity = PosIdentity(
            "BE0000000097", "2000000042", "CPOS0031234567", "1.0", str(uuid.uuid4()), terminal_id="T1"
        )
        module = FdmV2Module(client, identity)
        pos = Pos(store, module, 2, datetime(first.year, first.month, first.day, 10, tzinfo=BRUSSELS))
        pos_holder.append(pos)
        pem = running.fdm.signer.public_pem()
        record_fdm_key(engine, V2_FDM, 2, public_key_pem=pem)
        for index, start in _days(days, first):
            pos.business_day(index, start)
        client.close()
    engine.dispose()
    return url


@contextmanager
def noop() -> Iterator[None]:
    yield


__all__ = ["replace", "write_v1_month", "write_v2_days"]
