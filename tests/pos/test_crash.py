"""kill -9 of the POS at random points of payment, many times, for both generations: after each restart no
ticket is lost or signed twice, numbering has no gap, the chain is intact and the FDM's counters equal
the journal's."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from sce.db.engine import open_engine
from sce.fiscal.v1.emulator_store import EmulatorStore
from sce.fiscal.v2.store import EventStore
from sce.journal.format import GENESIS, record_hash

ROOT = Path(__file__).resolve().parents[2]
KILLS = 12


def _start(
    db_url: str, state: Path, generation: int, limit: int = 10**9, crash: float = 0.0
) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.pos.crash_worker", db_url, str(state), str(generation)]
    command += [str(limit), str(crash)]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def _wait_ready(process: subprocess.Popen[str]) -> int:
    """Wait for ``ready``; returns how many events the restart found pending."""
    assert process.stdout is not None
    pending = process.stdout.readline().split()
    line = process.stdout.readline()
    if line.strip() != "ready" or pending[:1] != ["pending"]:
        process.kill()
        raise AssertionError(
            f"worker did not start: {line!r} {process.stderr.read() if process.stderr else ''}"
        )
    return int(pending[1])


@pytest.mark.slow
@pytest.mark.parametrize("generation", [1, 2], ids=["sce1", "sce2"])
def test_kill_9_during_payments_loses_and_doubles_nothing(
    generation: int, db_url: str, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    rng = random.Random(generation)
    recovered = 0
    for kill in range(KILLS):
        # half the runs are killed from outside at a random moment, half kill themselves at the worst
        # moments: right before the FDM is asked or right after it signed, before the journal commit
        process = _start(db_url, state, generation, crash=0.0 if kill % 2 else 0.3)
        recovered += _wait_ready(process)
        time.sleep(rng.uniform(0.02, 0.5))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
    final = _start(db_url, state, generation, limit=2)
    recovered += _wait_ready(final)
    _out, err = final.communicate(timeout=60)
    assert final.returncode == 0, err

    engine = open_engine(db_url)
    with engine.connect() as connection:
        bodies = [
            json.loads(row[0]) for row in connection.execute(text("SELECT body FROM journal ORDER BY seq"))
        ]
        pending = connection.execute(text("SELECT count(*) FROM pending_sign")).scalar_one()
        orders = connection.execute(text("SELECT status, ticket_number FROM orders")).all()
    engine.dispose()
    assert pending == 0
    assert recovered >= 3  # restarts really found signed-but-not-journaled or unsent events
    # chain intact
    prev = GENESIS
    for record in bodies:
        assert record["prev"] == prev and record_hash(record) == record["hash"]
        prev = record["hash"]
    # continuous numbering, every number once
    numbers = [r["event"]["ticket_number"] for r in bodies if r["type"] in ("event", "refused", "void")]
    assert numbers == list(range(1, len(numbers) + 1))
    # no ticket signed twice, FDM counters continuous and equal to the journal's count
    signed = [r for r in bodies if r.get("fdm")]
    signatures = [r["fdm"]["signature"] for r in signed]
    assert len(set(signatures)) == len(signatures)
    totals = [r["fdm"]["total_counter"] for r in signed]
    assert totals == list(range(totals[0], totals[0] + len(totals)))
    per_label: dict[str, int] = {}
    for record in signed:
        label = record["fdm"]["event_label"]
        per_label[label] = per_label.get(label, 0) + 1
    if generation == 1:
        store = EmulatorStore(state / "fdm1")
        try:
            fdm_total = store.recovered.counters.total
            fdm_labels = {k: v for k, v in store.recovered.counters.per_label.items() if v}
        finally:
            store.close()
    else:
        events = EventStore(state / "fdm2" / "fdm.sqlite3")
        try:
            fdm_labels, fdm_total = events.counters()
        finally:
            events.close()
    assert fdm_total == len(signed) == totals[-1]
    assert fdm_labels == per_label
    # every paid table has exactly one sale; no table was lost
    sales = [r for r in bodies if r["event"]["kind"] == "SALE"]
    closed = [ticket for status, ticket in orders if status == "closed"]
    assert sorted(closed) == sorted(r["event"]["ticket_number"] for r in sales)
    assert all(status in ("open", "closed") for status, _ in orders)
    assert len(sales) >= 2
