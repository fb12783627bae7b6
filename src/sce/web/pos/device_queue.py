"""A device printer fed by its own thread, so that no request waits for a printer that is slow or off.

:class:`QueuedDevice` takes jobs (rows) at once and prints them in order on its device; a job the device
refuses (:class:`~sce.tickets.printing.PrinterUnavailableError`: off, unplugged, paper out) stays first
and is tried again every few seconds. The jobs live in the server process.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from sce.tickets.layout import Row
from sce.tickets.printing import PrinterUnavailableError, RowPrinter

log = logging.getLogger(__name__)
RETRY_SECONDS = 3.0


class QueuedDevice:
    """A :class:`RowPrinter` whose ``print_rows`` only queues; a thread prints."""

    def __init__(self, name: str, device: RowPrinter, *, interval: float = RETRY_SECONDS) -> None:
        self.name = name
        self.device = device
        self.interval = interval
        self.last_error = ""
        self.printed = 0
        self._jobs: deque[tuple[Row, ...]] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"printer {name}", daemon=True)
        self._thread.start()

    def print_rows(self, rows: Sequence[Row]) -> None:
        with self._lock:
            self._jobs.append(tuple(rows))
        self._wake.set()

    def flush(self) -> int:
        """Print the waiting jobs in order until the device refuses one; the number printed."""
        done = 0
        while True:
            with self._lock:
                if not self._jobs:
                    return done
                job = self._jobs[0]
            try:
                self.device.print_rows(job)
            except PrinterUnavailableError as error:
                self.last_error = str(error)
                return done
            with self._lock:
                self._jobs.popleft()
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
            waiting = len(self._jobs)
        return {"name": self.name, "waiting": waiting, "error": self.last_error, "printed": self.printed}

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)
