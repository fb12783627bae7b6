"""Fixtures for the SCE 1.0 tests: the vector card, emulator state, an emulator served on a real pty."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from sce.fiscal.v1.driver import DriverSettings, FdmV1Driver, SequenceStore, open_port
from sce.fiscal.v1.emulator import FdmEmulator
from sce.fiscal.v1.emulator_store import Counters, DeviceIdentity, EmulatorStore
from sce.fiscal.v1.link import EmulatorLink
from sce.fiscal.v1.streams import PseudoTerminal
from sce.fiscal.v1.vsc import CardIdentity

TEST_KEY = bytes.fromhex("0123456789abcdef0123456789abcdef01234567")
TEST_PIN = "12345"
TEST_PUK = "87654321"
FDM_ID = "RET02000123"
VECTOR_CLOCK = datetime(2024, 1, 15, 12, 30, 46)
# Short timeouts keep fault tests quick; the ratios follow Decision (i).
FAST = DriverSettings(ack_timeout=0.25, reply_timeout=0.6, max_sends=3, max_nacks=3)


def vector_card() -> CardIdentity:
    return CardIdentity("0887456321-002", "001", TEST_KEY, TEST_PIN, TEST_PUK)


def vector_device(capacity: int = 1_000_000) -> DeviceIdentity:
    return DeviceIdentity(FDM_ID, "FW-1.2.3", "1", capacity, vector_card())


def make_store(
    directory: Path, *, counters: Counters | None = None, capacity: int = 1_000_000
) -> EmulatorStore:
    return EmulatorStore.create(directory, vector_device(capacity), counters=counters)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmulatorStore]:
    created = make_store(tmp_path / "fdm")
    yield created
    created.close()


@dataclass
class PtyRig:
    """An emulator served on a real pseudo-terminal, and a driver on the other end via pyserial."""

    emulator: FdmEmulator
    link: EmulatorLink
    path: str
    driver: FdmV1Driver
    stop: threading.Event
    thread: threading.Thread

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.driver.close()


def start_rig(
    store: EmulatorStore,
    tmp_path: Path,
    *,
    clock: Callable[[], datetime] | None = None,
    settings: DriverSettings = FAST,
    ack_timeout: float = 0.25,
) -> PtyRig:
    emulator = FdmEmulator(store, clock=clock) if clock else FdmEmulator(store)
    terminal = PseudoTerminal()
    link = EmulatorLink(emulator, terminal, ack_timeout=ack_timeout)
    stop = threading.Event()
    thread = threading.Thread(target=link.serve_forever, args=(stop,), daemon=True)
    thread.start()
    driver = FdmV1Driver(
        open_port(terminal.path), settings=settings, sequences=SequenceStore(tmp_path / "pos.seq")
    )
    return PtyRig(emulator, link, terminal.path, driver, stop, thread)


@pytest.fixture
def rig(store: EmulatorStore, tmp_path: Path) -> Iterator[PtyRig]:
    started = start_rig(store, tmp_path)
    yield started
    started.close()
