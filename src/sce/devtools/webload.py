"""Terminals that drive a running ``sce serve`` through its JSON API, for fault tests of the server itself.

:class:`ServerProcess` runs ``python -m sce serve`` as its own process group on a fixed loopback port, so
a test can SIGKILL it (``kill -9``, the whole group) and start it again on the same port, database and
state. :func:`seed_site` configures an empty database first (the demo restaurant plus one waiter with a
PIN per terminal), since ``sce serve`` without ``--demo`` refuses an empty database.

Each :class:`ApiTerminal` is a thread with its own waiter, logged in with its PIN (``POST /api/v1/session``,
bearer token). It serves tables one after the other like the load test's terminals (open the order,
enter 1-4 items, send a round, enter more, send a second round, pay), every change with a fresh
``Idempotency-Key``. After a connection error, a timeout, a 5xx or a 401 (a restarted server forgot the
sessions: it logs in again) it sends the SAME request with the SAME key until it gets an answer; a 409
``IN_PROGRESS`` is waited out. Only a final answer other than success (409 stale version, ...) makes it
reload the order from the server and decide, with a new key, what is still to do. A key still answered
``IN_PROGRESS`` after :data:`STUCK_SECONDS` is recorded as stuck (its first run died with the server and
the claim was never answered or released) and the terminal reconciles from what the server shows; so
does a "recovered" answer (the restarted server found the request carried out before it died).

Each terminal keeps the lines it meant to enter (not what the server shows), the rounds and the payment
it believes done and how it came to believe it (an answer, a replayed answer, or what a reload showed).
:func:`check` compares that with the journal and the ``orders`` table: every order exactly once, exactly
the lines entered, one ORDER event per round, exactly one SALE with the expected total, nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from sce.db.engine import open_engine
from sce.devtools.load import MENU, PRICES, ROOT, check_orders, employee_ids, percentile, run_in_threads
from sce.domain.money import Money
from sce.domain.staff import Employee
from sce.pos.service import Pos
from sce.web.pos import demo
from sce.web.pos.runtime import FdmChoice, open_runtime
from sce.web.pos.security import hash_secret

__all__ = [
    "STUCK_SECONDS",
    "ApiTerminal",
    "ServerProcess",
    "WebOrder",
    "check",
    "free_port",
    "run_terminals",
    "seed_site",
    "server_state",
    "unlock_v1",
]

#: A key answered IN_PROGRESS for this long is stuck: nothing is still running it.
STUCK_SECONDS = 4.0
#: Waiters' PINs: 6001, 6002, ... (the demo staff uses 1111-4444 and 9797).
PIN_BASE = 6000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed_site(db_url: str, state: Path, fdm_url: str, waiters: int) -> list[tuple[str, str]]:
    """The demo restaurant (menu, stations, demo staff) and ``waiters`` waiters with PINs on an empty
    database; returns (employee id, PIN) of the waiters."""
    staff = [(insz, str(PIN_BASE + n)) for n, insz in enumerate(employee_ids(waiters), start=1)]

    def configure(pos: Pos) -> None:
        demo.seed(pos)
        for number, (insz, pin) in enumerate(staff, start=1):
            pos.add_employee(Employee(insz, f"Waiter {number}"), "waiter", pin_hash=hash_secret(pin))

    runtime = open_runtime(db_url, FdmChoice.parse(fdm_url), state, seed=configure)
    runtime.close()
    return staff


class ServerProcess:
    """``python -m sce serve --db URL --fdm FDM --state DIR --port PORT`` in its own process group."""

    def __init__(self, db_url: str, fdm: str, state: Path, port: int = 0) -> None:
        self.db_url = db_url
        self.fdm = fdm
        self.state = state
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = state / "serve.log"
        self.starts: list[float] = []  # seconds each start took until the server answered
        self.kills = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "sce", "serve", "--db", self.db_url, "--fdm", self.fdm]
        command += ["--state", str(self.state), "--host", "127.0.0.1", "--port", str(self.port)]
        started = time.monotonic()
        deadline = started + timeout
        while True:
            with self.log.open("ab") as log:
                process = subprocess.Popen(
                    command,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                    cwd=ROOT,
                    start_new_session=True,
                )
            self.process = process
            while process.poll() is None and time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{self.url}/", timeout=1.0).status_code == 200:
                        self.starts.append(time.monotonic() - started)
                        return
                time.sleep(0.05)
            self.kill()
            if time.monotonic() >= deadline:
                tail = self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise RuntimeError(f"sce serve did not answer on port {self.port}:\n{tail}")
            time.sleep(0.2)  # the port may still be held for a moment: try again

    def kill(self) -> None:
        """kill -9 of the whole process group (a power cut of the server)."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def unlock_v1(base_url: str, secret: str, pin: str, timeout: float = 30.0) -> list[str]:
    """Enter the VSC PIN of an SCE 1.0 FDM through the API, as the staff would (a started server finds it
    locked; the events left pending are sent then); ``secret`` is a staff PIN to log in with.

    When the server refuses the PIN because "the FDM has not asked for a PIN" although the FDM is not
    ready, the staff look at the FDM's state (``GET /api/v1/fdm``, which asks the FDM its status) and enter
    the PIN again. Returns what the FDM was each time that happened, ``ready`` (the PIN had been taken)
    or ``locked`` (a defect of the SCE 1.0 driver: see ``docs/scale.md``)."""
    deadline = time.monotonic() + timeout
    last = ""
    refused: list[str] = []
    with httpx.Client(base_url=f"{base_url}/api/v1", timeout=10.0) as client:
        while True:
            try:
                login = client.post("/session", json={"secret": secret, "terminal_id": "FDM"})
                last = f"login {login.status_code} {login.text[:300]}"
                if login.status_code == 200:
                    auth = {"Authorization": f"Bearer {login.json()['token']}"}
                    answer = client.post(
                        "/fdm/unlock",
                        json={"pin": pin},
                        headers={**auth, "Idempotency-Key": f"unlock-{uuid.uuid4().hex}"},
                    )
                    if answer.status_code == 200:
                        return refused
                    last = f"unlock {answer.status_code} {answer.text[:300]}"
                    if "not asked for a PIN" in answer.text:
                        health = client.get("/fdm", headers=auth)
                        ready = health.status_code == 200 and bool(health.json().get("ready"))
                        refused.append("ready" if ready else "locked")
                        if ready:
                            return refused
            except httpx.HTTPError as error:
                last = repr(error)
            if time.monotonic() > deadline:
                raise RuntimeError(f"the SCE 1.0 FDM could not be unlocked at {base_url}: {last}")
            time.sleep(0.2)


# ------------------------------------------------------------------ terminals


@dataclass
class WebOrder:
    """What one API terminal believes it did with one order."""

    table: str
    terminal_id: str
    order_id: str = ""
    lines: list[str] = field(default_factory=list)  # product ids it meant to enter, quantity 1 each
    rounds: int = 0
    round_tickets: list[int] = field(default_factory=list)
    sale_ticket: int | None = None
    paid: bool = False

    @property
    def total_cents(self) -> int:
        return sum(PRICES[p] for p in self.lines)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: dict[str, Any]


class UnexpectedAnswerError(RuntimeError):
    """An answer a terminal cannot explain (the test fails on it)."""


@dataclass
class ApiTerminal:
    """One terminal thread talking to the server over HTTP."""

    base_url: str
    terminal_id: str
    employee_id: str
    pin: str
    deadline: float
    give_up: float
    seed: int
    timeout: float = 3.0
    think: float = 0.05
    orders: list[WebOrder] = field(default_factory=list)
    pay_ms: list[float] = field(default_factory=list)
    stats: Counter[str] = field(default_factory=Counter)
    stuck: list[str] = field(default_factory=list)
    failure: str = ""
    token: str | None = None

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.base_url, timeout=self.timeout)

    # -------------------------------------------------------------- transport

    def _pause(self, seconds: float = 0.1) -> None:
        if time.monotonic() > self.give_up:
            raise TimeoutError(f"{self.terminal_id}: still not answered at the end of the grace period")
        time.sleep(seconds)

    def _login(self) -> None:
        while True:
            try:
                answer = self.client.post(
                    "/api/v1/session", json={"secret": self.pin, "terminal_id": self.terminal_id}
                )
            except httpx.TransportError:
                self.stats["connection_errors"] += 1
                self._pause()
                continue
            if answer.status_code == 200:
                self.token = str(answer.json()["token"])
                self.stats["logins"] += 1
                return
            if answer.status_code >= 500 or answer.status_code == 429:
                self.stats["5xx"] += 1
                self._pause()
                continue
            raise UnexpectedAnswerError(f"login refused: {answer.status_code} {answer.text[:200]}")

    def send(
        self, method: str, path: str, body: dict[str, Any] | None = None, key: str = ""
    ) -> Answer | None:
        """The request until it is answered, always with the same ``key``; None when the answer does not
        tell the outcome (the request was carried out before a restart, or the key is stuck)."""
        busy_since: float | None = None
        while True:
            if self.token is None:
                self._login()
            headers = {"Authorization": f"Bearer {self.token}"}
            if key:
                headers["Idempotency-Key"] = key
            self.stats["requests"] += 1
            try:
                answer = self.client.request(method, f"/api/v1{path}", json=body, headers=headers)
                data = answer.json() if answer.content else {}
            except (httpx.TransportError, json.JSONDecodeError):
                self.stats["connection_errors"] += 1
                if key:
                    self.stats["same_key_retries"] += 1
                self._pause(0.05)
                continue
            status = answer.status_code
            if status == 401:  # a restarted server forgot the sessions
                self.token = None
                self.stats["relogins"] += 1
                continue
            if status >= 500:
                self.stats["5xx"] += 1
                if key:
                    self.stats["same_key_retries"] += 1
                self._pause()
                continue
            if status == 409 and (data.get("error") or {}).get("rule") == "IN_PROGRESS":
                self.stats["in_progress"] += 1
                busy_since = busy_since or time.monotonic()
                if time.monotonic() - busy_since > STUCK_SECONDS:
                    self.stuck.append(f"{method} {path} {key}")
                    return None
                self._pause()
                continue
            if data.get("replayed"):
                self.stats["replayed"] += 1
            if data.get("recovered"):  # carried out before the server restarted: reconcile from it
                self.stats["recovered"] += 1
                return None
            return Answer(status, data)

    def get(self, path: str) -> dict[str, Any]:
        answer = self.send("GET", path)
        if answer is None or answer.status != 200:
            raise UnexpectedAnswerError(f"GET {path}: {answer}")
        return answer.body

    def change(self, path: str, body: dict[str, Any]) -> Answer | None:
        return self.send("POST", path, body, f"{self.terminal_id}-{uuid.uuid4().hex}")

    # -------------------------------------------------------------- the waiter's work

    def view(self, order_id: str) -> dict[str, Any]:
        """The order as the server has it, once no event of it waits for the FDM."""
        waited = 0
        while True:
            order = self.get(f"/orders/{order_id}")
            if order["status"] != "signing":
                return order
            waited += 1
            if waited % 20 == 0:  # an event stays pending: ask the server to send it again
                self.change("/fdm/retry", {})
            self._pause()

    def run(self) -> None:
        rng = random.Random(self.seed)
        try:
            while not self.get("/me")["clocked_in"]:
                self.change(
                    "/clock", {"secret": self.pin, "terminal_id": self.terminal_id, "direction": "in"}
                )
            while time.monotonic() < self.deadline:
                self.serve_table(rng)
                time.sleep(rng.uniform(0, 2 * self.think))
        except Exception as error:  # reported in the result, the test fails on it
            self.failure = f"{type(error).__name__}: {error}"
        finally:
            self.client.close()

    def serve_table(self, rng: random.Random) -> None:
        order = WebOrder(f"{self.terminal_id}-{len(self.orders) + 1}", self.terminal_id)
        self.orders.append(order)
        known = self.open(order)
        for _round in range(2):
            known = self.enter(order, [rng.choice(MENU) for _ in range(rng.randint(1, 4))], known)
            known = self.send_round(order, known)
        self.pay(order, rng, known)

    def _reconciled(self, what: str) -> None:
        self.stats[f"reconciled_{what}"] += 1

    def open(self, order: WebOrder) -> dict[str, Any] | None:
        while True:
            answer = self.change("/orders", {"table": order.table})
            if answer is not None and answer.status == 200:
                order.order_id = str(answer.body["order_id"])
                return answer.body
            if answer is not None:
                raise UnexpectedAnswerError(f"open {order.table}: {answer}")
            floor = self.get("/floor")
            here = [o for o in floor["others"] if o["table"] == order.table]
            if len(here) > 1:
                raise UnexpectedAnswerError(f"table {order.table} has {len(here)} orders: opened twice")
            if here:  # the stuck request did open it
                order.order_id = str(here[0]["order_id"])
                self._reconciled("open")
                return None

    def enter(
        self, order: WebOrder, products: list[str], known: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        for product in products:
            index = len(order.lines)
            order.lines.append(product)
            tried = False
            while True:
                current = known or self.view(order.order_id)
                known = None
                if len(current["lines"]) > index:
                    if not tried:
                        raise UnexpectedAnswerError(f"{order.order_id}: a line {index + 1} nobody entered")
                    self._reconciled("line")
                    break
                tried = True
                body = {"version": current["version"], "product_id": product, "quantity": "1"}
                answer = self.change(f"/orders/{order.order_id}/items", body)
                if answer is not None and answer.status == 200:
                    known = answer.body
                    break
                if answer is not None and answer.status != 409:
                    raise UnexpectedAnswerError(f"add {product} to {order.order_id}: {answer}")
        return known

    def send_round(self, order: WebOrder, known: dict[str, Any] | None) -> dict[str, Any] | None:
        while True:
            current = known or self.view(order.order_id)
            known = None
            if current["pending"] == 0:
                self._reconciled("round")
                break
            answer = self.change(f"/orders/{order.order_id}/rounds", {"version": current["version"]})
            if answer is not None and answer.status == 200:
                order.round_tickets.append(int(answer.body["event"]["ticket_number"]))
                known = answer.body["order"]
                break
            if answer is not None and answer.status != 409:
                raise UnexpectedAnswerError(f"round of {order.order_id}: {answer}")
        order.rounds += 1
        return known

    def pay(self, order: WebOrder, rng: random.Random, known: dict[str, Any] | None) -> None:
        cents = order.total_cents
        if rng.random() < 0.5:
            tender = {"method": "CARD", "amount": str(Money(cents))}
        else:
            tender = {"method": "CASH", "amount": str(Money((cents // 1000 + 1) * 1000))}
        while True:
            current = known or self.view(order.order_id)
            known = None
            if current["status"] == "closed":
                self._reconciled("payment")
                break
            started = time.perf_counter()
            body = {"version": current["version"], "tenders": [tender]}
            answer = self.change(f"/orders/{order.order_id}/payment", body)
            if answer is not None and answer.status == 200:
                self.pay_ms.append((time.perf_counter() - started) * 1000)
                order.sale_ticket = int(answer.body["ticket_number"])
                break
            if answer is not None and answer.status != 409:
                raise UnexpectedAnswerError(f"payment of {order.order_id}: {answer}")
        order.paid = True


def run_terminals(
    base_url: str,
    staff: list[tuple[str, str]],
    *,
    seconds: float,
    grace: float = 90.0,
    seed: int = 1,
    timeout: float = 3.0,
    during: Callable[[], None] | None = None,
) -> list[ApiTerminal]:
    """One terminal per waiter in ``staff`` for ``seconds``; ``during`` runs in this thread meanwhile (the
    fault drill). Every table started is paid before this returns (or the terminal reports a failure)."""
    started = time.monotonic()
    deadline = started + seconds
    terminals = [
        ApiTerminal(
            base_url, f"T{n + 1:02d}", insz, pin, deadline, deadline + grace, seed * 1000 + n, timeout
        )
        for n, (insz, pin) in enumerate(staff)
    ]
    run_in_threads(terminals, deadline + grace, during)
    return terminals


def summary(terminals: list[ApiTerminal], seconds: float) -> dict[str, Any]:
    orders = [o for t in terminals for o in t.orders]
    pay = [ms for t in terminals for ms in t.pay_ms]
    stats: Counter[str] = Counter()
    for terminal in terminals:
        stats.update(terminal.stats)
    return {
        "terminals": len(terminals),
        "seconds": round(seconds, 1),
        "tables_paid": sum(o.paid for o in orders),
        "lines": sum(len(o.lines) for o in orders),
        "pay_p50_ms": round(percentile(pay, 0.5), 1),
        "pay_p99_ms": round(percentile(pay, 0.99), 1),
        "stuck_keys": sum(len(t.stuck) for t in terminals),
        **dict(sorted(stats.items())),
    }


# ------------------------------------------------------------------ checks


def server_state(db_url: str) -> tuple[list[tuple[str, str, str]], int]:
    """(order id, cost centre, status) of every order, and the idempotency keys claimed but never
    answered (their request died with the server)."""
    engine = open_engine(db_url)
    try:
        with engine.connect() as connection:
            orders = [
                (str(r[0]), str(r[1]), str(r[2]))
                for r in connection.execute(text("SELECT order_id, cost_center_id, status FROM orders"))
            ]
            orphans = int(
                connection.execute(
                    text("SELECT count(*) FROM web_idempotency WHERE status_code IS NULL")
                ).scalar_one()
            )
    finally:
        engine.dispose()
    return orders, orphans


def check(
    terminals: list[ApiTerminal],
    bodies: list[dict[str, Any]],
    pending: int,
    orders: list[tuple[str, str, str]],
) -> list[str]:
    """The terminals' account against the journal and the orders table: a list of problems."""
    problems = [f"{t.terminal_id}: {t.failure}" for t in terminals if t.failure]
    if pending:
        problems.append(f"{pending} events still pending")
    accounts = {o.order_id: o for t in terminals for o in t.orders}
    if "" in accounts:
        problems.append("an order the terminal never got an id for")
    tables = Counter(centre for _order_id, centre, _status in orders)
    problems += [f"table {table} has {n} orders: opened twice" for table, n in tables.items() if n > 1]
    problems += [
        f"order {o} ({c}) in the database, no terminal opened it" for o, c, _s in orders if o not in accounts
    ]
    problems += [f"order {o} ({c}) left {s}" for o, c, s in orders if s != "closed"]
    missing = set(accounts) - {o for o, _c, _s in orders}
    problems += [f"order {o} believed opened, not in the database" for o in sorted(missing)]
    problems += check_orders(accounts, bodies)
    work = Counter(
        (r["event"]["employee_id"], r["event"]["kind"])
        for r in bodies
        if r["type"] == "event" and r["event"]["kind"].startswith("WORK")
    )
    problems += [f"{who} {kind} journaled {n} times" for (who, kind), n in work.items() if n > 1]
    problems += [
        f"{t.terminal_id}: its waiter clocked in {work[(t.employee_id, 'WORK_IN')]} times, 1 expected"
        for t in terminals
        if work[(t.employee_id, "WORK_IN")] != 1
    ]
    return problems
