"""SCE 2.0 signSale on loopback: latency p50/p99 and sustained signs per second, against an HTTP floor.

Starts ``sce fdm2 emulate`` (fdm-sha1 authentication, fresh state) in a child process, then measures from
this process with the POS client: a bare round trip to the emulator's ``/health`` (the floor: HTTP on
this machine, no GraphQL, no signing, no fsync), signSale one after the other (latency), and signSale
from several tills at once for a fixed time (throughput). Goals: p50 <= 5 ms, p99 <= 15 ms, >= 300/s.

Run: ``.venv/bin/python bench/fdm2_sign.py [--quick] [--json]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.client import FdmClient

ROOT = Path(__file__).resolve().parents[1]
LISTENING = "FDM v2 emulator listening on "
SECRET = "bench-secret"
GOAL_P50_MS = 5.0
GOAL_P99_MS = 15.0
GOAL_PER_SECOND = 300.0


def sale(ticket: int) -> dict[str, Any]:
    """Example A of the spec with its own ticket number."""
    data: dict[str, Any] = {
        "language": "NL",
        "vatNo": "BE0000000097",
        "estNo": "2000000042",
        "posId": "CPOS0031234567",
        "posFiscalTicketNo": ticket,
        "posDateTime": "2024-07-29T13:00:00.000+02:00",
        "posSwVersion": "1.8.3",
        "terminalId": "TER-2-DIN",
        "deviceId": "1631678d-7a85-4ac3-b296-bb4565e873fe",
        "bookingPeriodId": "dffcd829-a0e5-41ca-a0ae-9eb887f95637",
        "bookingDate": "2024-07-29",
        "ticketMedium": "PAPER",
        "employeeId": "75061189702",
        "costCenter": {"id": "5", "type": "TABLE", "reference": "8c0c5e1e-3b7a-4f55-9d2a-6f1e2b3c4d5e"},
        "transaction": {
            "transactionTotal": 52.0,
            "transactionLines": [
                _line("10006", "Dry Martini", 2.0, 12.0, "A"),
                _line("22001", "Burger of the Chef", 1.0, 28.0, "B"),
            ],
        },
        "financials": [
            {
                "id": "1",
                "name": "CONTANT",
                "type": "CASH",
                "inputMethod": "MANUAL",
                "amount": 52.0,
                "amountType": "PAYMENT",
            }
        ],
    }
    return copy.deepcopy(data)


def _line(pid: str, name: str, quantity: float, unit: float, label: str) -> dict[str, Any]:
    price = quantity * unit
    return {
        "lineType": "SINGLE_PRODUCT",
        "lineTotal": price,
        "mainProduct": {
            "productId": pid,
            "productName": name,
            "departmentId": "10",
            "departmentName": "Kitchen",
            "quantity": quantity,
            "quantityType": "PIECE",
            "unitPrice": unit,
            "vats": [{"label": label, "price": price, "priceChanges": []}],
        },
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def start_emulator(state: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sce",
            "fdm2",
            "emulate",
            "--port",
            "0",
            "--state",
            str(state),
            "--auth",
            "fdm-sha1",
            "--secret",
            SECRET,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith(LISTENING):
        process.kill()
        raise RuntimeError(f"emulator did not start: {line!r}")
    return process, line[len(LISTENING) :].strip()


def floor_ms(base: str, rounds: int) -> list[float]:
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    times: list[float] = []
    with httpx.Client(transport=transport) as http:
        for _ in range(rounds // 10):
            http.get(f"{base}/health")
        for _ in range(rounds):
            start = time.perf_counter()
            http.get(f"{base}/health")
            times.append((time.perf_counter() - start) * 1000)
    return times


def latency_ms(url: str, rounds: int, first_ticket: int) -> list[float]:
    times: list[float] = []
    with FdmClient(url, auth=AuthMode.FDM_SHA1, secret=SECRET) as client:
        for ticket in range(first_ticket, first_ticket + rounds):
            data = sale(ticket)
            start = time.perf_counter()
            client.sign("signSale", data)
            times.append((time.perf_counter() - start) * 1000)
    return times


def throughput(url: str, seconds: float, tills: int, first_ticket: int) -> float:
    counts = [0] * tills
    stop = time.monotonic() + seconds

    def till(index: int) -> None:
        ticket = first_ticket + index * 1_000_000
        with FdmClient(url, auth=AuthMode.FDM_SHA1, secret=SECRET) as client:
            while time.monotonic() < stop:
                client.sign("signSale", sale(ticket))
                ticket += 1
                counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=till, args=(i,)) for i in range(tills)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run, figures are rough)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    rounds = 200 if args.quick else 2000
    seconds = 1.0 if args.quick else 5.0
    tills = 4
    with tempfile.TemporaryDirectory() as state:
        process, url = start_emulator(Path(state))
        try:
            base = url.removesuffix("/graphql")
            floor = floor_ms(base, rounds)
            latency_ms(url, rounds // 10, 1)  # warm-up
            latency = latency_ms(url, rounds, 10_000)
            per_second = throughput(url, seconds, tills, 100_000_000)
        finally:
            process.terminate()
            process.wait(timeout=10)
    figures = {
        "benchmark": "fdm2_sign",
        "quick": args.quick,
        "rounds": rounds,
        "sign_p50_ms": round(statistics.median(latency), 3),
        "sign_p99_ms": round(percentile(latency, 0.99), 3),
        "floor_http_p50_ms": round(statistics.median(floor), 3),
        "floor_http_p99_ms": round(percentile(floor, 0.99), 3),
        "signs_per_second": round(per_second, 1),
        "tills": tills,
        "goal_p50_ms": GOAL_P50_MS,
        "goal_p99_ms": GOAL_P99_MS,
        "goal_signs_per_second": GOAL_PER_SECOND,
        "cpus": os.cpu_count(),
    }
    floor50, floor99 = figures["floor_http_p50_ms"], figures["floor_http_p99_ms"]
    print(
        f"signSale p50      {figures['sign_p50_ms']:8.3f} ms   goal <= {GOAL_P50_MS} ms"
        f"   floor (HTTP /health) p50 {floor50:.3f} ms"
    )
    print(
        f"signSale p99      {figures['sign_p99_ms']:8.3f} ms   goal <= {GOAL_P99_MS} ms"
        f"   floor (HTTP /health) p99 {floor99:.3f} ms"
    )
    print(
        f"sustained signing {figures['signs_per_second']:8.1f} /s   goal >= {GOAL_PER_SECOND:.0f} /s"
        f" ({tills} tills, {os.cpu_count()} CPUs)"
    )
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
