"""The SCE 2.0 signing benchmark runs in its quick form and prints its figures with goals and floor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "fdm2_sign.py"


def test_benchmark_prints_latency_throughput_goals_and_floor() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["benchmark"] == "fdm2_sign" and figures["rounds"] == 200
    assert 0 < figures["floor_http_p50_ms"] <= figures["sign_p50_ms"] <= figures["sign_p99_ms"]
    assert figures["signs_per_second"] > 0
    assert "p50" in lines[0] and "goal <= 5.0 ms" in lines[0] and "floor" in lines[0]
    assert "p99" in lines[1] and "goal <= 15.0 ms" in lines[1]
    assert "/s" in lines[2] and "goal >= 300" in lines[2]
