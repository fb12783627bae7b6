"""The upload buffer against the real FPS stand-in: FPS down, warnings, BUFFER_FULL, back up, drained once."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from sce.fiscal.v2.errors import BufferFullError
from sce.fiscal.v2.serving import ServerThread
from sce.fps.app import FpsConfig, create_app
from tests.fiscal.v2.support import data_for, example_a_data, running_emulator


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def test_fps_down_warnings_buffer_full_then_drained_in_order_exactly_once(tmp_path: Path) -> None:
    fps_config = FpsConfig(tmp_path / "fps", footer=["Bedankt en tot ziens"], notices=["Test notice"])
    with (
        ServerThread(create_app(fps_config)) as fps,
        running_emulator(tmp_path / "fdm", fps_url=fps.url, buffer_capacity=10) as emulator,
        emulator.client() as client,
    ):
        wait_until(lambda: emulator.fdm.uploader.first_boot_done)
        first = client.sign("signSale", example_a_data(1)).data["signResult"]
        assert first["footer"] == ["Bedankt en tot ziens"]
        assert first["informations"][0]["extensions"]["category"] == "SPF_FOD"
        wait_until(lambda: emulator.fdm.snapshot()["pending"] == 0)

        assert httpx.post(f"{fps.url}/admin/availability", json={"up": False}).json() == {"up": False}
        client.sign("signWorkIn", data_for("signWorkIn", 2))
        wait_until(lambda: emulator.fdm.snapshot()["uploadFailing"])
        answers = []
        ticket = 3
        while True:
            try:
                answers.append(client.sign("signSale", example_a_data(ticket)))
            except BufferFullError as refusal:
                full = refusal
                break
            ticket += 1
        assert all("TRANSACTION_UPLOAD_FAILED" in a.warning_codes for a in answers)
        used = [a.data["signResult"]["bufferCapacityUsed"] for a in answers]
        assert used == [20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
        near = ["BUFFER_NEAR_FULL" in a.warning_codes for a in answers]
        assert near == [False] * 6 + [True] * 3
        assert full.code == "BUFFER_FULL"
        total = emulator.fdm.snapshot()["totalCounter"]
        assert total == 11, "the refused event was not signed"

        httpx.post(f"{fps.url}/admin/availability", json={"up": True})
        wait_until(lambda: emulator.fdm.snapshot()["pending"] == 0)
        after = client.sign("signSale", example_a_data(ticket))
        assert after.warning_codes == ()
        wait_until(lambda: emulator.fdm.snapshot()["pending"] == 0)
        received = httpx.get(f"{fps.url}/fdm/FOD01000001/events").json()
    assert [event["totalCounter"] for event in received] == list(range(1, 13))
    assert received[0]["shortSignature"] == first["shortSignature"]


@pytest.mark.parametrize("fault", ["fps_down"])
def test_fps_down_fault_from_python(tmp_path: Path, fault: str) -> None:
    with (
        ServerThread(create_app(FpsConfig(tmp_path / "fps"))) as fps,
        running_emulator(tmp_path / "fdm", fps_url=fps.url) as emulator,
        emulator.client() as client,
    ):
        emulator.fdm.apply_faults({fault: True})
        client.sign("signWorkIn", data_for("signWorkIn", 1))
        second = client.sign("signWorkIn", data_for("signWorkIn", 2))
        assert "TRANSACTION_UPLOAD_FAILED" in second.warning_codes
        assert httpx.get(f"{fps.url}/fdm/FOD01000001/events").json() == []
        emulator.fdm.apply_faults({fault: False})
        wait_until(lambda: emulator.fdm.snapshot()["pending"] == 0)
        assert len(httpx.get(f"{fps.url}/fdm/FOD01000001/events").json()) == 2


def test_first_boot_failure_warns_and_status_is_not_initialized(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with running_emulator(tmp_path / "fdm", fps_url=nobody) as emulator, emulator.client() as client:
        wait_until(lambda: emulator.fdm.snapshot()["uploadFailing"])
        result = client.sign("signWorkIn", data_for("signWorkIn", 1))
        status = client.status()
    assert "INITIALIZATION_FAILED" in result.warning_codes
    assert "TRANSACTION_UPLOAD_FAILED" in result.warning_codes
    assert result.data["signResult"]["footer"] == []
    assert status["initialized"] is False
