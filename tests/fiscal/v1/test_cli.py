"""``sce fdm1``: the emulator as a process on a pty and on TCP; the driver commands a dealer would type."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sce.fiscal.v1.driver import DriverSettings, FdmV1Driver, SequenceStore, open_port
from sce.fiscal.v1.vsc import hmac_sha1_hex, signature_message
from tests.fiscal.v1.processes import EmulatorProcess, sce, sce_json
from tests.fiscal.v1.test_driver_over_pty import ticket


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    started = EmulatorProcess(tmp_path / "fdm", "--pty", "--pin", "24680")
    yield started
    started.stop()


def test_first_line_names_the_pty(emulator: EmulatorProcess) -> None:
    assert emulator.path.startswith("/dev/pts/")
    assert "RET02000123" in emulator.second_line


def test_status_identify_pin_commands(emulator: EmulatorProcess, tmp_path: Path) -> None:
    seq = str(tmp_path / "seq")
    status = sce_json("fdm1", "status", emulator.path, "--seq-file", seq)
    assert status["ok"] and status["fdm_id"] == "RET02000123" and status["error"] == "202000"
    ident = sce_json("fdm1", "identify", emulator.path, "--seq-file", seq)
    assert ident["protocol_version"] == "1" and len(ident["vsc_id"]) == 14
    assert ident["sequence"] == 1  # the sequence file carried the number across processes
    wrong = sce("fdm1", "pin", emulator.path, "11111", "--seq-file", seq, "--json")
    assert wrong.returncode == 2 and "204" in json.loads(wrong.stdout)["error"]
    right = sce_json("fdm1", "pin", emulator.path, "24680", "--seq-file", seq)
    assert right["error"] == "001000" and right["vsc_id"] == ident["vsc_id"]
    again = sce("fdm1", "pin", emulator.path, "24680", "--seq-file", seq)
    assert again.returncode == 2 and "not asked for a PIN" in again.stderr
    plain = sce("fdm1", "status", emulator.path, "--seq-file", seq)
    assert "error: 000000" in plain.stdout


def test_fault_command_reaches_the_running_emulator(emulator: EmulatorProcess, tmp_path: Path) -> None:
    state = str(tmp_path / "fdm")
    assert sce("fdm1", "fault", "error=209@S", "--state", state).returncode == 0
    status = sce_json("fdm1", "status", emulator.path, "--seq-file", str(tmp_path / "seq"))
    assert status["error"] == "209000"
    bad = sce("fdm1", "fault", "explode", "--state", state)
    assert bad.returncode == 2 and "unknown kind" in bad.stderr


def test_unreachable_port_is_a_clear_error(tmp_path: Path) -> None:
    result = sce("fdm1", "status", str(tmp_path / "no-such-port"), "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["ok"] is False


def test_init_and_export_keys(tmp_path: Path) -> None:
    created = sce_json("fdm1", "init", "--state", str(tmp_path / "card"), "--vsc-id", "0000000196-860")
    assert created["vsc_id"] == "0000000196-860" and len(created["puk"]) == 8
    again = sce("fdm1", "init", "--state", str(tmp_path / "card"))
    assert again.returncode == 2 and "already holds an FDM" in again.stderr
    keys = json.loads(sce("fdm1", "export-keys", "--state", str(tmp_path / "card")).stdout)
    (card,) = keys["cards"]
    assert card["algorithm"] == "HMAC-SHA1" and len(bytes.fromhex(card["key_hex"])) == 20


def test_tcp_link_and_signatures_verify_with_exported_key(tmp_path: Path) -> None:
    state = tmp_path / "fdm"
    process = EmulatorProcess(state, "--tcp", "127.0.0.1:0", "--unlocked")
    try:
        assert process.path.startswith("socket://127.0.0.1:")
        driver = FdmV1Driver(open_port(process.path), sequences=SequenceStore(tmp_path / "seq"))
        reply = driver.hash_and_sign(ticket())
        driver.close()
    finally:
        process.stop()
    keys = json.loads(sce("fdm1", "export-keys", "--state", str(state)).stdout)
    key = bytes.fromhex(keys["cards"][0]["key_hex"])
    journal = [json.loads(line) for line in (state / "journal.jsonl").read_text().splitlines()]
    (record,) = [r for r in journal if r.get("signed")]
    request, answer = record["request"], record["reply"]
    assert answer == reply.encode()
    message = signature_message(request, answer[35:43], answer[43:49], answer[51:60], answer[60:69])
    assert hmac_sha1_hex(key, message) == answer[69:]


def test_baud_pacing_makes_the_reply_take_wire_time(tmp_path: Path) -> None:
    process = EmulatorProcess(tmp_path / "fdm", "--pty", "--baud-sim", "1200")
    try:
        driver = FdmV1Driver(
            open_port(process.path), settings=DriverSettings(reply_timeout=3.0), sequences=SequenceStore()
        )
        driver.status()
        started = time.perf_counter()
        driver.identify()
        elapsed = time.perf_counter() - started
        driver.close()
    finally:
        process.stop()
    # ACK (1 byte) + the 63-byte identification frame at 1200 baud: 64 x 10 / 1200 = 0.533 s.
    assert elapsed >= 0.5
    assert elapsed < 2.5
