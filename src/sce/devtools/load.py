"""Load of many terminals on one site, and the check that the journal holds exactly what they did.

``python -m sce.devtools.load --db URL [--fdm v2|v1] [--terminals 20] [--minutes 10] [--rate 10]``

Each terminal is a thread with its own waiter clocked in. It serves tables one after the other: opens
the order, enters a few items, sends a round (a pro forma ORDER event through the FDM), enters more,
sends a second round and takes the payment (the SALE). It keeps its own account of every order (the
lines it entered, the rounds it sent, the payment) and measures each payment. When the FDM or the
database fails it behaves like a waiter at a blocked screen: it waits, asks the POS to send pending
events again (``Pos.retry_pending``), reloads the order and goes on from what the POS shows, so an
outage slows the terminals down but never changes what they end up with.

Afterwards :func:`check` compares the terminals' account with the journal: hash chain, continuous
numbers, one signature per signed event, FDM counters without a gap, every order with exactly the
lines entered, one ORDER event per round sent and exactly one SALE with the expected total, nothing
in the journal that no terminal did; then :func:`verify` exports the journal (``sce journal export``)
and runs the independent verifier (``sce journal verify``) over the export.

The pace is a multiple ``rate`` of a busy Saturday: :data:`BUSY_SATURDAY_TABLES_PER_HOUR` tables paid
per hour on a 20-terminal site at its peak (each table two rounds and a payment: three signed events).

The SCE 2.0 FDM is the emulator in its own process (``python -m sce fdm2 emulate``), reached over HTTP
on loopback (optionally through :class:`sce.devtools.tcpproxy.TcpProxy`); SCE 1.0 is the emulator
embedded in this process behind a real pseudo-terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from sce.audit.keys import record_fdm_key
from sce.db.engine import migrate, open_engine
from sce.db.store import PosStore
from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType
from sce.domain.payments import PaymentMethod, Tender
from sce.domain.staff import Employee
from sce.fiscal.v1.driver import DriverSettings
from sce.journal.format import GENESIS, record_hash
from sce.pos import demo_data
from sce.pos.errors import FiscalBlockedError
from sce.pos.fdm_setup import EMULATOR_PIN, Connected, emulator_v1, url_v2
from sce.pos.service import Pos

__all__ = [
    "BUSY_SATURDAY_TABLES_PER_HOUR",
    "EmulatorProcess",
    "LoadReport",
    "Site",
    "Terminal",
    "check",
    "employee_ids",
    "open_site",
    "percentile",
    "run_load",
    "verify",
]

ROOT = Path(__file__).resolve().parents[3]
LISTENING = "FDM v2 emulator listening on "
#: Peak of a busy Saturday on a 20-terminal site (a large brasserie): tables paid per hour.
BUSY_SATURDAY_TABLES_PER_HOUR = 120
#: Products a table orders (sold per piece, so the expected totals are exact).
MENU = ("COLA", "WATER", "BEER", "SOUP", "CROQ", "STEAK", "BURGER", "STOOF", "MOUSSE", "DAME")
PRICES = {p.id: p.price.cents for p in demo_data.PRODUCTS}
FAST_V1 = DriverSettings(ack_timeout=0.3, reply_timeout=0.8, max_sends=3, max_nacks=3)
#: Errors after which a terminal waits, reloads the order and carries on (the database went away).
TRANSIENT: tuple[type[BaseException], ...] = (OperationalError, DBAPIError, OSError)
T = TypeVar("T")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def employee_ids(count: int) -> list[str]:
    """``count`` valid INSZ numbers (born in the 1980s), different from the demo staff."""
    found: list[str] = []
    day = date(1981, 1, 1)
    serial = 101
    while len(found) < count:
        first = f"{day:%y%m%d}{serial:03d}"
        check = 97 - int(first) % 97
        found.append(f"{first}{check:02d}")
        day += timedelta(days=37)
        serial += 2
    return found


# ------------------------------------------------------------------ the FDM and the site


class EmulatorProcess:
    """The SCE 2.0 emulator in its own process (``python -m sce fdm2 emulate``); can be killed -9 and
    started again on the same port and state directory."""

    def __init__(self, state: Path, port: int = 0) -> None:
        self.state = state
        self.port = port
        self.process: subprocess.Popen[str] | None = None
        self.url = ""
        self.start()

    def start(self) -> None:
        site = demo_data.SITE
        command = [sys.executable, "-m", "sce", "fdm2", "emulate", "--port", str(self.port)]
        command += ["--state", str(self.state), "--auth", "none"]
        command += ["--vat-no", site.vat_no, "--est-no", site.establishment_no]
        deadline = time.monotonic() + 20
        while True:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                cwd=ROOT,
                start_new_session=True,
            )
            assert process.stdout is not None
            line = process.stdout.readline()
            if line.startswith(LISTENING):
                break
            process.kill()
            process.wait()
            if time.monotonic() > deadline:  # the old port may still be held for a moment
                raise RuntimeError(f"the SCE 2.0 emulator did not start: {line!r}")
            time.sleep(0.2)
        self.process = process
        self.url = line[len(LISTENING) :].strip()
        self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])

    def kill(self) -> None:
        """kill -9, as a power cut of the FDM."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def counters(self) -> tuple[dict[str, int], int]:
        """The FDM's own counters per label and its total counter, from its state."""
        from sce.fiscal.v2.store import EventStore  # noqa: PLC0415

        events = EventStore(self.state / "fdm.sqlite3")
        try:
            return events.counters()
        finally:
            events.close()


@dataclass
class Site:
    """A running POS of one site over a database and one FDM."""

    pos: Pos
    store: PosStore
    fdm: Connected
    generation: int
    db_url: str
    state: Path
    employees: list[str]


@contextmanager
def open_site(
    db_url: str,
    generation: int,
    state: Path,
    *,
    fdm_url: str = "",
    employees: int = 20,
    clock: Callable[[], datetime] | None = None,
    timeout: float = 2.0,
) -> Iterator[Site]:
    """The demo restaurant with ``employees`` extra waiters on ``db_url``; SCE 2.0 at ``fdm_url`` (its
    state, for the public key, in ``state / "fdm2"``) or the embedded SCE 1.0 emulator in ``state``."""
    state.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db_url)
    migrate(engine)
    store = PosStore(engine)
    site = demo_data.SITE
    fdm = (
        url_v2(fdm_url, site, "LOAD", timeout=timeout)
        if generation == 2
        else emulator_v1(state, site, settings=FAST_V1)
    )
    try:
        pos = Pos(store, fdm.module, clock=clock)
        with store.tx() as tx:
            configured = tx.item("site", "site") is not None
        staff = employee_ids(employees)
        if not configured:
            demo_data.seed(pos)
            for number, insz in enumerate(staff, start=1):
                pos.add_employee(Employee(insz, f"Waiter {number}"), "waiter")
        info = pos.start()
        if not info.ready:
            pos.unlock(EMULATOR_PIN)
        if generation == 2:
            pem = (state / "fdm2" / "fdm-public-key.pem").read_text(encoding="ascii")
            record_fdm_key(engine, info.fdm_id, 2, public_key_pem=pem)
        else:
            keys = fdm.key_material
            record_fdm_key(engine, keys["fdm_id"], 1, vsc_id=keys["vsc_id"], key_hex=keys["key_hex"])
        yield Site(pos, store, fdm, generation, db_url, state, staff)
    finally:
        fdm.close()
        engine.dispose()


# ------------------------------------------------------------------ terminals


@dataclass
class OrderAccount:
    """What one terminal believes it did with one order."""

    order_id: str
    terminal_id: str
    lines: list[str] = field(default_factory=list)  # product ids, quantity 1 each, in order
    rounds: int = 0
    round_tickets: list[int] = field(default_factory=list)
    sale_ticket: int | None = None
    paid: bool = False

    @property
    def total_cents(self) -> int:
        return sum(PRICES[p] for p in self.lines)


@dataclass
class Terminal:
    """One terminal thread: its waiter, its orders and its payment latencies."""

    site: Site
    terminal_id: str
    employee_id: str
    interval: float
    deadline: float
    give_up: float
    seed: int
    orders: list[OrderAccount] = field(default_factory=list)
    pay_ms: list[float] = field(default_factory=list)
    blocked: Counter[str] = field(default_factory=Counter)
    failure: str = ""

    @property
    def pos(self) -> Pos:
        return self.site.pos

    def _wait(self) -> None:
        """A blocked screen: wait a little, then ask the POS to send what is pending."""
        if time.monotonic() > self.give_up:
            raise TimeoutError(f"{self.terminal_id}: still blocked at the end of the grace period")
        time.sleep(0.1)
        with contextlib.suppress(FiscalBlockedError, *TRANSIENT):
            self.pos.retry_pending()

    def _call(self, action: Callable[[], T]) -> T | None:
        """Run ``action``; None when the FDM or the database failed (the caller reloads and decides)."""
        try:
            return action()
        except FiscalBlockedError as error:
            self.blocked["pending" if error.pending else "refused"] += 1
        except DomainError as error:
            if error.rule not in ("STALE_VERSION", "NOT_OPEN"):
                raise
            self.blocked[error.rule] += 1
        except TRANSIENT as error:
            self.blocked[type(error).__name__] += 1
        self._wait()
        return None

    def _view(self, order_id: str) -> Any:
        while True:
            view = self._call(lambda: self.pos.order(order_id))
            if view is None:
                continue
            if view.status == "signing":  # an event of this order waits for the FDM
                self._wait()
                continue
            return view

    def run(self) -> None:
        rng = random.Random(self.seed)
        try:
            signed_in = self._call(lambda: self.employee_id in self.pos.clocked_in())
            while not signed_in:
                self._call(lambda: self.pos.clock_in(self.employee_id, self.terminal_id))
                signed_in = self._call(lambda: self.employee_id in self.pos.clocked_in())
            next_at = time.monotonic() + rng.expovariate(1 / self.interval)
            while time.monotonic() < self.deadline:
                time.sleep(max(0.0, min(next_at, self.deadline) - time.monotonic()))
                if time.monotonic() >= self.deadline:
                    break
                self.serve_table(rng)
                next_at = max(next_at + rng.expovariate(1 / self.interval), time.monotonic() - self.interval)
        except Exception as error:  # reported in the result, the test fails on it
            self.failure = f"{type(error).__name__}: {error}"

    def serve_table(self, rng: random.Random) -> None:
        table = CostCentre(CostCentreType.TABLE, f"{self.terminal_id}-{len(self.orders) + 1}")
        order_id = f"load-{self.terminal_id}-{len(self.orders) + 1}-{rng.randrange(16**6):06x}"
        account = OrderAccount(order_id, self.terminal_id)
        self.orders.append(account)
        while True:
            opened = self._call(lambda: self.pos.open_order(self.employee_id, table, order_id=order_id))
            if opened is not None:
                break
            with contextlib.suppress(*TRANSIENT, DomainError):
                self.pos.order(order_id)  # committed although the answer was lost
                break
        for _round in range(2):
            self.enter(account, [rng.choice(MENU) for _ in range(rng.randint(1, 4))])
            self.send_round(account)
        self.pay(account, rng)

    def enter(self, account: OrderAccount, products: list[str]) -> None:
        wanted = account.lines + products
        while True:
            view = self._view(account.order_id)
            have = len(view.order.lines)
            if have >= len(wanted):
                break
            product = wanted[have]
            self._call(
                partial(
                    self.pos.add_item, account.order_id, view.version, self.employee_id, product, Decimal(1)
                )
            )
        account.lines = [line.product_id for line in self._view(account.order_id).order.lines]

    def send_round(self, account: OrderAccount) -> None:
        while True:
            view = self._view(account.order_id)
            if not view.order.pending():
                break
            signed = self._call(
                partial(
                    self.pos.send_round, account.order_id, view.version, self.employee_id, self.terminal_id
                )
            )
            if signed is not None:
                account.round_tickets.append(signed.event.ticket_number)
                break
        account.rounds += 1

    def pay(self, account: OrderAccount, rng: random.Random) -> None:
        total = Money(account.total_cents)
        if rng.random() < 0.5:
            tenders = [Tender(PaymentMethod.CARD, total)]
        else:
            tenders = [Tender(PaymentMethod.CASH, Money((account.total_cents // 1000 + 1) * 1000))]
        while True:
            view = self._view(account.order_id)
            if view.status == "closed":
                break
            started = time.perf_counter()
            signed = self._call(
                partial(
                    self.pos.pay, account.order_id, view.version, self.employee_id, self.terminal_id, tenders
                )
            )
            if signed is not None:
                self.pay_ms.append((time.perf_counter() - started) * 1000)
                account.sale_ticket = signed.event.ticket_number
                break
        account.paid = True


@dataclass
class LoadReport:
    """The outcome of a load run."""

    terminals: list[Terminal]
    seconds: float
    generation: int

    @property
    def orders(self) -> list[OrderAccount]:
        return [order for terminal in self.terminals for order in terminal.orders]

    @property
    def pay_ms(self) -> list[float]:
        return [ms for terminal in self.terminals for ms in terminal.pay_ms]

    @property
    def failures(self) -> list[str]:
        return [f"{t.terminal_id}: {t.failure}" for t in self.terminals if t.failure]

    def blocked(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for terminal in self.terminals:
            total.update(terminal.blocked)
        return total

    def summary(self) -> dict[str, Any]:
        pay = self.pay_ms
        orders = self.orders
        return {
            "generation": self.generation,
            "terminals": len(self.terminals),
            "seconds": round(self.seconds, 1),
            "tables": len(orders),
            "tables_paid": sum(o.paid for o in orders),
            "lines": sum(len(o.lines) for o in orders),
            "payments_per_minute": round(sum(o.paid for o in orders) / self.seconds * 60, 1),
            "pay_p50_ms": round(percentile(pay, 0.5), 2),
            "pay_p99_ms": round(percentile(pay, 0.99), 2),
            "pay_max_ms": round(max(pay, default=0.0), 2),
            "blocked": dict(self.blocked()),
            "failures": self.failures,
        }


def run_load(
    site: Site,
    *,
    terminals: int,
    seconds: float,
    rate: float,
    grace: float = 120.0,
    seed: int = 1,
    during: Callable[[], None] | None = None,
) -> LoadReport:
    """Run ``terminals`` terminals for ``seconds`` at ``rate`` times a busy Saturday; ``during`` runs in
    this thread meanwhile (a fault drill). Every table started is paid before this returns."""
    if terminals > len(site.employees):
        raise ValueError(f"terminals: at most {len(site.employees)} (one waiter each)")
    tables_per_second = rate * BUSY_SATURDAY_TABLES_PER_HOUR / 3600
    interval = terminals / tables_per_second
    started = time.monotonic()
    deadline = started + seconds
    workers = [
        Terminal(
            site, f"T{n + 1:02d}", site.employees[n], interval, deadline, deadline + grace, seed * 1000 + n
        )
        for n in range(terminals)
    ]
    run_in_threads(workers, deadline + grace, during)
    return LoadReport(workers, time.monotonic() - started, site.generation)


def settle(site: Site, timeout: float = 60.0) -> None:
    """Send every pending event until none is left (after a drill); raises when the FDM stays away."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            site.pos.retry_pending()
            if not site.pos.signer.pending():
                return
        except FiscalBlockedError:
            pass
        except TRANSIENT:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(
                "events still pending: " + ", ".join(str(p.ticket_number) for p in site.pos.signer.pending())
            )
        time.sleep(0.2)


def clock_out_all(site: Site) -> None:
    for employee in sorted(site.pos.clocked_in()):
        site.pos.clock_out(employee, "T01")


# ------------------------------------------------------------------ checks


def journal(db_url: str) -> tuple[list[dict[str, Any]], int]:
    """Every journal record in order, and the number of pending events left."""
    engine = open_engine(db_url)
    try:
        with engine.connect() as connection:
            bodies = [
                json.loads(row[0])
                for row in connection.execute(text("SELECT body FROM journal ORDER BY seq"))
            ]
            pending = int(connection.execute(text("SELECT count(*) FROM pending_sign")).scalar_one())
    finally:
        engine.dispose()
    return bodies, pending


def check_chain(
    bodies: list[dict[str, Any]], fdm_counters: tuple[dict[str, int], int] | None = None
) -> list[str]:
    """Chain, sequence, continuous numbers, unique signatures, FDM counters: a list of problems."""
    problems: list[str] = []
    prev = GENESIS
    for index, record in enumerate(bodies, start=1):
        if record["seq"] != index:
            problems.append(f"seq {record['seq']} where {index} was expected")
        if record["prev"] != prev or record_hash(record) != record["hash"]:
            problems.append(f"chain broken at seq {record['seq']}")
        prev = record["hash"]
    numbers = [r["event"]["ticket_number"] for r in bodies if r["type"] in ("event", "refused", "void")]
    if numbers != list(range(1, len(numbers) + 1)):
        missing = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
        doubled = [n for n, c in Counter(numbers).items() if c > 1]
        problems.append(f"ticket numbers not continuous: missing {missing[:10]}, doubled {doubled[:10]}")
    signed = [r for r in bodies if r.get("fdm")]
    signatures = Counter(r["fdm"]["signature"] for r in signed)
    if any(c > 1 for c in signatures.values()):
        problems.append("a signature appears twice")
    per_fdm: dict[str, list[int]] = {}
    labels: Counter[str] = Counter()
    for record in signed:
        per_fdm.setdefault(record["fdm"]["fdm_id"], []).append(int(record["fdm"]["total_counter"]))
        labels[record["fdm"]["event_label"]] += 1
    for fdm_id, totals in per_fdm.items():
        if totals != list(range(totals[0], totals[0] + len(totals))):
            problems.append(f"FDM {fdm_id} total counters not continuous in the journal")
    if fdm_counters is not None:
        fdm_labels, fdm_total = fdm_counters
        if fdm_total != len(signed) or {k: v for k, v in fdm_labels.items() if v} != dict(labels):
            problems.append(
                f"FDM counters {fdm_total} {fdm_labels} differ from the journal {len(signed)} {dict(labels)}"
            )
    return problems


class TerminalThread(Protocol):
    """A simulated terminal: its thread's work, its name, and what stopped it."""

    terminal_id: str
    failure: str

    def run(self) -> None: ...


def run_in_threads(
    terminals: Sequence[TerminalThread], give_up: float, during: Callable[[], None] | None = None
) -> None:
    """Run each terminal in its own thread, ``during`` meanwhile (faults), and wait for them until 30 s
    after ``give_up`` (a monotonic time); a terminal still running then is marked failed."""
    threads = [threading.Thread(target=t.run, name=t.terminal_id, daemon=True) for t in terminals]
    for thread in threads:
        thread.start()
    if during is not None:
        during()
    for thread in threads:
        thread.join(timeout=max(1.0, give_up + 30 - time.monotonic()))
    for terminal, thread in zip(terminals, threads, strict=True):
        if thread.is_alive() and not terminal.failure:
            terminal.failure = "still running after the grace period"


class BelievedOrder(Protocol):
    """What a simulated terminal believes it did with one order (:class:`OrderAccount`, the web
    terminals' ``WebOrder``)."""

    lines: list[str]
    rounds: int
    round_tickets: list[int]
    sale_ticket: int | None
    paid: bool

    @property
    def total_cents(self) -> int: ...


def check_orders(accounts: Mapping[str, BelievedOrder], bodies: list[dict[str, Any]]) -> list[str]:
    """Each order the terminals believe they served against its journaled events: exactly one SALE with
    the lines entered (quantity 1 each) and their total, one ORDER per round with the same lines, the
    ticket numbers the terminal was given, and no event of an order no terminal made."""
    problems: list[str] = []
    by_order: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for record in bodies:
        if record["type"] != "event":
            continue
        kind = record["event"]["kind"]
        if kind in ("ORDER", "SALE", "PRE_BILL", "COST_CENTER_CHANGE"):
            order_id = str((record.get("pos") or {}).get("order_id"))
            by_order.setdefault(order_id, {}).setdefault(kind, []).append(record)
    for order_id in sorted(set(by_order) - set(accounts)):
        problems.append(f"journal has events of order {order_id} that no terminal made")
    for order_id, account in accounts.items():
        kinds = by_order.get(order_id, {})
        sales, rounds = kinds.get("SALE", []), kinds.get("ORDER", [])
        if set(kinds) - {"SALE", "ORDER"}:
            problems.append(f"{order_id}: unexpected events {sorted(kinds)}")
        if not account.paid:
            problems.append(f"{order_id}: the terminal never saw it paid")
        if len(sales) != 1:
            problems.append(f"{order_id}: {len(sales)} sales in the journal, 1 expected")
            continue
        sale = sales[0]["event"]
        if Money.parse(sale["total"], "total").cents != account.total_cents:
            problems.append(f"{order_id}: sale total {sale['total']} != {account.total_cents} cents entered")
        sold = [line["product_id"] for line in sale["lines"]]
        if sold != account.lines or any(Decimal(line["quantity"]) != 1 for line in sale["lines"]):
            problems.append(f"{order_id}: sale lines {sold} != entered {account.lines}")
        if len(rounds) != account.rounds:
            problems.append(f"{order_id}: {len(rounds)} rounds journaled, {account.rounds} sent")
        in_rounds = [line["product_id"] for r in rounds for line in r["event"]["lines"]]
        if in_rounds != account.lines:
            problems.append(f"{order_id}: round lines {in_rounds} != entered {account.lines}")
        if account.sale_ticket is not None and account.sale_ticket != sale["ticket_number"]:
            problems.append(
                f"{order_id}: paid as {account.sale_ticket}, journaled as {sale['ticket_number']}"
            )
        journaled_rounds = {r["event"]["ticket_number"] for r in rounds}
        if not set(account.round_tickets) <= journaled_rounds:
            problems.append(
                f"{order_id}: rounds {account.round_tickets} not all journaled ({journaled_rounds})"
            )
    return problems


def check(report: LoadReport, bodies: list[dict[str, Any]], pending: int) -> list[str]:
    """The terminals' account against the journal: a list of problems (empty when all holds)."""
    problems = list(report.failures)
    if pending:
        problems.append(f"{pending} events still pending")
    return problems + check_orders({o.order_id: o for o in report.orders}, bodies)


def verify(db_url: str, out: Path) -> tuple[bool, list[str], dict[str, Any]]:
    """``sce journal export`` then ``sce journal verify``: (ok, findings, summary)."""
    from sce.audit.export import export_journal  # noqa: PLC0415
    from sce.verifier import verify_export  # noqa: PLC0415

    if out.exists():
        shutil.rmtree(out)
    engine = open_engine(db_url)
    try:
        export_journal(engine, out)
    finally:
        engine.dispose()
    found: list[str] = []
    summary = verify_export(out, jobs=1, on_finding=lambda f: found.append(f.text()))
    return summary.ok, found, summary.to_json()


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", required=True, help="database URL (postgresql+psycopg://... or sqlite:///...)"
    )
    parser.add_argument("--fdm", choices=("v2", "v1"), default="v2", help="FDM generation (emulator)")
    parser.add_argument("--terminals", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=10.0, help="multiple of a busy Saturday's peak")
    parser.add_argument("--state", type=Path, help="FDM state directory (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sce-load-") as scratch:
        state = args.state or Path(scratch) / "state"
        emulator = EmulatorProcess(state / "fdm2") if args.fdm == "v2" else None
        try:
            generation = 2 if emulator else 1
            with open_site(
                args.db, generation, state, fdm_url=emulator.url if emulator else "", employees=args.terminals
            ) as site:
                report = run_load(
                    site, terminals=args.terminals, seconds=args.minutes * 60, rate=args.rate, seed=args.seed
                )
                settle(site)
                clock_out_all(site)
            bodies, pending = journal(args.db)
            counters = emulator.counters() if emulator else None
            problems = check(report, bodies, pending) + check_chain(bodies, counters)
            ok, findings, verified = verify(args.db, Path(scratch) / "export")
        finally:
            if emulator:
                emulator.stop()
    result = {
        **report.summary(),
        "rate": args.rate,
        "journal_records": len(bodies),
        "problems": problems,
        "verifier_ok": ok,
        "verifier_findings": findings[:20],
        "verifier": verified,
    }
    print(json.dumps(result, indent=1))
    return 0 if ok and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
