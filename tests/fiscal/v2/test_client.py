"""The POS-side client: retries with the same identity, timeouts, and the three kinds of failure."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from sce.fiscal.errors import FiscalUnreachableError
from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.errors import FdmInvalidRequestError, FdmLockedError
from tests.fiscal.v2.support import RunningEmulator, data_for, example_a_data, running_emulator


class LosesFirstAnswer(httpx.BaseTransport):
    """Forwards every request to the real emulator; the first answer is lost on the way back."""

    def __init__(self) -> None:
        self.real = httpx.HTTPTransport()
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        response = self.real.handle_request(request)
        if len(self.bodies) == 1:
            response.read()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


class Counting(httpx.BaseTransport):
    def __init__(self) -> None:
        self.real = httpx.HTTPTransport()
        self.calls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        return self.real.handle_request(request)


def test_lost_answer_is_retried_with_the_same_body_and_detected_as_duplicate(tmp_path: Path) -> None:
    transport = LosesFirstAnswer()
    with running_emulator(tmp_path / "fdm", auth=AuthMode.FDM_SHA1) as emulator:
        with FdmClient(
            emulator.url, auth=AuthMode.FDM_SHA1, secret="example-secret", transport=transport, backoff=0.01
        ) as client:
            exchange = client.sign("signSale", example_a_data(1))
        assert exchange.attempts == 2
        assert len(transport.bodies) == 2 and transport.bodies[0] == transport.bodies[1]
        assert exchange.warning_codes == ("DUPLICATE_REQUEST",)
        assert exchange.data["signResult"]["fdmRef"]["totalCounter"] == 1
        assert emulator.fdm.snapshot()["totalCounter"] == 1
        assert exchange.request == transport.bodies[0].decode()


def test_invalid_request_and_refusal_are_never_retried(emulator: RunningEmulator) -> None:
    transport = Counting()
    with FdmClient(emulator.url, transport=transport, retries=3) as client:
        with pytest.raises(FdmInvalidRequestError):
            client.sign("signSale", {**example_a_data(1), "vatNo": "BE0477472702"})
        assert transport.calls == 1
        emulator.fdm.apply_faults({"locked": True})
        with pytest.raises(FdmLockedError):
            client.sign("signSale", example_a_data(1))
        assert transport.calls == 2


def test_nothing_listening_is_unreachable_after_retries() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = Counting()
    with (
        FdmClient(f"http://127.0.0.1:{port}/graphql", transport=transport, retries=2, backoff=0.01) as client,
        pytest.raises(FiscalUnreachableError),
    ):
        client.device()
    assert transport.calls == 3


def test_unreachable_fault_times_out(emulator: RunningEmulator) -> None:
    emulator.fdm.apply_faults({"unreachable": True})
    with (
        emulator.client(timeout=0.2, retries=1, backoff=0.01) as client,
        pytest.raises(FiscalUnreachableError),
    ):
        client.sign("signWorkIn", data_for("signWorkIn", 1))
    emulator.fdm.apply_faults({"unreachable": False})
    with emulator.client() as client:
        assert client.device() == {"id": "FOD01000001"}


def test_slow_fdm_signs_but_answers_late_then_the_resend_is_a_duplicate(emulator: RunningEmulator) -> None:
    emulator.fdm.apply_faults({"slow_ms": 400})
    with emulator.client(timeout=0.1, retries=0) as client, pytest.raises(FiscalUnreachableError):
        client.sign("signSale", example_a_data(1))
    emulator.fdm.apply_faults({"slow_ms": 0})
    with emulator.client() as client:
        again = client.sign("signSale", example_a_data(1))
    assert again.warning_codes == ("DUPLICATE_REQUEST",)
    assert emulator.fdm.snapshot()["totalCounter"] == 1
