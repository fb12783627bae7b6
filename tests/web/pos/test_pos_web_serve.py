"""``sce serve --demo`` as a newcomer starts it: a subprocess that answers 200 on / with the login screen
within seconds, prints the demo PINs, has a history (sales and Z reports) and a live event stream."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from pos_web_support import MANAGER_PIN, free_port

SCE = Path(sys.executable).with_name("sce")


def test_sce_serve_demo_answers_with_the_login_screen(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(SCE), "serve", "--demo", "--state", str(tmp_path / "state"), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        answer = None
        while time.monotonic() - started < 60:
            try:
                answer = httpx.get(base + "/", timeout=2)
                break
            except httpx.HTTPError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                time.sleep(0.2)
        assert answer is not None and answer.status_code == 200
        assert "Log in" in answer.text and "PIN" in answer.text
        assert time.monotonic() - started < 30
        token = httpx.post(base + "/api/v1/session", json={"secret": MANAGER_PIN}).json()["token"]
        tickets = httpx.get(base + "/api/v1/tickets", headers={"Authorization": f"Bearer {token}"}).json()
        assert len(tickets["tickets"]) >= 5  # the demo history
        assert httpx.get(base + "/obligation/").status_code == 200
        with httpx.stream(
            "GET", base + "/events", headers={"Authorization": f"Bearer {token}"}, timeout=5
        ) as stream:
            assert stream.status_code == 200
            assert next(stream.iter_lines()).startswith("retry:")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    assert "1111" in output and "2222" in output and "3333" in output
