"""Load: 20 terminals on one PostgreSQL site, each a waiter serving tables (two rounds and a payment),
at many times a busy Saturday's peak, with the SCE 2.0 emulator in its own process and with SCE 1.0 over
a pty. Afterwards every order holds exactly the lines entered, one ORDER event per round and one SALE,
nothing else is in the journal, numbering and FDM counters are continuous, and ``sce journal verify``
passes over an export. The payment p99 is printed.

Reduced size (``make test``): 20 terminals for 15 s at 50x a busy Saturday. Full size with
``SCE_FULL_LOAD=1``: 20 terminals for 10 minutes at 20x.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sce.devtools import load
from tests.scale.conftest import FULL
from tests.scale.support import assert_journal_sound, show

SECONDS = 600.0 if FULL else 15.0
RATE = 20.0 if FULL else 50.0
TERMINALS = 20


@pytest.mark.slow
@pytest.mark.parametrize("generation", [2, 1], ids=["sce2-process", "sce1-pty"])
def test_twenty_terminals_lose_and_double_nothing(
    generation: int, postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    emulator = load.EmulatorProcess(state / "fdm2") if generation == 2 else None
    try:
        with load.open_site(
            postgres_url, generation, state, fdm_url=emulator.url if emulator else ""
        ) as site:
            report = load.run_load(site, terminals=TERMINALS, seconds=SECONDS, rate=RATE)
            load.settle(site)
            load.clock_out_all(site)
        counters = emulator.counters() if emulator else None
    finally:
        if emulator:
            emulator.stop()
    summary = report.summary()
    assert not summary["failures"], summary["failures"]
    expected = RATE * load.BUSY_SATURDAY_TABLES_PER_HOUR / 3600 * SECONDS
    assert summary["tables_paid"] >= expected * 0.5, summary  # the pace was really held
    assert_journal_sound(postgres_url, tmp_path / "export", report=report, fdm_counters=counters)
    show(capsys, f"load sce{generation}", summary)
