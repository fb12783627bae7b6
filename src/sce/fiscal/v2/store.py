"""The emulator's durable state: signed events (the counters are derived from them), upload flags, settings.

SQLite in WAL mode with ``synchronous=FULL``: an event is committed (fsync) before its answer leaves the
FDM, so after a SIGKILL the counters recovered from the log never repeat and no signed event is lost.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    total_counter INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    event_counter INTEGER NOT NULL,
    operation TEXT NOT NULL,
    training INTEGER NOT NULL,
    duplicate_key TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    fdm_ref TEXT NOT NULL,
    message TEXT NOT NULL,
    signature TEXT NOT NULL,
    result TEXT NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0,
    UNIQUE (label, event_counter)
);
CREATE INDEX IF NOT EXISTS events_pending ON events (uploaded, total_counter);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class SignedEvent:
    """One signed event as stored and uploaded."""

    total_counter: int
    label: str
    event_counter: int
    operation: str
    training: bool
    duplicate_key: str
    data: str
    fdm_ref: str
    message: str
    signature: str
    result: str

    def upload_record(self) -> dict[str, Any]:
        result = json.loads(self.result)
        return {
            "fdmRef": json.loads(self.fdm_ref),
            "eventOperation": self.operation,
            "isTraining": self.training,
            "signedMessage": self.message,
            "digitalSignature": self.signature,
            "shortSignature": result.get("shortSignature", ""),
            "vatCalc": result.get("vatCalc"),
        }


class EventStore:
    """Append-only event log with an upload flag per event, and a small key/value settings table."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def counters(self) -> tuple[dict[str, int], int]:
        """Last event counter per label and the last total counter, as recorded durably."""
        per_label = dict(
            self._db.execute("SELECT label, MAX(event_counter) FROM events GROUP BY label").fetchall()
        )
        total = self._db.execute("SELECT COALESCE(MAX(total_counter), 0) FROM events").fetchone()[0]
        return {str(k): int(v) for k, v in per_label.items()}, int(total)

    def find_duplicate(self, key: str) -> tuple[str, str] | None:
        """``(canonical data, stored result)`` of the event signed under ``key``, if any."""
        row = self._db.execute("SELECT data, result FROM events WHERE duplicate_key = ?", (key,)).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def fdm_ref(self, total_counter: int) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT fdm_ref FROM events WHERE total_counter = ?", (total_counter,)
        ).fetchone()
        return dict(json.loads(row[0])) if row else None

    def append(self, event: SignedEvent) -> None:
        """Insert and commit (fsync) one signed event; it is pending upload until acknowledged."""
        self._db.execute(
            "INSERT INTO events (total_counter, label, event_counter, operation, training, duplicate_key,"
            " data, fdm_ref, message, signature, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.total_counter,
                event.label,
                event.event_counter,
                event.operation,
                int(event.training),
                event.duplicate_key,
                event.data,
                event.fdm_ref,
                event.message,
                event.signature,
                event.result,
            ),
        )

    def pending(self, limit: int) -> list[SignedEvent]:
        rows = self._db.execute(
            "SELECT total_counter, label, event_counter, operation, training, duplicate_key, data, fdm_ref,"
            " message, signature, result FROM events WHERE uploaded = 0 ORDER BY total_counter LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            SignedEvent(int(r[0]), r[1], int(r[2]), r[3], bool(r[4]), r[5], r[6], r[7], r[8], r[9], r[10])
            for r in rows
        ]

    def pending_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM events WHERE uploaded = 0").fetchone()[0])

    def mark_uploaded(self, total_counters: list[int]) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        self._db.executemany(
            "UPDATE events SET uploaded = 1 WHERE total_counter = ?",
            [(counter,) for counter in total_counters],
        )
        self._db.execute("COMMIT")

    def setting(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_setting(self, key: str, value: Any) -> None:
        self._db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
