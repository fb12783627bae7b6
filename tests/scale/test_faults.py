"""Faults under load. After each: nothing signed is lost (every FDM signature is in the journal: the
FDM's counters equal the journal's), nothing is signed twice, numbering is continuous, every terminal's
orders are in the journal exactly as entered, and ``sce journal verify`` passes over an export.

* kill -9 of the SCE 2.0 emulator process while terminals pay, then a restart on the same port;
* kill -9 of PostgreSQL (every backend with it) while terminals pay, then crash recovery;
* the network between POS and FDM cut by a loopback TCP proxy (blackhole, drop, reset) while requests
  are in flight, then healed;
* disk full on the volume of a SQLite POS database (a small tmpfs, needs root to mount);
* the POS clock moved back and forward by hours: periods, reports and numbering still hold.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import OperationalError

from sce.devtools import load
from sce.devtools.pgcluster import PostgresCluster
from sce.devtools.tcpproxy import Mode, TcpProxy
from sce.domain.money import Money
from sce.domain.payments import PaymentMethod, Tender
from sce.pos.errors import FiscalBlockedError
from tests.scale.conftest import FULL
from tests.scale.support import assert_journal_sound, show

TERMINALS = 20 if FULL else 10
SECONDS = 120.0 if FULL else 9.0
RATE = 50.0 if FULL else 80.0
BRUSSELS = ZoneInfo("Europe/Brussels")
#: A cut outlasts the SCE 2.0 client's own retries (3 attempts of 1 s with back-off).
CUT_SECONDS = 4.5


def _pending_seen(site: load.Site, until: float) -> int:
    """The most events seen pending at once until ``until`` (the POS keeps them while the FDM is away)."""
    most = 0
    while time.monotonic() < until:
        with contextlib.suppress(Exception):
            most = max(most, len(site.pos.signer.pending()))
        time.sleep(0.05)
    return most


@pytest.mark.slow
def test_kill_9_of_the_fdm_process_under_load(
    postgres_url: str,
    emulator: load.EmulatorProcess,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen: dict[str, int] = {}
    with load.open_site(postgres_url, 2, tmp_path / "state", fdm_url=emulator.url, timeout=1.0) as site:

        def drill() -> None:
            for kill in range(3 if FULL else 2):
                time.sleep(SECONDS / 6)
                emulator.kill()
                seen[f"pending during outage {kill}"] = _pending_seen(site, time.monotonic() + 1.5)
                emulator.start()  # same port and state: the FDM comes back with what it signed

        report = load.run_load(site, terminals=TERMINALS, seconds=SECONDS, rate=RATE, during=drill)
        load.settle(site)
        load.clock_out_all(site)
    blocked = report.blocked()
    assert blocked["pending"] > 0, blocked  # the POS refused to finish while the FDM was down
    assert max(seen.values()) > 0, seen  # and kept the event pending with its number
    assert_journal_sound(postgres_url, tmp_path / "export", report=report, fdm_counters=emulator.counters())
    show(capsys, "fault fdm kill -9", {**report.summary(), **seen})


@pytest.mark.slow
def test_kill_9_of_postgresql_under_load(
    postgres_cluster: PostgresCluster,
    postgres_url: str,
    emulator: load.EmulatorProcess,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with load.open_site(postgres_url, 2, tmp_path / "state", fdm_url=emulator.url) as site:

        def drill() -> None:
            for _ in range(2):
                time.sleep(SECONDS / 5)
                postgres_cluster.kill()
                time.sleep(1.0)
                postgres_cluster.start()  # crash recovery on the same data directory and port

        report = load.run_load(site, terminals=TERMINALS, seconds=SECONDS, rate=RATE, during=drill)
        load.settle(site)
        load.clock_out_all(site)
    blocked = report.blocked()
    assert sum(v for k, v in blocked.items() if k not in ("pending", "refused")) > 0, blocked
    assert_journal_sound(postgres_url, tmp_path / "export", report=report, fdm_counters=emulator.counters())
    show(capsys, "fault postgresql kill -9", report.summary())


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["blackhole", "reset", "drop"])
def test_network_cut_between_pos_and_fdm(
    mode: Mode,
    postgres_url: str,
    emulator: load.EmulatorProcess,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with TcpProxy(("127.0.0.1", emulator.port)) as proxy:
        url = f"{proxy.url}/graphql"
        with load.open_site(postgres_url, 2, tmp_path / "state", fdm_url=url, timeout=1.0) as site:
            hit: list[int] = []

            def drill() -> None:
                for _ in range(2):
                    time.sleep(2.0)
                    hit.append(proxy.cut(mode))  # open connections included: requests in flight
                    time.sleep(CUT_SECONDS)  # longer than the client's own retries
                    proxy.heal()

            seconds = max(SECONDS, 2 * (2.0 + CUT_SECONDS) + 1)
            report = load.run_load(site, terminals=TERMINALS, seconds=seconds, rate=RATE, during=drill)
            load.settle(site)
            load.clock_out_all(site)
    blocked = report.blocked()
    assert blocked["pending"] > 0, blocked
    assert_journal_sound(postgres_url, tmp_path / "export", report=report, fdm_counters=emulator.counters())
    show(capsys, f"fault network {mode}", {**report.summary(), "connections_cut": hit})


# ------------------------------------------------------------------ disk full


@contextlib.contextmanager
def _small_volume(directory: Path, size: str) -> Iterator[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("disk full needs root to mount a small tmpfs (mount -t tmpfs); not root here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"mount of a tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


@pytest.mark.slow
def test_disk_full_on_the_journal_volume(
    emulator: load.EmulatorProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with _small_volume(tmp_path / "volume", "3m") as volume:
        db_url = f"sqlite:///{volume / 'pos.db'}"
        with load.open_site(db_url, 2, tmp_path / "state", fdm_url=emulator.url, employees=2) as site:
            pos, waiter = site.pos, site.employees[0]
            pos.clock_in(waiter, "T01")
            filler = volume / "filler"
            free = os.statvfs(volume).f_bavail * os.statvfs(volume).f_frsize
            filler.write_bytes(b"\0" * max(0, free - 256 * 1024))
            paid: list[int] = []
            refusal: Exception | None = None
            for _ in range(5000):
                try:
                    sale = pos.quick_sale(
                        waiter,
                        "T01",
                        [("STEAK", Decimal(1)), ("BEER", Decimal(2))],
                        [Tender(PaymentMethod.CARD, Money(3350))],
                    )
                except (OperationalError, FiscalBlockedError) as error:
                    refusal = error
                    break
                paid.append(sale.event.ticket_number)
            assert refusal is not None, "the volume never filled up"
            assert "full" in str(refusal).lower(), refusal  # says what is wrong
            # the POS refuses further work while the disk is full, and keeps what it recorded
            with pytest.raises((OperationalError, FiscalBlockedError)):
                for _ in range(20):
                    pos.quick_sale(
                        waiter, "T01", [("BEER", Decimal(1))], [Tender(PaymentMethod.CASH, Money(350))]
                    )
            filler.unlink()  # room again: a signed event left pending is journaled now
            load.settle(site)
            pos.clock_out(waiter, "T01")
            bodies = assert_journal_sound(db_url, tmp_path / "export", fdm_counters=emulator.counters())
    sales = {
        r["event"]["ticket_number"] for r in bodies if r["type"] == "event" and r["event"]["kind"] == "SALE"
    }
    assert set(paid) <= sales
    show(
        capsys,
        "fault disk full",
        {"sales_before_full": len(paid), "refusal": str(refusal)[:120], "journal": len(bodies)},
    )


# ------------------------------------------------------------------ clock jumps


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def jump(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.mark.parametrize("generation", [2, 1], ids=["sce2", "sce1"])
def test_clock_jumps_keep_periods_reports_and_numbers(
    generation: int, postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock(datetime(2026, 11, 21, 11, 0, tzinfo=BRUSSELS))
    state = tmp_path / "state"
    emulator = load.EmulatorProcess(state / "fdm2") if generation == 2 else None
    try:
        with load.open_site(
            postgres_url,
            generation,
            state,
            fdm_url=emulator.url if emulator else "",
            employees=2,
            clock=clock,
        ) as site:
            pos, waiter, manager = site.pos, site.employees[0], site.employees[1]

            def sell(n: int) -> None:
                for _ in range(n):
                    pos.quick_sale(
                        waiter, "T01", [("SOUP", Decimal(1))], [Tender(PaymentMethod.CARD, Money(650))]
                    )
                    clock.jump(minutes=3)

            pos.clock_in(waiter, "T01")
            sell(3)
            clock.jump(hours=-5)  # back before the period's start
            sell(2)
            pos.report("turnover", "X", manager, "T01")
            clock.jump(hours=30)  # forward past 24 h: the period ended, a new one starts
            sell(2)
            clock.jump(hours=-2)
            sell(1)
            pos.clock_out(waiter, "T01")
            pos.report("turnover", "Z", manager, "T01")
        counters = emulator.counters() if emulator else None
    finally:
        if emulator:
            emulator.stop()
    bodies, pending = load.journal(postgres_url)
    assert pending == 0
    assert not load.check_chain(bodies, counters)
    events = [r for r in bodies if r["type"] == "event"]
    periods: dict[str, list[dict[str, Any]]] = {}
    for record in events:
        periods.setdefault(record["period_id"], []).append(record)
    assert len(periods) == 2, list(periods)
    z_numbers = [
        int(r["event"]["report_number"]) for r in events if r["event"]["kind"] == "REPORT_TURNOVER_Z"
    ]
    assert z_numbers == [1, 2]  # the missing Z of the ended period first, then today's
    for records in periods.values():
        booking = {r["booking_date"] for r in records}
        assert len(booking) == 1, booking  # one booking date: the period's start date
        # a Z report of an ended period is made later: only the other events count for its span
        moments = [
            datetime.fromisoformat(r["event"]["pos_datetime"])
            for r in records
            if not r["event"]["kind"].startswith("REPORT_")
        ]
        assert max(moments) - min(moments) <= timedelta(hours=24)
        sales = [r for r in records if r["event"]["kind"] == "SALE"]
        z = [r for r in records if r["event"]["kind"] == "REPORT_TURNOVER_Z"]
        assert len(z) == 1
        figures = z[0]["pos"]["report"]
        assert figures["sales"]["count"] == len(sales)
        assert Decimal(figures["sales"]["amount"]) == sum(Decimal(r["event"]["total"]) for r in sales)
    ok, findings, _summary = load.verify(postgres_url, tmp_path / "export")
    # the verifier is told nothing about the jumps: it may only flag the moments the clock went back
    others = [f for f in findings if "time" not in f.lower() and "clock" not in f.lower()]
    assert not others, findings
    show(
        capsys,
        f"fault clock jumps sce{generation}",
        {"events": len(events), "z": z_numbers, "time_findings": len(findings), "verifier_ok": ok},
    )
