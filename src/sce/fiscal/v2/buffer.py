"""The FDM's upload buffer: capacity in use, near-full and full thresholds, and the uploader to the FPS.

Signed events stay pending in the event store until the FPS acknowledges them; the uploader sends them
in order, in packets, and marks them uploaded only after the acknowledgement. The FPS keys events by
(fdmId, totalCounter), so a packet re-sent after a crash is stored there only once.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

from sce.fiscal.v2.store import EventStore

DEFAULT_CAPACITY = 100_000
NEAR_FULL_PERCENT = Decimal(70)
PACKET_SIZE = 200


class UploadBuffer:
    """Counts pending events (plus a simulated fill) against the capacity."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, pending: int = 0) -> None:
        if capacity < 1:
            raise ValueError("buffer capacity must be at least 1 event")
        self.capacity = capacity
        self.pending = pending
        self.simulated_fill: float | None = None
        self.upload_failing = False

    @property
    def occupied(self) -> int:
        extra = 0 if self.simulated_fill is None else math.ceil(self.capacity * self.simulated_fill / 100)
        return min(self.capacity, self.pending + extra)

    def used_percent(self) -> float:
        """100 x pending / capacity, rounded to 2 decimals."""
        value = (Decimal(100) * self.occupied / self.capacity).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        return float(value)

    def near_full(self) -> bool:
        return Decimal(100) * self.occupied / self.capacity > NEAR_FULL_PERCENT

    def full(self) -> bool:
        return self.occupied >= self.capacity


class Uploader:
    """Background thread that drains the buffer to the FPS stand-in and fetches first-boot data."""

    def __init__(
        self,
        store: EventStore,
        buffer: UploadBuffer,
        lock: threading.Lock,
        fdm_id: str,
        public_key: str,
        fps_url: str | None,
        fps_down: Callable[[], bool],
        on_first_boot: Callable[[dict[str, Any]], None],
        interval: float = 0.05,
    ) -> None:
        self._store = store
        self._buffer = buffer
        self._lock = lock
        self._fdm_id = fdm_id
        self._public_key = public_key
        self._fps_url = fps_url.rstrip("/") if fps_url else None
        self._fps_down = fps_down
        self._on_first_boot = on_first_boot
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fdm-uploader", daemon=True)
        self.first_boot_done = False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        if self._fps_url is None:
            return
        with httpx.Client(timeout=5.0) as http:
            while not self._stop.is_set():
                try:
                    busy = self._step(http)
                except (httpx.HTTPError, sqlite3.Error, ValueError, KeyError, TypeError):
                    self._buffer.upload_failing = True
                    busy = False
                if not busy:
                    self._wake.wait(self._interval if not self._buffer.upload_failing else 0.2)
                    self._wake.clear()

    def _step(self, http: httpx.Client) -> bool:
        """One unit of work; True when there may be more to do right away."""
        if self._fps_down():
            with self._lock:
                self._buffer.upload_failing = self._buffer.pending > 0
            return False
        if not self.first_boot_done:
            try:
                self._first_boot(http)
            except httpx.HTTPError:
                with self._lock:
                    self._buffer.upload_failing = True
                raise
        with (
            self._lock
        ):  # the same lock as signing and fault changes: a fault set before an event holds for it
            if self._fps_down():
                self._buffer.upload_failing = self._buffer.pending > 0
                return False
            events = self._store.pending(PACKET_SIZE)
        if not events:
            self._buffer.upload_failing = False
            return False
        packet = {
            "fdmId": self._fdm_id,
            "publicKey": self._public_key,
            "events": [event.upload_record() for event in events],
        }
        answer = http.post(f"{self._fps_url}/fdm/{self._fdm_id}/events", json=packet)
        if answer.status_code != 200:
            self._buffer.upload_failing = True
            return False
        body = answer.json()
        done = [int(c) for c in body.get("acknowledged", [])] + [int(c) for c in body.get("rejected", [])]
        sent = {event.total_counter for event in events}
        done = [counter for counter in done if counter in sent]
        with self._lock:
            self._store.mark_uploaded(done)
            self._buffer.pending = self._store.pending_count()
            self._buffer.upload_failing = False
        return len(events) == PACKET_SIZE

    def _first_boot(self, http: httpx.Client) -> None:
        answer = http.post(
            f"{self._fps_url}/fdm/{self._fdm_id}/first-boot", json={"publicKey": self._public_key}
        )
        answer.raise_for_status()
        self._on_first_boot(dict(answer.json()))
        self.first_boot_done = True
