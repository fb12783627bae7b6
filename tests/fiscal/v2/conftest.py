"""Fixtures for the SCE 2.0 tests: an emulator on loopback per test (real HTTP, fresh state)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fiscal.v2.support import RunningEmulator, running_emulator


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[RunningEmulator]:
    with running_emulator(tmp_path / "fdm") as running:
        yield running
