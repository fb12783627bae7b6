"""SIGKILL of a real ``sce fdm2 emulate`` mid-stream, repeatedly: counters gap-free, no signed event lost."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from sce.fiscal.errors import FiscalError
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.serving import ServerThread
from sce.fiscal.v2.signing import PUBLIC_KEY_FILE, verify
from sce.fps.app import FpsConfig, create_app
from tests.fiscal.v2 import processes
from tests.fiscal.v2.support import data_for, example_a_data

ROUNDS = 5


class Till:
    """Signs events one after the other until the FDM stops answering; remembers every answer."""

    def __init__(self, url: str, start_ticket: int) -> None:
        self.url = url
        self.ticket = start_ticket
        self.answers: list[dict[str, Any]] = []
        self.in_flight: tuple[str, dict[str, Any]] | None = None
        self.thread = threading.Thread(target=self.run, daemon=True)

    @staticmethod
    def request(ticket: int) -> tuple[str, dict[str, Any]]:
        if ticket % 3 == 0:
            return "signWorkIn", data_for("signWorkIn", ticket)
        return "signSale", example_a_data(ticket)

    def run(self) -> None:
        with FdmClient(self.url, retries=0, timeout=3) as client:
            while True:
                mutation, data = self.request(self.ticket)
                self.in_flight = (mutation, data)
                try:
                    exchange = client.sign(mutation, data)
                except FiscalError:
                    return
                self.answers.append(exchange.data["signResult"])
                self.in_flight = None
                self.ticket += 1


@pytest.mark.slow
def test_sigkill_mid_stream_keeps_counters_gap_free_and_uploads_complete(tmp_path: Path) -> None:
    state = tmp_path / "fdm"
    rng = random.Random(20240729)
    answers: list[dict[str, Any]] = []
    ticket = 1
    in_flight: tuple[str, dict[str, Any]] | None = None
    with ServerThread(create_app(FpsConfig(tmp_path / "fps"))) as fps:
        for _ in range(ROUNDS):
            emulator = processes.emulator(state, "--auth", "none", "--fps", fps.url)
            till = Till(emulator.url, ticket)
            with FdmClient(emulator.url, retries=0) as client:
                if in_flight is not None:
                    # The request that was cut off is sent again: signed once at most, never twice.
                    exchange = client.sign(*in_flight)
                    answers.append(exchange.data["signResult"])
            till.thread.start()
            time.sleep(rng.uniform(0.3, 0.8))
            emulator.kill()
            till.thread.join(timeout=10)
            answers.extend(till.answers)
            in_flight = till.in_flight
            ticket = till.ticket + 1
        emulator = processes.emulator(state, "--auth", "none", "--fps", fps.url)
        base = emulator.url.removesuffix("/graphql")
        deadline = time.monotonic() + 30
        while httpx.get(f"{base}/_emulator/state").json()["pending"] and time.monotonic() < deadline:
            time.sleep(0.05)
        snapshot = httpx.get(f"{base}/_emulator/state").json()
        received = httpx.get(f"{fps.url}/fdm/FOD01000001/events").json()
        emulator.stop()

    db = sqlite3.connect(state / "fdm.sqlite3")
    rows = db.execute(
        "SELECT total_counter, label, event_counter, signature, uploaded FROM events"
    ).fetchall()
    db.close()
    totals = sorted(row[0] for row in rows)
    assert len(answers) > 20, "the till signed too little to exercise the crashes"
    assert totals == list(range(1, len(rows) + 1)), "total counter has a gap or a repeat"
    for label in {row[1] for row in rows}:
        counters = sorted(row[2] for row in rows if row[1] == label)
        assert counters == list(range(1, len(counters) + 1)), f"label {label} counter has a gap"
    assert snapshot["totalCounter"] == len(rows) and snapshot["pending"] == 0
    stored = {row[0]: row[3] for row in rows}
    public = (state / PUBLIC_KEY_FILE).read_text()
    seen: dict[int, str] = {}
    for answer in answers:
        counter = answer["fdmRef"]["totalCounter"]
        assert stored[counter] == answer["digitalSignature"], "an answered event is missing from the log"
        assert seen.setdefault(counter, answer["digitalSignature"]) == answer["digitalSignature"]
    sale = next(a for a in answers if a["eventOperation"] == "SALE")
    message = json.loads(json.dumps(sale))  # answers are plain JSON
    assert verify(public, _message_of(state, message["fdmRef"]["totalCounter"]), sale["digitalSignature"])
    assert [event["totalCounter"] for event in received] == totals, "upload lost, repeated or out of order"
    assert all(row[4] == 1 for row in rows)


def _message_of(state: Path, total_counter: int) -> bytes:
    db = sqlite3.connect(state / "fdm.sqlite3")
    (message,) = db.execute("SELECT message FROM events WHERE total_counter = ?", (total_counter,)).fetchone()
    db.close()
    return str(message).encode("utf-8")
