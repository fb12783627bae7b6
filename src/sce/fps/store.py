"""What the FPS stand-in keeps: the FDMs it knows (with their public keys) and every event they uploaded.

Events are keyed by (fdmId, totalCounter): an event uploaded twice is stored once.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fdms (fdm_id TEXT PRIMARY KEY, public_key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    fdm_id TEXT NOT NULL,
    total_counter INTEGER NOT NULL,
    event_counter INTEGER NOT NULL,
    label TEXT NOT NULL,
    operation TEXT NOT NULL,
    training INTEGER NOT NULL,
    fdm_date_time TEXT NOT NULL,
    message TEXT NOT NULL,
    signature TEXT NOT NULL,
    short_signature TEXT NOT NULL,
    UNIQUE (fdm_id, total_counter)
);
"""


@dataclass(frozen=True, slots=True)
class ReceivedEvent:
    fdm_id: str
    total_counter: int
    event_counter: int
    label: str
    operation: str
    training: bool
    fdm_date_time: str
    message: str
    signature: str
    short_signature: str

    def as_json(self) -> dict[str, Any]:
        return {
            "fdmId": self.fdm_id,
            "totalCounter": self.total_counter,
            "eventCounter": self.event_counter,
            "eventLabel": self.label,
            "eventOperation": self.operation,
            "isTraining": self.training,
            "fdmDateTime": self.fdm_date_time,
            "signedMessage": self.message,
            "digitalSignature": self.signature,
            "shortSignature": self.short_signature,
        }


_COLUMNS = (
    "fdm_id, total_counter, event_counter, label, operation, training, fdm_date_time, message, signature,"
    " short_signature"
)


def _event(row: tuple[Any, ...]) -> ReceivedEvent:
    return ReceivedEvent(
        row[0], int(row[1]), int(row[2]), row[3], row[4], bool(row[5]), row[6], row[7], row[8], row[9]
    )


class FpsStore:
    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def public_key(self, fdm_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT public_key FROM fdms WHERE fdm_id = ?", (fdm_id,)).fetchone()
        return str(row[0]) if row else None

    def register(self, fdm_id: str, public_key: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO fdms (fdm_id, public_key) VALUES (?, ?)", (fdm_id, public_key)
            )

    def add(self, event: ReceivedEvent) -> bool:
        """Store ``event``; False when it was already there (a re-sent upload)."""
        with self._lock:
            cursor = self._db.execute(
                f"INSERT OR IGNORE INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event.fdm_id,
                    event.total_counter,
                    event.event_counter,
                    event.label,
                    event.operation,
                    int(event.training),
                    event.fdm_date_time,
                    event.message,
                    event.signature,
                    event.short_signature,
                ),
            )
        return cursor.rowcount == 1

    def events(self, fdm_id: str) -> list[ReceivedEvent]:
        """In the order received."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM events WHERE fdm_id = ? ORDER BY seq", (fdm_id,)
            ).fetchall()
        return [_event(row) for row in rows]

    def find(self, fdm_id: str, total_counter: int) -> ReceivedEvent | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM events WHERE fdm_id = ? AND total_counter = ?",
                (fdm_id, total_counter),
            ).fetchone()
        return _event(row) if row else None
