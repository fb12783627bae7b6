"""Z report time for a day and for a year of events, each against the floor of reading the same records.

A day: one opening period of table sales made through the real services (SQLite, SCE 2.0 emulator in
this process), then ``Pos.report("turnover", "Z")``, timed; floor: reading that period's journal records.
The same day is then made again on a database already holding a year of journal records (past periods
written directly with ``Tx.append_journal``, realistic: copies of the simulated day, renumbered), to show
the Z report does not slow down as the journal grows. A year: the turnover figures
(``sce.pos.reports.compute``) over every event of the year, against the floor of reading them.

Run: ``.venv/bin/python bench/pos_reports.py [--quick] [--json]`` (also part of ``sce bench``).
``--quick``: a 30-day "year" and a smaller day (rough figures).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sce.db.engine import migrate, open_engine
from sce.db.store import PosStore
from sce.domain.money import Money
from sce.domain.payments import PaymentMethod, Tender
from sce.pos import demo_data
from sce.pos.fdm_setup import emulator_v2
from sce.pos.reports import compute
from sce.pos.service import Pos

BRUSSELS = ZoneInfo("Europe/Brussels")
MANAGER, WAITER = demo_data.STAFF[0][0], demo_data.STAFF[1][0]
ITEMS = [("BEER", Decimal(2)), ("STEAK", Decimal(1)), ("SOUP", Decimal(1))]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=20)
        return self.now


def a_day(pos: Pos, sales: int) -> float:
    """One period of ``sales`` counter sales, everyone out, then the Z report: its time in ms."""
    pos.clock_in(WAITER, "T1")
    for _ in range(sales):
        pos.quick_sale(WAITER, "T1", ITEMS, [Tender(PaymentMethod.CARD, Money(3350 + 650))])
    pos.clock_out(WAITER, "T1")
    started = time.perf_counter()
    pos.report("turnover", "Z", MANAGER, "T1")
    return (time.perf_counter() - started) * 1000


def read_period(store: PosStore, period_id: str) -> tuple[float, int]:
    started = time.perf_counter()
    with store.tx() as tx:
        records = list(tx.journal_bodies(period_id=period_id, record_type="event"))
    return (time.perf_counter() - started) * 1000, len(records)


def last_period(store: PosStore) -> str:
    with store.tx() as tx:
        body = next(iter(tx.journal_bodies(after_seq=tx.journal_head() - 1)))
    return str(body["period_id"])


def fill_year(store: PosStore, day: list[dict[str, Any]], days: int, first: date) -> int:
    """``days`` past periods, each a renumbered copy of ``day``'s records, appended to the chain."""
    written = 0
    with store.tx() as tx:
        number = tx.next_number("ticket")
    for offset in range(days):
        period_id = str(uuid.uuid4())
        booking = (first + timedelta(days=offset)).isoformat()
        with store.tx() as tx:
            for original in day:
                record = {
                    k: copy.deepcopy(v)
                    for k, v in original.items()
                    if k not in ("seq", "prev", "hash", "recorded_at", "format")
                }
                record["period_id"] = period_id
                record["booking_date"] = booking
                event = record.get("event") or {}
                number += 1
                event["ticket_number"] = number
                event["booking_period_id"] = period_id
                event["booking_date"] = booking
                tx.append_journal(
                    record,
                    event_kind=event.get("kind"),
                    ticket_number=number,
                    period_id=period_id,
                    booking_date=booking,
                    employee_id=event.get("employee_id"),
                    terminal_id=event.get("terminal_id"),
                    total_cents=int(Decimal(event.get("total") or "0") * 100),
                )
                written += 1
    return written


def open_pos(directory: Path, start: datetime) -> tuple[Pos, PosStore, Any]:
    directory.mkdir(parents=True, exist_ok=True)
    engine = open_engine(f"sqlite:///{directory / 'pos.db'}")
    migrate(engine)
    store = PosStore(engine)
    fdm = emulator_v2(directory / "state", demo_data.SITE)
    pos = Pos(store, fdm.module, clock=Clock(start))
    demo_data.seed(pos)
    pos.start()
    return pos, store, lambda: (fdm.close(), engine.dispose())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 30-day year and a smaller day")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    sales, days = (40, 30) if args.quick else (200, 365)
    with tempfile.TemporaryDirectory() as scratch:
        today = datetime(2026, 11, 21, 11, 0, tzinfo=BRUSSELS)
        pos, store, close = open_pos(Path(scratch) / "fresh", today)
        try:
            day_ms = a_day(pos, sales)
            period = last_period(store)
            day_read_ms, day_events = read_period(store, period)
            with store.tx() as tx:
                day_records = [
                    b
                    for b in tx.journal_bodies(period_id=period)
                    if b["event"]["kind"] != "REPORT_TURNOVER_Z"
                    and not b["event"]["kind"].startswith("REPORT_")
                ]
        finally:
            close()
        pos, store, close = open_pos(Path(scratch) / "year", today)
        try:
            started = time.perf_counter()
            written = fill_year(store, day_records, days, today.date() - timedelta(days=days + 1))
            fill_s = time.perf_counter() - started
            year_day_ms = a_day(pos, sales)
            year_day_read_ms, _ = read_period(store, last_period(store))
            started = time.perf_counter()
            with store.tx() as tx:
                year = list(tx.journal_bodies(record_type="event"))
            year_read_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            figures = compute(
                "turnover", [r for r in year if not r["event"]["kind"].startswith("REPORT_")], {}
            )
            year_compute_ms = (time.perf_counter() - started) * 1000 + year_read_ms
        finally:
            close()
    result = {
        "benchmark": "pos_reports",
        "quick": args.quick,
        "day_events": day_events,
        "year_days": days,
        "year_records": written,
        "year_fill_s": round(fill_s, 2),
        "z_day_ms": round(day_ms, 2),
        "z_day_floor_read_ms": round(day_read_ms, 2),
        "z_day_with_year_ms": round(year_day_ms, 2),
        "z_day_with_year_floor_read_ms": round(year_day_read_ms, 2),
        "year_figures_ms": round(year_compute_ms, 2),
        "year_floor_read_ms": round(year_read_ms, 2),
        "year_sales": figures["sales"]["count"],
        "headlines": [
            {
                "measure": f"Z report of a day ({day_events} events), ms",
                "figure": round(day_ms, 2),
                "floor": round(day_read_ms, 2),
                "floor_name": "reading the period's records (ms)",
                "ratio": round(day_ms / day_read_ms, 2),
            },
            {
                "measure": f"Z report of a day with {days} days of journal behind it, ms",
                "figure": round(year_day_ms, 2),
                "floor": round(day_ms, 2),
                "floor_name": "the same Z report on a journal of one day (ms)",
                "ratio": round(year_day_ms / day_ms, 2),
            },
            {
                "measure": f"turnover figures over {days} days ({len(year)} events), ms",
                "figure": round(year_compute_ms, 2),
                "floor": round(year_read_ms, 2),
                "floor_name": "reading the same records (ms)",
                "ratio": round(year_compute_ms / year_read_ms, 2),
            },
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
