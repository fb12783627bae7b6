"""N terminals appending to one hash-chained PostgreSQL journal at once, against one durable commit.

Run: ``.venv/bin/python bench/pg_parallel.py [--quick] [--json] [--writers N]``.

A throwaway PostgreSQL server (``sce.devtools.pgcluster``, fsync and synchronous_commit on) holds the
representative journal table of ``sce.chain.tables``. Measured, in the same run:

* floor: one writer committing one plain row per transaction, nothing else (the cost of a durable
  commit on this disk);
* ``lock``: N writer threads appending to ONE site's chain, serialized by a per-site advisory lock
  held until commit (each record needs its predecessor's hash, so one chain is at best one durable
  commit per record: the ratio says how close it gets);
* ``serializable``: the same with SERIALIZABLE transactions retried on conflict instead of a lock;
* ``sites``: N writers each on its own site's chain (independent chains share the disk's flushes).

After each run the chain is verified (numbers without gap or double, hashes linked) and the record
count must equal the appends the writers counted; otherwise the script fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from datetime import date

import sqlalchemy as sa

from sce.chain.tables import AppendMode, append_record, create_tables, sale_payload, verify_chain
from sce.devtools.pgcluster import PostgresCluster

PAYLOAD = sale_payload(date(2026, 11, 21), {"A": (1000, 210), "C": (500, 30)})


def floor_commit_ms(engine: sa.Engine, seconds: float) -> list[float]:
    """Latency of single-row durable commits by one writer."""
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE IF NOT EXISTS floor_commits (n bigint, payload jsonb)"))
    times = []
    insert = sa.text("INSERT INTO floor_commits VALUES (:n, CAST(:p AS jsonb))")
    deadline = time.monotonic() + seconds
    with engine.connect() as connection:
        number = 0
        while time.monotonic() < deadline:
            number += 1
            start = time.perf_counter()
            connection.execute(insert, {"n": number, "p": json.dumps(PAYLOAD)})
            connection.commit()
            times.append((time.perf_counter() - start) * 1000)
    return times


def parallel_appends(
    engine: sa.Engine, writers: int, seconds: float, mode: AppendMode, sites: list[str]
) -> tuple[int, float, list[float]]:
    """Appends done, elapsed seconds and per-append latencies of ``writers`` threads."""
    counts = [0] * writers
    latencies: list[list[float]] = [[] for _ in range(writers)]
    errors: list[BaseException] = []
    go = threading.Event()
    deadline = 0.0

    def work(index: int) -> None:
        go.wait()
        site = sites[index % len(sites)]
        try:
            while time.monotonic() < deadline:
                start = time.perf_counter()
                append_record(engine, site, PAYLOAD, mode=mode)
                latencies[index].append((time.perf_counter() - start) * 1000)
                counts[index] += 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(writers)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    deadline = started + seconds
    go.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        raise errors[0]
    return sum(counts), elapsed, [value for chunk in latencies for value in chunk]


def check(engine: sa.Engine, sites: list[str], appended: int) -> None:
    """Every site's chain verifies and holds exactly the appends the writers counted."""
    with engine.connect() as connection:
        stored = connection.scalar(
            sa.text("SELECT count(*) FROM journal_records WHERE site_id = ANY(:sites)"), {"sites": sites}
        )
        for site in sites:
            broken = verify_chain(connection, site)
            if broken is not None:
                raise AssertionError(f"chain of {site} broken: {broken}")
    if stored != appended:
        raise AssertionError(f"{appended} appends counted, {stored} records stored")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (about 5 s in all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    parser.add_argument("--writers", type=int, default=8, help="parallel writers (terminals)")
    args = parser.parse_args()
    seconds = 0.75 if args.quick else 10.0
    writers = args.writers
    figures: dict[str, object] = {"benchmark": "pg_parallel", "quick": args.quick, "writers": writers}
    with PostgresCluster(name="sce-bench") as cluster:
        engine = sa.create_engine(cluster.create_database("bench"), pool_size=writers + 2, max_overflow=0)
        create_tables(engine)
        floor = floor_commit_ms(engine, seconds)
        floor_p50 = statistics.median(floor)
        figures["floor_commit_p50_ms"] = round(floor_p50, 3)
        figures["floor_commits_per_second"] = round(1000 / floor_p50, 1)
        runs = [
            ("lock", AppendMode.LOCK, ["one"]),
            ("serializable", AppendMode.SERIALIZABLE, ["two"]),
            ("sites", AppendMode.LOCK, [f"site{index}" for index in range(writers)]),
        ]
        summary: list[tuple[str, float, float, float, float]] = []
        for name, mode, sites in runs:
            appended, elapsed, latencies = parallel_appends(engine, writers, seconds, mode, sites)
            check(engine, sites, appended)
            per_second = appended / elapsed
            line = (
                name,
                round(statistics.median(latencies), 3),
                round(percentile(latencies, 0.99), 3),
                round(per_second, 1),
                float(f"{per_second / (1000 / floor_p50):.3g}"),
            )
            summary.append(line)
            figures[f"{name}_append_p50_ms"], figures[f"{name}_append_p99_ms"] = line[1], line[2]
            figures[f"{name}_appends_per_second"], figures[f"{name}_ratio_to_floor"] = line[3], line[4]
        engine.dispose()
    figures["chains_verified"] = True
    rate = round(1000 / floor_p50, 1)
    figures["headlines"] = [
        {
            "measure": f"one chain, {writers} writers, advisory lock (appends/s)",
            "figure": figures["lock_appends_per_second"],
            "floor": rate,
            "floor_name": "durable commits/s, one writer",
            "ratio": figures["lock_ratio_to_floor"],
        },
        {
            "measure": f"one chain, {writers} writers, serializable (appends/s)",
            "figure": figures["serializable_appends_per_second"],
            "floor": rate,
            "floor_name": "durable commits/s, one writer",
            "ratio": figures["serializable_ratio_to_floor"],
        },
        {
            "measure": f"{writers} chains, one writer each (appends/s)",
            "figure": figures["sites_appends_per_second"],
            "floor": rate,
            "floor_name": "durable commits/s, one writer",
            "ratio": figures["sites_ratio_to_floor"],
        },
    ]
    print(f"durable commit (floor)     p50 {floor_p50:8.3f} ms   {1000 / floor_p50:8.1f} /s")
    for name, p50, p99, rate, ratio in summary:
        print(
            f"{name:<13} {writers} writers  p50 {p50:8.3f} ms   p99 {p99:8.3f} ms   {rate:8.1f} /s   x{ratio}"
        )
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
