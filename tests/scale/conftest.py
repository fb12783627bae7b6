"""Scale fixtures: the SCE 2.0 emulator in its own process, a loaded site, and the full-size switch.

``SCE_FULL_LOAD=1`` runs the load and fault tests at full size (20 terminals for 10 minutes); without it
they run a reduced size that fits in ``make test``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sce.devtools.load import EmulatorProcess

FULL = os.environ.get("SCE_FULL_LOAD") == "1"


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """A fresh SCE 2.0 emulator process (``python -m sce fdm2 emulate``) with its state in the test's
    directory (``state/fdm2``, where :func:`sce.devtools.load.open_site` reads its public key)."""
    process = EmulatorProcess(tmp_path / "state" / "fdm2")
    try:
        yield process
    finally:
        process.stop()
