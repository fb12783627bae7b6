"""The SCE 1.0 round-trip benchmark runs and prints its figures against its floor (not judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fdm1_roundtrip.py"


def test_benchmark_prints_measure_floor_and_wire_time() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    figures = json.loads(done.stdout)
    assert figures["round_trips"] == 300
    assert figures["h_p50_ms"] > 0 and figures["floor_pty_echo_p50_ms"] > 0
    ratio = figures["h_p50_ms"] / figures["floor_pty_echo_p50_ms"]
    assert abs(figures["ratio_to_floor"] - ratio) < 0.05 * ratio
    assert figures["wire_time_19200_ms"] == 145.3
