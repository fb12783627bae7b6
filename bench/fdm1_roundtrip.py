"""H round trip of the SCE 1.0 driver and emulator over a real pty, against its floor and the wire time.

Run: ``.venv/bin/python bench/fdm1_roundtrip.py [--quick] [--json]``.

* measured: one hash-and-sign (request frame, ACK, signing with the journal record flushed to disk,
  reply frame, ACK) between the driver and an ``sce fdm1 emulate --pty`` process, no baud pacing;
* floor, same run: the same bytes bounced through a pty by a bare echo process (no parsing, no signing);
* reference: the time those bytes take on a real 19 200 baud 8N1 line (10 bits per byte).
Goal: under 2 ms per H, i.e. under 1.5 % of the wire time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tty
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sce.fiscal.v1.driver import FdmV1Driver, SequenceStore, open_port
from sce.fiscal.v1.framing import encode_frame
from sce.fiscal.v1.messages import EventLabel, HashSignRequest

GOAL_MS = 2.0
BAUD = 19200
REQUEST_BYTES = 162 + 3
REPLY_BYTES = 109 + 3
WIRE_MS = (REQUEST_BYTES + REPLY_BYTES + 2) * 10 / BAUD * 1000


def _request(number: int) -> Callable[[int], HashSignRequest]:
    def build(sequence: int) -> HashSignRequest:
        return HashSignRequest(
            sequence=sequence,
            ticket_datetime=datetime(2024, 1, 15, 12, 30, 45),
            insz="85073003328",
            pos_production_number="BODO0011A2B3C4",
            ticket_number=number,
            label=EventLabel.NS,
            total_cents=3000,
            amounts=(0, 2678, 0, 0),
            plu="046bfc9425c488b9fe31b78820c21a70ae28005a",
        )

    return build


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


ECHO = """
import os, sys, tty
master, slave = os.openpty(); tty.setraw(master); tty.setraw(slave)
print(os.ttyname(slave), flush=True)
reply = b"x" * {reply}
while True:
    got = 0
    while got < {request}:
        got += len(os.read(master, 4096))
    os.write(master, reply)
"""


def measure_floor(count: int) -> list[float]:
    """Round trips of the same byte counts through a pty and a bare echo process."""
    script = ECHO.format(reply=REPLY_BYTES + 1, request=REQUEST_BYTES)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    path = process.stdout.readline().strip()
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    payload = b"y" * REQUEST_BYTES
    times = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            os.write(fd, payload)
            got = 0
            while got < REPLY_BYTES + 1:
                got += len(os.read(fd, 4096))
            times.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(fd)
        process.kill()
        process.wait()
    return times


def measure_h(count: int, state: Path) -> list[float]:
    process = subprocess.Popen(
        [sys.executable, "-m", "sce", "fdm1", "emulate", "--pty", "--unlocked", "--state", str(state)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    path = process.stdout.readline().split(" on ", 1)[1].strip()
    driver = FdmV1Driver(open_port(path), sequences=SequenceStore())
    times = []
    try:
        driver.status()
        for warm in range(20):
            driver.hash_and_sign(_request(warm))
        for number in range(count):
            start = time.perf_counter()
            driver.hash_and_sign(_request(number))
            times.append((time.perf_counter() - start) * 1000)
    finally:
        driver.close()
        process.terminate()
        process.wait()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer round trips (about 5 s in all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    count = 300 if args.quick else 3000
    assert encode_frame("H" * 162)[:1] == b"\x02"
    with tempfile.TemporaryDirectory(prefix="sce-bench-") as tmp:
        h_times = measure_h(count, Path(tmp) / "fdm")
    floor_times = measure_floor(count)
    p50, p99 = statistics.median(h_times), _percentile(h_times, 0.99)
    floor = statistics.median(floor_times)
    result = {
        "benchmark": "fdm1_h_roundtrip_pty",
        "round_trips": count,
        "h_p50_ms": round(p50, 3),
        "h_p99_ms": round(p99, 3),
        "h_mean_ms": round(statistics.fmean(h_times), 3),
        "floor_pty_echo_p50_ms": round(floor, 3),
        "ratio_to_floor": round(p50 / floor, 2),
        "wire_time_19200_ms": round(WIRE_MS, 1),
        "share_of_wire_time_percent": round(p50 / WIRE_MS * 100, 2),
        "goal_ms": GOAL_MS,
        "goal_met": p50 < GOAL_MS,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"FDM v1 H round trip over pty ({count} tickets, journal flushed to disk each time)")
        print(f"  driver + emulator  p50 {p50:.3f} ms   p99 {p99:.3f} ms")
        print(f"  floor (pty echo)   p50 {floor:.3f} ms   ratio {p50 / floor:.1f}x")
        print(f"  19 200 baud wire   {WIRE_MS:.1f} ms     share {p50 / WIRE_MS * 100:.2f} %")
        print(f"  goal < {GOAL_MS} ms: {'met' if p50 < GOAL_MS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
