"""Shared by the POS web tests: a demo runtime (SCE 1.0 or 2.0 emulator) on a temporary SQLite database,
its FastAPI app under a TestClient or a real uvicorn server, and small API helpers."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi.testclient import TestClient

from sce.pos.fdm_setup import EMULATOR_PIN
from sce.web.pos import demo
from sce.web.pos.app import create_app
from sce.web.pos.runtime import FdmChoice, Runtime, open_runtime

MANAGER_PIN, WAITER_PIN, WAITER2_PIN, TECHNICIAN_PIN, INSPECTOR_PIN = "1111", "2222", "3333", "9797", "4444"
ROBOT_KEY = "kiosk-demo-key"


@contextmanager
def demo_runtime(
    state: Path, generation: int = 1, *, unlock: bool = True, db_url: str | None = None
) -> Iterator[Runtime]:
    """The demo restaurant without history, on a fresh database, with its FDM emulator started."""
    choice = FdmChoice.parse("emulator-v1" if generation == 1 else "emulator-v2")
    url = db_url or f"sqlite:///{state / 'pos.db'}"
    rt = open_runtime(url, choice, state, demo=True, seed=demo.seed)
    try:
        rt.start(pin=EMULATOR_PIN if unlock and generation == 1 else None)
        yield rt
    finally:
        rt.close()


def key() -> str:
    return uuid.uuid4().hex


class Api:
    """A logged-in API client (bearer token)."""

    def __init__(self, client: TestClient | httpx.Client, secret: str, terminal: str = "T1") -> None:
        self.client = client
        answer = client.post("/api/v1/session", json={"secret": secret, "terminal_id": terminal})
        assert answer.status_code == 200, answer.text
        self.token = answer.json()["token"]
        self.role = answer.json()["role"]
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kw)

    def post(
        self, path: str, body: dict[str, Any] | None = None, *, idem: str | None = None
    ) -> httpx.Response:
        headers = {**self.headers, "Idempotency-Key": idem or key()}
        return self.client.post(f"/api/v1{path}", json=body or {}, headers=headers)

    def ok(self, path: str, body: dict[str, Any] | None = None, *, idem: str | None = None) -> dict[str, Any]:
        answer = self.post(path, body, idem=idem)
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()
        return data


def clock_in(client: TestClient | httpx.Client, secret: str, terminal: str = "T1") -> None:
    answer = client.post(
        "/api/v1/clock",
        json={"secret": secret, "terminal_id": terminal, "direction": "in"},
        headers={"Idempotency-Key": key()},
    )
    assert answer.status_code == 200, answer.text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(rt: Runtime) -> Iterator[str]:
    """The app on a real socket (for the browser), stopped at the end."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(rt), host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield base
    finally:
        rt.bus.close()
        server.should_exit = True
        thread.join(timeout=10)
