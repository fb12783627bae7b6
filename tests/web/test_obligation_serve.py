"""``sce obligation serve`` runs the pages until stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_command_answers_on_loopback() -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from sce.obligation.cli import app; app()",
        "serve",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/obligation/plan?lang=de", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, "server exited"
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert "Bis wann muss es erledigt sein?" in response.text
    finally:
        process.terminate()
        process.wait(timeout=10)
