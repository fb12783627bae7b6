"""Driver and emulator through a real pseudo-terminal with pyserial: every message, error class and fault."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import serial

from sce.fiscal.errors import (
    CardBlockedError,
    FiscalProtocolError,
    FiscalRefusedError,
    FiscalUnreachableError,
    InvalidFiscalRequestError,
    InvalidPinError,
    MemoryFullError,
    NoCardError,
    NotOperationalError,
    PinNotRequestedError,
    PinRequiredError,
)
from sce.fiscal.v1.driver import FdmV1Driver, SequenceStore, open_port
from sce.fiscal.v1.emulator import brussels_now
from sce.fiscal.v1.emulator_store import EmulatorStore
from sce.fiscal.v1.errors import FdmCode
from sce.fiscal.v1.framing import ACK, NACK, Frame, FrameParser, encode_frame
from sce.fiscal.v1.messages import EventLabel, HashSignRequest
from sce.fiscal.v1.vsc import hmac_sha1_hex, signature_message
from tests.fiscal.v1.conftest import FAST, TEST_KEY, TEST_PIN, TEST_PUK, PtyRig, make_store, start_rig

PLU = "046bfc9425c488b9fe31b78820c21a70ae28005a"


def ticket(number: int = 42, label: EventLabel = EventLabel.NS) -> Callable[[int], HashSignRequest]:
    def build(sequence: int) -> HashSignRequest:
        return HashSignRequest(
            sequence=sequence,
            ticket_datetime=datetime(2024, 1, 15, 12, 30, 45),
            insz="85073003328",
            pos_production_number="BODO0011A2B3C4",
            ticket_number=number,
            label=label,
            total_cents=3000,
            amounts=(0, 2678, 0, 0),
            plu=PLU,
        )

    return build


def unlock(rig: PtyRig) -> None:
    assert rig.driver.status().header.error.code is FdmCode.PIN_REQUIRED
    rig.driver.enter_pin(TEST_PIN)


def journal_signed(rig: PtyRig) -> list[dict[str, object]]:
    return [r for r in rig.emulator.store.iter_journal() if r.get("signed")]


def test_status_identification_and_pin(rig: PtyRig) -> None:
    status = rig.driver.status()
    assert status.header.fdm_id == "RET02000123"
    assert status.header.error.code is FdmCode.PIN_REQUIRED
    ident = rig.driver.identify()
    assert ident.firmware_version.strip() == "FW-1.2.3"
    assert ident.protocol_version == "1"
    assert ident.vsc_id == "0887456321-002" and ident.vsc_version == "001"
    reply = rig.driver.enter_pin(TEST_PIN)
    assert reply.header.error.code is FdmCode.PIN_ACCEPTED
    assert reply.vsc_id == "0887456321-002"
    assert rig.driver.status().header.error.code is FdmCode.OK


def test_pin_is_only_sent_after_202_or_204(rig: PtyRig) -> None:
    # nothing asked yet: the driver asks the status first, and the locked card (202) takes the PIN
    reply = rig.driver.enter_pin(TEST_PIN)
    assert reply.header.error.code is FdmCode.PIN_ACCEPTED
    kinds = [r["request"][0] for r in rig.emulator.store.iter_journal()]  # type: ignore[index]
    assert kinds[-2:] == ["S", "P"]
    with pytest.raises(PinNotRequestedError):
        rig.driver.enter_pin(TEST_PIN)  # already unlocked: the FDM does not ask
    assert [r["request"][0] for r in rig.emulator.store.iter_journal()][-1] == "S"  # type: ignore[index]


def test_hash_and_sign_signature_verifies(rig: PtyRig) -> None:
    unlock(rig)
    reply = rig.driver.hash_and_sign(ticket())
    exchange = rig.driver.last_exchange
    assert exchange is not None and exchange.sends == 1
    assert reply.label is EventLabel.NS and reply.event_counter == 1 and reply.total_counter == 1
    assert reply.fdm_datetime is not None
    stamp = reply.fdm_datetime.strftime("%Y%m%d%H%M%S")
    message = signature_message(exchange.request, stamp[:8], stamp[8:], "000000001", "000000001")
    assert reply.signature == hmac_sha1_hex(TEST_KEY, message)
    second = rig.driver.hash_and_sign(ticket(43, EventLabel.PS))
    assert (second.label, second.event_counter, second.total_counter) == (EventLabel.PS, 1, 2)


def test_wrong_pin_then_block_then_puk(rig: PtyRig) -> None:
    rig.driver.status()
    with pytest.raises(InvalidPinError):
        rig.driver.enter_pin("00000")
    with pytest.raises(InvalidPinError):
        rig.driver.enter_pin("00001")
    with pytest.raises(CardBlockedError):
        rig.driver.enter_pin("00002")
    with pytest.raises(CardBlockedError):
        rig.driver.hash_and_sign(ticket())
    assert rig.emulator.unblock(TEST_PUK)
    with pytest.raises(PinRequiredError):
        rig.driver.hash_and_sign(ticket())
    rig.driver.enter_pin(TEST_PIN)
    assert rig.driver.hash_and_sign(ticket()).total_counter == 1


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("201", NoCardError),
        ("202", PinRequiredError),
        ("203", CardBlockedError),
        ("204", InvalidPinError),
        ("205", MemoryFullError),
        ("206", InvalidFiscalRequestError),
        ("207", InvalidFiscalRequestError),
        ("208", NotOperationalError),
        ("209", NotOperationalError),
        ("210", NoCardError),
        ("299", FiscalRefusedError),
    ],
)
def test_every_error_class_is_a_typed_exception(rig: PtyRig, code: str, error: type[Exception]) -> None:
    unlock(rig)
    rig.link.add_fault(f"error={code}@H")
    with pytest.raises(error) as raised:
        rig.driver.hash_and_sign(ticket())
    assert getattr(raised.value, "code", "") == code
    assert journal_signed(rig) == []
    assert rig.driver.hash_and_sign(ticket()).total_counter == 1  # the next ticket goes through


@pytest.mark.parametrize("code", ["101", "102", "103", "199"])
def test_warnings_are_returned_not_raised(rig: PtyRig, code: str) -> None:
    unlock(rig)
    rig.link.add_fault(f"error={code}@H")
    reply = rig.driver.hash_and_sign(ticket())
    assert reply.header.error.code.value == code
    assert reply.signature.strip()


def test_real_invalid_data_gets_207_over_the_wire(rig: PtyRig) -> None:
    port = rig.driver.port
    bad = "H0102024011512304512345678901BODO0011A2B3C4    42XS" + "       3000" + "2100" + " " * 8 + "000"
    bad += "1200" + "       2678" + " 600" + "        000" + " 000" + "        000" + PLU
    assert len(bad) == 162
    port.write(encode_frame(bad))
    parser = FrameParser()
    items: list[object] = []
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and not any(isinstance(i, Frame) for i in items):
        items += parser.feed(port.read(200))
    frames = [i for i in items if isinstance(i, Frame)]
    assert frames and frames[0].data[4:10] == "207049"  # event label at offset 49
    port.write(bytes((ACK,)))


def test_fault_drop_ack_resends_with_retry_digit(rig: PtyRig) -> None:
    unlock(rig)
    rig.link.add_fault("drop-ack@H")
    reply = rig.driver.hash_and_sign(ticket())
    assert rig.driver.last_exchange is not None and rig.driver.last_exchange.sends == 2
    assert rig.driver.last_exchange.request[3] == "1"
    assert reply.header.retry == 1 and reply.header.error.code is FdmCode.OK
    assert len(journal_signed(rig)) == 1


def test_fault_nack_resends(rig: PtyRig) -> None:
    unlock(rig)
    rig.link.add_fault("nack@H*2")
    reply = rig.driver.hash_and_sign(ticket())
    assert rig.driver.last_exchange is not None and rig.driver.last_exchange.sends == 3
    assert reply.header.retry == 2 and len(journal_signed(rig)) == 1


def test_fault_drop_reply_gets_stored_reply_and_no_second_signature(rig: PtyRig) -> None:
    unlock(rig)
    rig.link.add_fault("drop-reply@H")
    reply = rig.driver.hash_and_sign(ticket())
    assert reply.header.error.code is FdmCode.ALREADY_HANDLED
    signed = journal_signed(rig)
    assert len(signed) == 1
    assert reply.signature == str(signed[0]["reply"])[69:]
    assert rig.emulator.counters.total == 1


def test_fault_corrupt_bcc_is_nacked_then_recovered(rig: PtyRig) -> None:
    unlock(rig)
    rig.link.add_fault("corrupt-bcc@H")
    reply = rig.driver.hash_and_sign(ticket())
    # Three damaged sends NACKed, then the request re-sent and the stored reply replayed intact.
    assert reply.header.error.code is FdmCode.ALREADY_HANDLED
    assert len(journal_signed(rig)) == 1


def test_fault_corrupt_bcc_every_time_is_a_protocol_error(rig: PtyRig) -> None:
    unlock(rig)
    rig.link.add_fault("corrupt-bcc@H*3")
    with pytest.raises(FiscalProtocolError, match="damaged"):
        rig.driver.hash_and_sign(ticket())


def test_fault_delay_past_timeout_discards_the_late_reply(rig: PtyRig) -> None:
    unlock(rig)
    rig.link.add_fault("delay=0.9@H")
    reply = rig.driver.hash_and_sign(ticket())
    assert reply.total_counter == 1
    assert len(journal_signed(rig)) == 1
    # The next request is not confused by anything left on the line.
    assert rig.driver.hash_and_sign(ticket(43)).total_counter == 2
    assert rig.driver.status().header.error.code is FdmCode.OK


def test_no_answer_at_all_is_unreachable(rig: PtyRig) -> None:
    rig.link.add_fault("drop-ack*3")
    with pytest.raises(FiscalUnreachableError, match="after 3 sends"):
        rig.driver.status()


def test_fill_memory_and_pull_vsc_faults(rig: PtyRig) -> None:
    unlock(rig)
    rig.link.add_fault("fill-memory=95")
    assert rig.driver.hash_and_sign(ticket()).header.error.code is FdmCode.MEMORY_NEAR_FULL
    rig.link.add_fault("fill-memory")
    with pytest.raises(MemoryFullError):
        rig.driver.hash_and_sign(ticket())
    rig.link.add_fault("pull-vsc")
    assert rig.driver.status().header.error.code is FdmCode.NO_VSC
    with pytest.raises(NoCardError):
        rig.driver.hash_and_sign(ticket())


def test_faults_posted_from_another_process(rig: PtyRig) -> None:
    unlock(rig)
    EmulatorStore.post_fault_to(rig.emulator.store.directory, "error=208@S")
    assert rig.driver.status().header.error.code is FdmCode.NOT_OPERATIONAL
    assert rig.driver.status().header.error.code is FdmCode.OK


def test_admin_commands_from_another_process(rig: PtyRig) -> None:
    rig.driver.status()
    for wrong in ("00000", "00001", "00002"):
        with pytest.raises((InvalidPinError, CardBlockedError)):
            rig.driver.enter_pin(wrong)
    directory = rig.emulator.store.directory
    EmulatorStore.post_fault_to(directory, f"unblock={TEST_PUK}")
    EmulatorStore.post_fault_to(directory, "clock-offset=-7200")
    assert rig.driver.status().header.error.code is FdmCode.PIN_REQUIRED
    rig.driver.enter_pin(TEST_PIN)
    reply = rig.driver.hash_and_sign(ticket())
    assert reply.fdm_datetime is not None
    assert abs((reply.fdm_datetime - brussels_now()).total_seconds() + 7200) < 5


def test_emulator_resends_its_reply_without_ack(rig: PtyRig) -> None:
    port = rig.driver.port
    port.write(encode_frame("S000"))
    parser = FrameParser()
    items: list[object] = []
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        items += parser.feed(port.read(100))
    frames = [i for i in items if isinstance(i, Frame)]
    assert items[0] is not None and len(frames) == 3  # the reply, sent 3 times in all (Decision i)
    assert all(f.data == frames[0].data for f in frames)
    port.write(encode_frame("S010"))
    time.sleep(0.05)
    port.write(bytes((NACK,)))  # a NACK makes the FDM send again at once
    received = b""
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:
        received += port.read(100)
    assert received.count(b"S010") == 2
    port.write(bytes((ACK,)))


def test_sequence_numbers_survive_a_restart_and_wrap(store: EmulatorStore, tmp_path: Path) -> None:
    rig = start_rig(store, tmp_path)
    try:
        for _ in range(3):
            rig.driver.status()
        assert rig.driver.sequences.last == 2
        rig.driver.close()
        again = FdmV1Driver(open_port(rig.path), settings=FAST, sequences=SequenceStore(tmp_path / "pos.seq"))
        assert again.status().header.sequence == 3
        rig.driver = again
    finally:
        rig.close()
    wrapping = SequenceStore(tmp_path / "wrap.seq")
    numbers = [wrapping.next() for _ in range(101)]
    assert numbers[:2] == [0, 1] and numbers[99] == 99 and numbers[100] == 0


def test_serial_url_loop_has_no_fdm(tmp_path: Path) -> None:
    port = serial.serial_for_url("loop://", timeout=0.05)
    driver = FdmV1Driver(port, settings=FAST, sequences=SequenceStore(tmp_path / "s.seq"))
    # loop:// echoes the request back: not an ACK, so the driver gives up with a clear error.
    with pytest.raises(FiscalUnreachableError):
        driver.status()


def test_tiny_capacity_device_over_pty(tmp_path: Path) -> None:
    rig = start_rig(make_store(tmp_path / "small", capacity=2), tmp_path)
    try:
        unlock(rig)
        assert rig.driver.hash_and_sign(ticket(1)).header.error.code is FdmCode.OK
        assert rig.driver.hash_and_sign(ticket(2)).header.error.code is FdmCode.MEMORY_NEAR_FULL
        with pytest.raises(MemoryFullError):
            rig.driver.hash_and_sign(ticket(3))
    finally:
        rig.close()
