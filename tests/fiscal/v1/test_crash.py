"""SIGKILL the emulator process mid-stream, many times: counters and journal stay consistent."""

from __future__ import annotations

import json
import random
import threading
import time
from pathlib import Path

from sce.fiscal.errors import FiscalError
from sce.fiscal.v1.driver import DriverSettings, FdmV1Driver, SequenceStore, open_port
from sce.fiscal.v1.emulator_store import EmulatorStore
from sce.fiscal.v1.messages import EventLabel, HashSignReply
from sce.fiscal.v1.vsc import hmac_sha1_hex, signature_message
from tests.fiscal.v1.processes import EmulatorProcess, sce
from tests.fiscal.v1.test_driver_over_pty import ticket

KILLS = 25
LABELS = [EventLabel.NS, EventLabel.NR, EventLabel.PS, EventLabel.PR, EventLabel.TS]


def _sell_until_killed(
    path: str, seq_file: Path, received: list[HashSignReply], stop: threading.Event
) -> None:
    settings = DriverSettings(ack_timeout=0.3, reply_timeout=0.5, max_sends=2)
    try:
        driver = FdmV1Driver(open_port(path), settings=settings, sequences=SequenceStore(seq_file))
    except OSError:
        return
    try:
        if driver.status().header.error.code.value in ("202", "204"):
            driver.enter_pin("12345")
        number = 0
        while not stop.is_set():
            number += 1
            received.append(driver.hash_and_sign(ticket(number, LABELS[number % len(LABELS)])))
    except FiscalError:
        pass
    finally:
        driver.port.close()


def test_sigkill_mid_stream_keeps_counters_and_journal_consistent(tmp_path: Path) -> None:
    state = tmp_path / "fdm"
    seq_file = tmp_path / "pos.seq"
    rng = random.Random(20240115)
    received: list[HashSignReply] = []
    for _ in range(KILLS):
        process = EmulatorProcess(state, "--pty")
        stop = threading.Event()
        seller = threading.Thread(target=_sell_until_killed, args=(process.path, seq_file, received, stop))
        seller.start()
        time.sleep(rng.uniform(0.15, 0.45))
        process.kill()
        stop.set()
        seller.join(timeout=10)
        assert not seller.is_alive()

    journal = [
        json.loads(line) for line in (state / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    signed = [record for record in journal if record.get("signed")]
    assert len(received) >= KILLS  # the stream really was mid-flow when killed
    # Total counter: 1..n without a gap or a repeat, across every kill.
    assert [record["counters"]["total"] for record in signed] == list(range(1, len(signed) + 1))
    per_label: dict[str, int] = {}
    for record in signed:
        label = record["request"][49:51]
        per_label[label] = per_label.get(label, 0) + 1
        assert record["counters"][label] == per_label[label]
    # Every signature the POS received has its journal record (none signed twice: replies are unique).
    by_reply = {record["reply"][69:]: record for record in signed}
    assert len(by_reply) == len(signed)
    for reply in received:
        record = by_reply[reply.signature]
        assert int(record["reply"][60:69]) == reply.total_counter
    # Every signature verifies with the exported key.
    key = bytes.fromhex(
        json.loads(sce("fdm1", "export-keys", "--state", str(state)).stdout)["cards"][0]["key_hex"]
    )
    for record in signed:
        answer = record["reply"]
        message = signature_message(
            record["request"], answer[35:43], answer[43:49], answer[51:60], answer[60:69]
        )
        assert hmac_sha1_hex(key, message) == answer[69:]
    # A restart recovers exactly the last counters.
    recovered = EmulatorStore(state).recovered
    assert recovered.counters.total == len(signed)
    assert recovered.counters.per_label == {**dict.fromkeys(recovered.counters.per_label, 0), **per_label}
