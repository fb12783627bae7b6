"""Throughput of N terminals in parallel on PostgreSQL through ``Pos`` against one durable commit.

N threads, each a terminal with its own waiter clocked in, take counter payments (``Pos.quick_sale``:
order, items, signed SALE) as fast as they can on one site: PostgreSQL (a throwaway server with
``fsync`` and ``synchronous_commit`` on) and the SCE 2.0 emulator in its own process. The floor,
measured in the same run on the same server, is the rate of single durable commits of one row by one
client: every payment needs at least two of them (pending row, journal record) plus a signature, and
events are serialised per FDM, so payments per second stay below that rate whatever N is.

Run: ``.venv/bin/python bench/pos_terminals.py [--quick] [--json]`` (also part of ``sce bench``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from sce.db.engine import open_engine
from sce.devtools.load import EmulatorProcess, open_site, percentile
from sce.devtools.pgcluster import PostgresCluster
from sce.domain.money import Money
from sce.domain.payments import PaymentMethod, Tender

ITEMS = [("BEER", Decimal(2)), ("SOUP", Decimal(1))]
CARD = [Tender(PaymentMethod.CARD, Money(1350))]


def commits_per_second(url: str, seconds: float) -> float:
    engine = open_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE floor_commit (n BIGINT PRIMARY KEY, body TEXT NOT NULL)"))
        done = 0
        body = "x" * 2000
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            with engine.begin() as connection:
                connection.execute(
                    text("INSERT INTO floor_commit (n, body) VALUES (:n, :b)"), {"n": done, "b": body}
                )
            done += 1
        return done / (time.perf_counter() - started)
    finally:
        engine.dispose()


def payments_per_second(url: str, state: Path, terminals: int, seconds: float) -> tuple[float, float]:
    emulator = EmulatorProcess(state / "fdm2")
    try:
        with open_site(url, 2, state, fdm_url=emulator.url, employees=terminals) as site:
            for n, employee in enumerate(site.employees):
                site.pos.clock_in(employee, f"T{n + 1:02d}")
            site.pos.quick_sale(site.employees[0], "T01", ITEMS, CARD)  # warm up
            counts = [0] * terminals
            latencies: list[float] = []
            deadline = time.perf_counter() + seconds

            def work(index: int) -> None:
                while time.perf_counter() < deadline:
                    began = time.perf_counter()
                    site.pos.quick_sale(site.employees[index], f"T{index + 1:02d}", ITEMS, CARD)
                    latencies.append((time.perf_counter() - began) * 1000)
                    counts[index] += 1

            started = time.perf_counter()
            threads = [threading.Thread(target=work, args=(i,)) for i in range(terminals)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        return sum(counts) / elapsed, percentile(latencies, 0.99)
    finally:
        emulator.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 terminals for 1.5 s (rough figures)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    counts, seconds = ((8,), 1.5) if args.quick else ((1, 4, 16), 20.0)
    runs: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as scratch, PostgresCluster(name="bench-terminals") as cluster:
        floor = commits_per_second(cluster.create_database("floor"), min(seconds, 1.0 if args.quick else 5.0))
        for n in counts:
            runs[n] = payments_per_second(
                cluster.create_database(f"till{n}"), Path(scratch) / f"s{n}", n, seconds
            )
    result = {
        "benchmark": "pos_terminals",
        "quick": args.quick,
        "seconds": seconds,
        "floor_commits_per_second": round(floor, 1),
        "payments_per_second": {str(n): round(r[0], 1) for n, r in runs.items()},
        "payment_p99_ms": {str(n): round(r[1], 2) for n, r in runs.items()},
        "headlines": [
            {
                "measure": f"{n} terminals in parallel on PostgreSQL, payments/s (p99 {r[1]:.1f} ms)",
                "figure": round(r[0], 1),
                "floor": round(floor, 1),
                "floor_name": "single durable commits/s, one client",
                "ratio": round(r[0] / floor, 3),
            }
            for n, r in runs.items()
        ],
    }
    for line in result["headlines"]:
        print(
            f"{line['measure']}: {line['figure']}  floor {line['floor']} ({line['floor_name']})"
            f"  ratio {line['ratio']}"
        )
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
