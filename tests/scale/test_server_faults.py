"""Faults of the POS web server itself, seen from API clients (terminals) that retry with the same
Idempotency-Key until they get an answer.

* kill -9 of ``sce serve`` (its whole process group) at random moments under load, restarted on the same
  port, PostgreSQL database and state; the SCE 2.0 FDM emulator runs in its own process and survives,
  the SCE 1.0 emulator (embedded, ``--fdm emulator-v1``) dies with the server;
* the network between the terminals and the server cut by a loopback TCP proxy (blackhole, reset, drop)
  while requests are in flight, then healed.

After each: every order, line, round and payment a terminal believes done is in the database and the
journal exactly once (and nothing else is), nothing is signed twice, numbering and the FDM's total counter
are continuous and equal to the signed records, no event is left pending, and ``sce journal export`` +
the independent verifier pass.

Each drill runs once per module (fixtures) and is judged by two tests: what must hold whatever happens
(nothing lost or doubled), and whether every request was answered under its own key. The second fails
after a kill -9 because of a defect in ``sce.web.pos.idempotency`` (see the xfail reason), so it is an
expected failure until the server is fixed (``docs/scale.md`` describes it and its fix). For SCE 1.0 the
PIN must be taken at the first try after each restart.
"""

from __future__ import annotations

import contextlib
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sce.devtools import load, webload
from sce.devtools.pgcluster import PostgresCluster
from sce.devtools.tcpproxy import Mode, TcpProxy
from sce.domain.money import Money
from sce.pos.fdm_setup import EMULATOR_PIN
from tests.scale.conftest import FULL
from tests.scale.support import show

TERMINALS = 8 if FULL else 5
KILL_SECONDS = 120.0 if FULL else 11.0
KILLS = 12 if FULL else 3
CUT_SECONDS = 60.0 if FULL else 9.0
CUTS: tuple[Mode, ...] = ("blackhole", "reset", "drop") * (4 if FULL else 1)
#: Client timeout in the network drill; a blackhole lasts longer, so requests in flight time out.
CUT_TIMEOUT = 1.0
CUT_LENGTH = 1.6
MANAGER_PIN = "1111"  # the demo manager (sce.web.pos.demo.PINS)


@dataclass
class Drill:
    """The outcome of one drill and every check made afterwards."""

    terminals: list[webload.ApiTerminal]
    figures: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    chain_problems: list[str] = field(default_factory=list)
    verified: bool = False
    findings: list[str] = field(default_factory=list)
    orphaned_claims: int = 0
    stuck: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _database(cluster: PostgresCluster, name: str) -> Iterator[str]:
    cluster.start()
    database = f"{name}_{uuid.uuid4().hex[:8]}"
    url = cluster.create_database(database)
    try:
        yield url
    finally:
        cluster.start()
        cluster.drop_database(database)


def _judge(
    terminals: list[webload.ApiTerminal],
    db_url: str,
    emulator: load.EmulatorProcess | None,
    root: Path,
    figures: dict[str, Any],
) -> Drill:
    """Every check; the FDM's verification key is the one ``sce serve`` recorded itself (from the
    embedded SCE 1.0 emulator, or from the SCE 2.0 emulator process at its URL)."""
    bodies, pending = load.journal(db_url)
    orders, orphans = webload.server_state(db_url)
    drill = Drill(terminals, figures)
    drill.problems = webload.check(terminals, bodies, pending, orders)
    drill.chain_problems = load.check_chain(bodies, emulator.counters() if emulator else None)
    drill.verified, drill.findings, _summary = load.verify(db_url, root / "export")
    drill.orphaned_claims = orphans
    drill.stuck = [s for t in terminals for s in t.stuck]
    drill.figures.update(
        journal=len(bodies),
        signed=sum(1 for r in bodies if r.get("fdm")),
        orders=len(orders),
        orphaned_claims=orphans,
    )
    return drill


@pytest.fixture(scope="module", params=[2, 1], ids=["sce2-own-process", "sce1-embedded"])
def kill_drill(
    request: pytest.FixtureRequest,
    postgres_cluster: PostgresCluster,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Drill]:
    """SCE 2.0: the emulator in its own process survives every kill. SCE 1.0: the emulator embedded in
    the server (``--fdm emulator-v1``) dies with it, its VSC locked again at each start (PIN entered
    through the API, as the staff would)."""
    generation = int(request.param)
    root = tmp_path_factory.mktemp(f"server-kill-sce{generation}")
    with _database(postgres_cluster, f"server_kill_{generation}") as db_url:
        emulator = load.EmulatorProcess(root / "fdm2") if generation == 2 else None
        fdm = emulator.url if emulator else "emulator-v1"
        server = webload.ServerProcess(db_url, fdm, root / "pos")

        pin_refused: list[str] = []

        def start() -> None:
            server.start()
            if emulator is None:
                pin_refused.extend(webload.unlock_v1(server.url, MANAGER_PIN, EMULATOR_PIN))

        try:
            staff = webload.seed_site(db_url, root / "pos", fdm, TERMINALS)
            start()
            rng = random.Random(10 + generation)

            def drill() -> None:
                for _ in range(KILLS):
                    time.sleep(rng.uniform(0.5, 2 * KILL_SECONDS / (KILLS + 1) - 0.5))
                    server.kill()  # kill -9 of the whole process group, requests in flight
                    time.sleep(rng.uniform(0.0, 0.5))
                    start()  # same port, database and state

            started = time.monotonic()
            terminals = webload.run_terminals(server.url, staff, seconds=KILL_SECONDS, during=drill)
            figures = webload.summary(terminals, time.monotonic() - started)
            figures.update(
                fdm=f"sce{generation}",
                kills=server.kills,
                restart_s=[round(s, 2) for s in server.starts[1:]],
                pin_not_requested=pin_refused,
            )
            server.stop()
            yield _judge(terminals, db_url, emulator, root, figures)
        finally:
            server.stop()
            if emulator:
                emulator.stop()


@pytest.fixture(scope="module")
def cut_drill(postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drill]:
    root = tmp_path_factory.mktemp("server-cut")
    with _database(postgres_cluster, "server_cut") as db_url:
        emulator = load.EmulatorProcess(root / "fdm2")
        server = webload.ServerProcess(db_url, emulator.url, root / "pos")
        try:
            staff = webload.seed_site(db_url, root / "pos", emulator.url, TERMINALS)
            server.start()
            with TcpProxy(("127.0.0.1", server.port)) as proxy:
                cut: list[int] = []

                def drill() -> None:
                    pause = CUT_SECONDS / len(CUTS) - CUT_LENGTH
                    for mode in CUTS:
                        time.sleep(pause)
                        cut.append(proxy.cut(mode))  # the connections open now: requests in flight
                        time.sleep(CUT_LENGTH)  # longer than the clients' timeout
                        proxy.heal()

                started = time.monotonic()
                terminals = webload.run_terminals(
                    proxy.url, staff, seconds=CUT_SECONDS, timeout=CUT_TIMEOUT, during=drill
                )
                figures = webload.summary(terminals, time.monotonic() - started)
                figures.update(cuts=list(CUTS), connections_cut=cut)
            server.stop()
            yield _judge(terminals, db_url, emulator, root, figures)
        finally:
            server.stop()
            emulator.stop()


def _assert_nothing_lost_or_doubled(drill: Drill) -> None:
    assert not drill.problems, drill.problems[:20]
    assert not drill.chain_problems, drill.chain_problems[:20]
    assert drill.verified, drill.findings[:20]
    assert drill.figures["tables_paid"] >= len(drill.terminals), drill.figures


@pytest.mark.slow
def test_kill_9_of_the_server_loses_and_doubles_nothing(
    kill_drill: Drill, capsys: pytest.CaptureFixture[str]
) -> None:
    show(capsys, f"fault server kill -9 {kill_drill.figures['fdm']}", kill_drill.figures)
    assert kill_drill.figures["kills"] == KILLS
    # the kills hit the terminals: connections refused or cut, sessions lost with the server
    assert kill_drill.figures["connection_errors"] > 0, kill_drill.figures
    assert kill_drill.figures["relogins"] > 0, kill_drill.figures
    _assert_nothing_lost_or_doubled(kill_drill)


@pytest.mark.slow
def test_kill_9_of_the_server_answers_every_key(kill_drill: Drill) -> None:
    # a request cut by the kill is settled at the restart: answered "recovered" if it was carried
    # out, released (its retry runs) if not; no key is left IN_PROGRESS
    assert not kill_drill.stuck, kill_drill.stuck[:10]
    assert kill_drill.orphaned_claims == 0


@pytest.mark.slow
def test_kill_9_of_the_server_unlocks_the_vsc_at_the_first_pin(kill_drill: Drill) -> None:
    if kill_drill.figures["fdm"] != "sce1":
        pytest.skip("SCE 1.0 only: an SCE 2.0 FDM has no PIN")
    # the driver keeps the PIN request across a replayed (102) answer and asks the status before a PIN
    assert kill_drill.figures["pin_not_requested"] == [], kill_drill.figures


@pytest.mark.slow
def test_network_cut_between_terminals_and_server_loses_and_doubles_nothing(
    cut_drill: Drill, capsys: pytest.CaptureFixture[str]
) -> None:
    show(capsys, "fault network terminals-server", cut_drill.figures)
    assert sum(cut_drill.figures["connections_cut"]) > 0, cut_drill.figures  # requests were in flight
    assert cut_drill.figures["same_key_retries"] > 0, cut_drill.figures
    _assert_nothing_lost_or_doubled(cut_drill)


@pytest.mark.slow
def test_network_cut_every_key_is_answered(cut_drill: Drill) -> None:
    # the server never died: a retry either ran the request or got the first answer back
    assert not cut_drill.stuck, cut_drill.stuck[:10]
    assert cut_drill.orphaned_claims == 0


def _event(kind: str, number: int, order_id: str, products: list[str], who: str = "") -> dict[str, Any]:
    lines = [{"product_id": p, "quantity": "1"} for p in products]
    total = str(Money(sum(load.PRICES[p] for p in products)))
    event = {"kind": kind, "ticket_number": number, "lines": lines, "total": total, "employee_id": who}
    return {"type": "event", "event": event, "pos": {"order_id": order_id}}


def test_the_check_catches_a_doubled_order_line_and_payment() -> None:
    """The drills' check is not vacuous: each kind of double a retry could cause is reported."""
    terminal = webload.ApiTerminal("http://127.0.0.1:9", "T01", "81010110105", "6001", 0.0, 0.0, 1)
    terminal.client.close()
    terminal.orders = [webload.WebOrder("T01-1", "T01", "o1", ["BEER"], rounds=1, paid=True)]
    work = _event("WORK_IN", 1, "", [], "81010110105")
    fine = [work, _event("ORDER", 2, "o1", ["BEER"]), _event("SALE", 3, "o1", ["BEER"])]
    orders = [("o1", "T01-1", "closed")]
    assert webload.check([terminal], fine, 0, orders) == []
    doubled_order = webload.check([terminal], fine, 0, [*orders, ("o2", "T01-1", "closed")])
    assert any("opened twice" in p for p in doubled_order), doubled_order
    doubled_line = [
        work,
        _event("ORDER", 2, "o1", ["BEER", "BEER"]),
        _event("SALE", 3, "o1", ["BEER", "BEER"]),
    ]
    assert any("sale lines" in p for p in webload.check([terminal], doubled_line, 0, orders))
    doubled_sale = [*fine, _event("SALE", 4, "o1", ["BEER"])]
    assert any("2 sales" in p for p in webload.check([terminal], doubled_sale, 0, orders))
    doubled_work = [*fine, work]
    assert any("WORK_IN journaled 2" in p for p in webload.check([terminal], doubled_work, 0, orders))
