"""Crash-safe state directory of the SCE 1.0 emulator: device identity, journal, mutable state.

Files:
* ``device.json``: FDM identity, memory capacity and the VSC (id, version, key, PIN, PUK); written once.
* ``journal.jsonl``: one JSON record per request handled (request and reply DATA; signed H records
  also carry the counters after signing). A record is written and flushed to disk before its reply
  leaves the emulator, so no signature exists without its record and, after a kill -9, counters are
  recovered from the journal itself: never a counter used twice.
* ``state.json``: PIN failures and block, card presence, clock offset, memory fill (atomic replace).
* ``checkpoint.json``: counters at a journal offset, so start-up does not re-read a long journal.
* ``faults.pending``: fault descriptions appended by ``sce fdm1 fault``; consumed by the running emulator.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sce.fiscal.v1.messages import EventLabel
from sce.fiscal.v1.vsc import CardIdentity

CHECKPOINT_EVERY = 1000
LABELS = tuple(label.value for label in EventLabel)


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    fdm_id: str
    firmware: str
    protocol_version: str
    capacity: int
    card: CardIdentity

    def __post_init__(self) -> None:
        if len(self.fdm_id) != 11:
            raise ValueError(
                f"fdm_id: {self.fdm_id!r} must have 11 characters (maker 3 + model 2 + serial 6)"
            )
        if len(self.protocol_version) != 1:
            raise ValueError("protocol_version: must be 1 character")
        if self.capacity < 1:
            raise ValueError("capacity: must be at least 1 record")

    def to_json(self) -> dict[str, Any]:
        return {
            "fdm_id": self.fdm_id,
            "firmware": self.firmware,
            "protocol_version": self.protocol_version,
            "capacity": self.capacity,
            "card": self.card.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeviceIdentity:
        return cls(
            fdm_id=str(data["fdm_id"]),
            firmware=str(data["firmware"]),
            protocol_version=str(data["protocol_version"]),
            capacity=int(data["capacity"]),
            card=CardIdentity.from_json(data["card"]),
        )


@dataclass(slots=True)
class Counters:
    """One counter per event label plus the total counter (every signed H)."""

    per_label: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    total: int = 0

    def to_json(self) -> dict[str, int]:
        return {**self.per_label, "total": self.total}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Counters:
        return cls({label: int(data.get(label, 0)) for label in LABELS}, int(data["total"]))

    def copy(self) -> Counters:
        return Counters(dict(self.per_label), self.total)


@dataclass(slots=True)
class MutableState:
    wrong_pins: int = 0
    blocked: bool = False
    card_present: bool = True
    clock_offset_s: float = 0.0
    fill_records: int = 0


@dataclass(slots=True)
class Recovered:
    """What the journal says after a (possibly unclean) stop."""

    counters: Counters
    signed: int
    records: int
    last_h: tuple[str, str] | None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


class EmulatorStore:
    """The state directory. Create it with :meth:`create`, open it with the constructor."""

    def __init__(self, directory: Path, *, fsync: bool = True) -> None:
        self.directory = Path(directory)
        self.fsync = fsync
        device_file = self.directory / "device.json"
        if not device_file.exists():
            raise FileNotFoundError(f"{device_file} does not exist: create the state directory first")
        self.device = DeviceIdentity.from_json(json.loads(device_file.read_text(encoding="utf-8")))
        self.journal_path = self.directory / "journal.jsonl"
        self._journal_fd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._last_h: tuple[str, str] | None = None
        self.recovered = self._recover()

    @classmethod
    def create(
        cls,
        directory: Path,
        device: DeviceIdentity,
        *,
        counters: Counters | None = None,
        fsync: bool = True,
    ) -> EmulatorStore:
        """Create a new state directory (refused when one exists, so a device is never reset by mistake)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if (directory / "device.json").exists():
            raise FileExistsError(f"{directory} already holds an FDM; use another directory")
        if counters is not None:
            # Counters carried over (e.g. a card moved from another FDM) start the journal.
            record = {"n": 0, "kind": "counters-initialised", "counters": counters.to_json()}
            with open(directory / "journal.jsonl", "w", encoding="utf-8") as handle:
                handle.write(json.dumps(record, sort_keys=True) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        write_json_atomic(directory / "device.json", device.to_json())
        write_json_atomic(directory / "state.json", asdict(MutableState()))
        return cls(directory, fsync=fsync)

    @classmethod
    def open_or_create(
        cls, directory: Path, make_device: Callable[[], DeviceIdentity], *, fsync: bool = True
    ) -> EmulatorStore:
        directory = Path(directory)
        if (directory / "device.json").exists():
            return cls(directory, fsync=fsync)
        return cls.create(directory, make_device(), fsync=fsync)

    def close(self) -> None:
        if self._journal_fd >= 0:
            self.checkpoint()
            os.close(self._journal_fd)
            self._journal_fd = -1

    # ----------------------------------------------------------------- journal

    def iter_journal(self) -> Iterator[dict[str, Any]]:
        with open(self.journal_path, encoding="utf-8") as handle:
            for line in handle:
                if line.endswith("\n"):
                    yield json.loads(line)

    def append(self, record: dict[str, Any]) -> None:
        """Write one record and make it durable before returning."""
        line = (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
        written = os.write(self._journal_fd, line)
        if written != len(line):
            raise OSError(f"short write to {self.journal_path}: {written} of {len(line)} bytes")
        if self.fsync:
            os.fdatasync(self._journal_fd)
        self._records += 1
        self._offset += len(line)
        if record.get("signed"):
            self._last_counters = Counters.from_json(record["counters"])
            self._last_h = (str(record["request"]), str(record["reply"]))
            self._signed += 1
        if self._records % CHECKPOINT_EVERY == 0:
            self.checkpoint()

    def _recover(self) -> Recovered:
        counters = Counters()
        signed = 0
        records = 0
        last_h: tuple[str, str] | None = None
        offset = 0
        checkpoint_file = self.directory / "checkpoint.json"
        size = self.journal_path.stat().st_size
        if checkpoint_file.exists():
            point = json.loads(checkpoint_file.read_text(encoding="utf-8"))
            if int(point["offset"]) <= size:
                offset = int(point["offset"])
                counters = Counters.from_json(point["counters"])
                signed = int(point["signed"])
                records = int(point["records"])
                last_h = (point["last_h"][0], point["last_h"][1]) if point.get("last_h") else None
        good_end = offset
        with open(self.journal_path, "rb") as handle:
            handle.seek(offset)
            for raw in handle:
                if not raw.endswith(b"\n"):
                    break
                try:
                    record = json.loads(raw)
                except ValueError:
                    break
                good_end += len(raw)
                records += 1
                if "counters" in record:
                    counters = Counters.from_json(record["counters"])
                if record.get("signed"):
                    signed += 1
                    last_h = (record["request"], record["reply"])
        if good_end < size:
            # A record cut by a crash was never answered: drop it so the journal stays parseable.
            os.truncate(self.journal_path, good_end)
        self._records = records
        self._signed = signed
        self._offset = good_end
        self._last_counters = counters
        self._last_h = last_h
        return Recovered(counters, signed, records, last_h)

    def checkpoint(self) -> None:
        if self._journal_fd < 0:
            return
        os.fsync(self._journal_fd)
        write_json_atomic(
            self.directory / "checkpoint.json",
            {
                "offset": self._offset,
                "records": self._records,
                "signed": self._signed,
                "counters": self._last_counters.to_json(),
                "last_h": list(self._last_h) if self._last_h else None,
            },
        )

    # ----------------------------------------------------------------- mutable state

    def load_state(self) -> MutableState:
        path = self.directory / "state.json"
        if not path.exists():
            return MutableState()
        data = json.loads(path.read_text(encoding="utf-8"))
        return MutableState(**{k: v for k, v in data.items() if k in MutableState.__dataclass_fields__})

    def save_state(self, state: MutableState) -> None:
        write_json_atomic(self.directory / "state.json", asdict(state))

    # ----------------------------------------------------------------- faults from other processes

    def take_pending_faults(self) -> list[str]:
        """Fault descriptions written by another process since the last call."""
        path = self.directory / "faults.pending"
        if not path.exists():
            return []
        claimed = path.with_suffix(".claimed")
        try:
            os.replace(path, claimed)
        except FileNotFoundError:
            return []
        lines = claimed.read_text(encoding="utf-8").split()
        claimed.unlink()
        return lines

    @staticmethod
    def post_fault_to(directory: Path, spec: str) -> None:
        """Queue a fault (or ``unblock=PUK``) for the emulator running on ``directory``."""
        with open(Path(directory) / "faults.pending", "a", encoding="utf-8") as handle:
            handle.write(spec + "\n")

    def verifier_export(self) -> dict[str, Any]:
        return {
            "format": "sce-fdm1-card-keys/1",
            "cards": [self.device.card.verifier_export(self.device.fdm_id)],
        }
