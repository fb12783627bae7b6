"""``sce fdm2`` and ``sce fps`` as real processes: emulate, status, fault, serve, help."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.errors import FdmLockedError, UnauthorizedError
from tests.fiscal.v2 import processes
from tests.fiscal.v2.support import data_for


def test_emulate_status_and_fault_commands(tmp_path: Path) -> None:
    fps = processes.fps(tmp_path / "fps", "--footer", "Merci et à bientôt", "--allow-pos", "CPOS0031234567")
    emulator = processes.emulator(
        tmp_path / "fdm",
        "--auth",
        "fdm-sha1",
        "--secret",
        "s3cr3t",
        "--fps",
        fps.url,
        "--fault",
        "certificate=expiring",
    )
    try:
        assert emulator.url.startswith("http://127.0.0.1:") and emulator.url.endswith("/graphql")
        status = processes.sce(
            "fdm2", "status", emulator.url, "--auth", "fdm-sha1", "--secret", "s3cr3t", "--json"
        )
        assert status.returncode == 0, status.stderr
        answer = json.loads(status.stdout)
        assert answer["device"]["fdmId"] == "FOD01000001"
        assert answer["warnings"][0]["extensions"]["code"] == "CLIENT_CERT_NEAR_EXPIRATION"
        denied = processes.sce(
            "fdm2", "status", emulator.url, "--auth", "fdm-sha1", "--secret", "wrong", "--json"
        )
        assert denied.returncode == 1 and "UnauthorizedError" in denied.stdout
        fault = processes.sce("fdm2", "fault", emulator.url, "--set", "locked=true", "--json")
        assert fault.returncode == 0 and json.loads(fault.stdout)["locked"] is True
        with FdmClient(emulator.url, auth=AuthMode.FDM_SHA1, secret="s3cr3t") as client:
            with pytest.raises(FdmLockedError):
                client.sign("signWorkIn", data_for("signWorkIn", 1))
            text = processes.sce("fdm2", "status", emulator.url, "--auth", "fdm-sha1", "--secret", "s3cr3t")
            assert "error: FDM_LOCKED" in text.stdout
            assert processes.sce("fdm2", "fault", emulator.url, "--clear").returncode == 0
            client.sign("signWorkIn", data_for("signWorkIn", 1))
            base = emulator.url.removesuffix("/graphql")
            deadline = time.monotonic() + 10
            while not httpx.get(f"{base}/_emulator/state").json()["firstBootDone"]:
                assert time.monotonic() < deadline, "no first boot"
                time.sleep(0.05)
            outsider = {**data_for("signWorkIn", 2), "posId": "COTH0019999999"}
            with pytest.raises(Exception, match="COTH0019999999"):
                client.sign("signWorkIn", outsider)
        bad = processes.sce("fdm2", "fault", emulator.url, "--set", "certificate=rotten")
        assert bad.returncode == 2 and "certificate" in bad.stderr
    finally:
        emulator.stop()
        fps.stop()
    assert (tmp_path / "fdm" / "fdm-public-key.pem").read_text().startswith("-----BEGIN PUBLIC KEY-----")


def test_help_texts() -> None:
    for args in (("fdm2", "--help"), ("fdm2", "emulate", "--help"), ("fps", "serve", "--help")):
        done = processes.sce(*args)
        assert done.returncode == 0 and "Usage" in done.stdout
    assert "--allow-pos" in processes.sce("fdm2", "emulate", "--help").stdout


def test_emulate_without_secret_keeps_a_random_one_in_the_state(tmp_path: Path) -> None:
    emulator = processes.emulator(tmp_path / "fdm", "--auth", "bearer")
    try:
        secret = (tmp_path / "fdm" / "pos-secret").read_text().strip()
        assert len(secret) >= 24
        with FdmClient(emulator.url, auth=AuthMode.BEARER, secret=secret) as client:
            assert client.device() == {"id": "FOD01000001"}
        intruder = FdmClient(emulator.url, auth=AuthMode.BEARER, secret="guess", retries=0)
        with intruder, pytest.raises(UnauthorizedError):
            intruder.device()
    finally:
        emulator.stop()
