"""A device printer fed by its own thread, so that no request waits for a printer that is slow or off.

:class:`QueuedDevice` takes jobs (rows) at once and prints them in order on its device; a job the device
refuses (:class:`~sce.tickets.printing.PrinterUnavailableError`: off, unplugged, paper out) stays first
and is tried again every few seconds. With a :class:`StationJobs` store each job is recorded
(``station_print_jobs``) until it printed, so the jobs a stopped server left waiting print after the
next start.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text, delete, insert, select, update

from sce.db.store import utc_now
from sce.tickets.layout import Row, RowKind
from sce.tickets.printing import PrinterUnavailableError, RowPrinter

log = logging.getLogger(__name__)
RETRY_SECONDS = 3.0
metadata = MetaData()

#: Created by migration 0007.
station_print_jobs = Table(
    "station_print_jobs",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("printer", String(200), nullable=False),
    Column("rows", Text, nullable=False),
    Column("queued_at", String(40), nullable=False),
    Column("printed_at", String(40)),
)


def prune_printed(engine: Engine, jobs: Table, older_than: timedelta) -> int:
    """Delete the printed rows of a print-job table (``printed_at`` set) queued before ``older_than``."""
    limit = (datetime.now(UTC) - older_than).isoformat(timespec="microseconds")
    with engine.begin() as c:
        done = c.execute(delete(jobs).where(jobs.c.printed_at.is_not(None), jobs.c.queued_at < limit))
        return int(done.rowcount)


def _rows_of(text: str) -> tuple[Row, ...]:
    return tuple(Row(cast(RowKind, kind), tuple(cells)) for kind, cells in json.loads(text))


class StationJobs:
    """The ``station_print_jobs`` table: each job handed to a kitchen/bar device, until it printed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, printer: str, rows: Sequence[Row]) -> int:
        text = json.dumps([[row.kind, list(row.cells)] for row in rows], ensure_ascii=False)
        with self.engine.begin() as c:
            seq = c.execute(
                insert(station_print_jobs)
                .values(printer=printer, rows=text, queued_at=utc_now())
                .returning(station_print_jobs.c.seq)
            ).scalar_one()
            return int(seq)

    def mark_printed(self, seq: int) -> None:
        with self.engine.begin() as c:
            c.execute(
                update(station_print_jobs).where(station_print_jobs.c.seq == seq).values(printed_at=utc_now())
            )

    def waiting(self, printer: str | None = None) -> list[tuple[str, int, tuple[Row, ...]]]:
        """(printer, job number, rows) of the jobs not printed, oldest first."""
        query = select(
            station_print_jobs.c.printer, station_print_jobs.c.seq, station_print_jobs.c.rows
        ).where(station_print_jobs.c.printed_at.is_(None))
        if printer is not None:
            query = query.where(station_print_jobs.c.printer == printer)
        with self.engine.begin() as c:
            rows = c.execute(query.order_by(station_print_jobs.c.seq)).all()
        return [(str(r[0]), int(r[1]), _rows_of(str(r[2]))) for r in rows]

    def prune(self, older_than: timedelta) -> int:
        """Forget printed jobs older than ``older_than``."""
        return prune_printed(self.engine, station_print_jobs, older_than)


class QueuedDevice:
    """A :class:`RowPrinter` whose ``print_rows`` only queues (and records); a thread prints."""

    def __init__(
        self,
        name: str,
        device: RowPrinter,
        *,
        interval: float = RETRY_SECONDS,
        jobs: StationJobs | None = None,
    ) -> None:
        self.name = name
        self.device = device
        self.interval = interval
        self.jobs = jobs
        self.last_error = ""
        self.printed = 0
        self._queue: deque[tuple[int | None, tuple[Row, ...]]] = deque()
        if jobs is not None:
            self._queue.extend((seq, rows) for _printer, seq, rows in jobs.waiting(name))
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"printer {name}", daemon=True)
        self._thread.start()
        if self._queue:
            self._wake.set()

    def print_rows(self, rows: Sequence[Row]) -> None:
        job = tuple(rows)
        seq = self.jobs.add(self.name, job) if self.jobs is not None else None
        with self._lock:
            self._queue.append((seq, job))
        self._wake.set()

    def flush(self) -> int:
        """Print the waiting jobs in order until the device refuses one; the number printed."""
        done = 0
        while True:
            with self._lock:
                if not self._queue:
                    return done
                seq, job = self._queue[0]
            try:
                self.device.print_rows(job)
            except PrinterUnavailableError as error:
                self.last_error = str(error)
                return done
            if self.jobs is not None and seq is not None:
                self.jobs.mark_printed(seq)
            with self._lock:
                self._queue.popleft()
            self.last_error = ""
            self.printed += 1
            done += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.flush()
            except Exception:  # a printer problem must never stop the printing
                log.exception("printer %s failed", self.name)

    def status(self) -> dict[str, Any]:
        with self._lock:
            waiting = len(self._queue)
        return {"name": self.name, "waiting": waiting, "error": self.last_error, "printed": self.printed}

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)
