"""``sce demo`` runs a real till session against the emulator and prints verifiable control data."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from sce.demo import run_demo


def test_demo_session_signs_work_in_and_sale(tmp_path: Path) -> None:
    out = run_demo(tmp_path, serve=False)
    text = "\n".join(out)
    assert out[0].startswith("FDM v1 emulator listening on /dev/pts/")
    assert "202 initialise the VSC with the PIN" in text
    assert "PLU cf44878a" in text  # the WORK IN line's PLU hash
    assert "counters 1/1 NS" in text and "counters 2/2 NS" in text
    assert "TOTAL                             41.90" in text
    # A second run on the same state continues the counters: nothing is reset.
    again = "\n".join(run_demo(tmp_path, serve=False))
    assert "counters 3/3 NS" in again and "counters 4/4 NS" in again


def test_sce_demo_serves_the_pages_and_the_emulator() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "sce", "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Web pages (obligation checker, deadline planner): http")
        assert process.stdout.readline().startswith("FDM v1 emulator listening on /dev/pts/")
        page = ""
        for _ in range(50):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/obligation/", timeout=1).text
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert "<html" in page
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
