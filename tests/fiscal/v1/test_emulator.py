"""The emulated FDM + VSC on DATA level: errors 206/207, PIN states, memory, status priority, persistence."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sce.fiscal.v1.emulator import FdmEmulator
from sce.fiscal.v1.emulator_store import EmulatorStore
from sce.fiscal.v1.errors import FdmCode
from sce.fiscal.v1.faults import Fault, FaultKind, FaultPlan, FaultSpecError, parse_fault
from sce.fiscal.v1.messages import H_REQUEST_LAYOUT, HashSignReply, parse_reply
from sce.fiscal.v1.vsc import hmac_sha1_hex, signature_message
from tests.fiscal.v1.conftest import TEST_KEY, TEST_PIN, TEST_PUK, VECTOR_CLOCK, make_store
from tests.vectors import case

H = case("fdm_v1_frames.json", "hash-sign-request-worked-example")["data"]


def h_request(sequence: int, retry: int = 0, label: str = "NS", ticket: int = 42) -> str:
    return H[:1] + f"{sequence:02d}{retry}" + H[4:43] + f"{ticket:6d}" + label + H[51:]


def unlocked(store: EmulatorStore) -> FdmEmulator:
    emulator = FdmEmulator(store, clock=lambda: VECTOR_CLOCK)
    assert emulator.handle(f"P000{TEST_PIN}")[4:10] == "001000"
    return emulator


def code_of(reply: str) -> str:
    return reply[4:10]


def test_unknown_identifier_is_206_with_bare_header(store: EmulatorStore) -> None:
    reply = FdmEmulator(store).handle("Z010")
    assert reply == "Z010206000RET02000123"
    assert FdmEmulator(store).handle("J01000ff")[4:7] == "206"


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("ticket_date", "20241315"),
        ("ticket_time", "126045"),
        ("insz", "1234567890A"),
        ("ticket_number", "  4 2 "),
        ("event_label", "XS"),
        ("total_amount", "         30"),
        ("vat_rate_1", "2000"),
        ("amount_rate_2", "       26.8"),
        ("vat_rate_3", "0600"),
        ("vat_rate_4", "0000"),
        ("plu", "g" * 40),
    ],
)
def test_invalid_h_field_is_207_with_its_offset(store: EmulatorStore, field: str, bad: str) -> None:
    offset, length, _ = next(item for item in H_REQUEST_LAYOUT if item[2] == field)
    assert len(bad) == length
    request = H[:offset] + bad + H[offset + length :]
    reply = unlocked(store).handle(request)
    assert len(reply) == 109
    assert code_of(reply) == f"207{offset:03d}"
    assert reply[69:] == " " * 40  # nothing signed


def test_wrong_length_is_207_detail_000(store: EmulatorStore) -> None:
    reply = FdmEmulator(store).handle(H[:-1])
    assert code_of(reply) == "207000"
    assert len(reply) == 109
    assert code_of(FdmEmulator(store).handle("S0000")) == "207000"


def test_short_plu_and_upper_case_hex_are_accepted(store: EmulatorStore) -> None:
    emulator = unlocked(store)
    short = H[:122] + " " * 32 + "AE28005A"
    reply = emulator.handle(short)
    assert code_of(reply) == "000000"
    assert reply[69:] == hmac_sha1_hex(
        TEST_KEY, signature_message(short, "20240115", "123046", reply[51:60], reply[60:69])
    )


def test_pin_state_machine_blocks_after_three_wrong_pins(store: EmulatorStore) -> None:
    emulator = FdmEmulator(store)
    assert code_of(emulator.handle("S000"))[:3] == "202"
    assert code_of(emulator.handle("P01011111")) == "204000"
    assert code_of(emulator.handle("P02022222")) == "204000"
    assert code_of(emulator.handle(f"P030{TEST_PIN}")) == "001000"  # a good PIN resets the count
    emulator.pin.lock()
    for sequence in range(3):
        reply = emulator.handle(f"P{sequence:02d}099999")
    assert code_of(reply) == "203000"
    assert code_of(emulator.handle(f"P040{TEST_PIN}")) == "203000"  # blocked: even the right PIN
    assert code_of(emulator.handle(h_request(5))) == "203000"
    assert code_of(emulator.handle("S060")) == "203000"
    # The block survives a restart of the FDM.
    reopened = FdmEmulator(EmulatorStore(store.directory))
    assert code_of(reopened.handle("S070")) == "203000"
    assert reopened.unblock("00000000") is False
    assert reopened.unblock(TEST_PUK) is True
    assert code_of(reopened.handle("S080")) == "202000"
    assert code_of(reopened.handle(f"P090{TEST_PIN}")) == "001000"


def test_card_is_locked_again_at_start_up(store: EmulatorStore) -> None:
    emulator = unlocked(store)
    assert code_of(emulator.handle(h_request(1))) == "000000"
    restarted = FdmEmulator(EmulatorStore(store.directory))
    assert code_of(restarted.handle(h_request(2))) == "202000"


def test_pulled_card_answers_201_and_identification_still_works(store: EmulatorStore) -> None:
    emulator = unlocked(store)
    emulator.apply_device_fault(Fault(FaultKind.PULL_VSC))
    assert code_of(emulator.handle("S000")) == "201000"
    ident = emulator.handle("I010")
    assert len(ident) == 59 and code_of(ident) == "201000"
    assert ident[10:21] == "RET02000123" and ident[42:56] == " " * 14
    assert code_of(emulator.handle(h_request(2))) == "201000"
    assert code_of(emulator.handle(f"P030{TEST_PIN}")) == "201000"
    emulator.apply_device_fault(Fault(FaultKind.INSERT_VSC))
    assert code_of(emulator.handle(h_request(4))) == "202000"


def test_memory_warns_at_90_percent_and_refuses_when_full(tmp_path: Path) -> None:
    store = make_store(tmp_path / "fdm", capacity=10)
    emulator = unlocked(store)
    codes = [code_of(emulator.handle(h_request(n))) for n in range(11)]
    assert codes[:8] == ["000000"] * 8
    assert codes[8:10] == ["101000", "101000"]  # the 9th and 10th records reach 90 %
    assert codes[10] == "205000"
    assert emulator.counters.total == 10
    assert code_of(emulator.handle("S000")) == "205000"


def test_fill_memory_fault(store: EmulatorStore) -> None:
    emulator = unlocked(store)
    emulator.apply_device_fault(parse_fault("fill-memory=95"))
    assert code_of(emulator.handle("S000")) == "101000"
    emulator.apply_device_fault(parse_fault("fill-memory"))
    assert code_of(emulator.handle(h_request(1))) == "205000"


def test_status_priority_and_forced_codes(store: EmulatorStore) -> None:
    emulator = FdmEmulator(store)
    assert code_of(emulator.handle("S000", forced_error=FdmCode.NOT_OPERATIONAL)) == "208000"
    emulator.apply_device_fault(Fault(FaultKind.PULL_VSC))
    assert code_of(emulator.handle("S010")) == "201000"  # 201 before 202
    emulator.apply_device_fault(Fault(FaultKind.INSERT_VSC))
    assert code_of(emulator.handle("S020")) == "202000"
    unlocked_emulator = unlocked(store)
    assert code_of(unlocked_emulator.handle(h_request(3), forced_error=FdmCode.CLOCK_CORRUPT)) == "209000"
    warned = unlocked_emulator.handle(h_request(4), forced_error=FdmCode.UNSPECIFIED_WARNING)
    assert code_of(warned) == "199000" and warned[69:].strip() != ""


def test_repeat_rule_needs_same_sequence_higher_retry_same_content(store: EmulatorStore) -> None:
    emulator = unlocked(store)
    first = emulator.handle(h_request(7))
    assert emulator.counters.total == 1
    replay = emulator.handle(h_request(7, retry=1))
    assert code_of(replay) == "102000" and replay[69:] == first[69:] and replay[3] == "1"
    assert emulator.counters.total == 1
    # Same retry digit, or different content, or different sequence: new requests, signed again.
    assert code_of(emulator.handle(h_request(7, retry=0))) == "000000"
    assert code_of(emulator.handle(h_request(7, retry=1, ticket=43))) == "000000"
    assert code_of(emulator.handle(h_request(8, retry=1, ticket=43))) == "000000"
    assert emulator.counters.total == 4


def test_journal_has_every_exchange_and_replay_survives_restart(store: EmulatorStore) -> None:
    emulator = unlocked(store)
    signed = emulator.handle(h_request(9))
    records = list(store.iter_journal())
    assert [r["request"] for r in records if "request" in r] == [f"P000{TEST_PIN}", h_request(9)]
    assert records[-1]["reply"] == signed and records[-1]["signed"] is True
    assert records[-1]["counters"]["NS"] == 1 and records[-1]["counters"]["total"] == 1
    restarted = FdmEmulator(EmulatorStore(store.directory), clock=lambda: VECTOR_CLOCK)
    replay = restarted.handle(h_request(9, retry=2))
    assert code_of(replay) == "102000" and replay[69:] == signed[69:]


def test_torn_journal_tail_is_dropped(store: EmulatorStore) -> None:
    emulator = unlocked(store)
    emulator.handle(h_request(1))
    with open(store.journal_path, "a", encoding="utf-8") as handle:
        handle.write('{"request": "H02')
    reopened = EmulatorStore(store.directory)
    assert reopened.recovered.counters.total == 1
    assert store.journal_path.read_text(encoding="utf-8").endswith("\n")
    for line in store.journal_path.read_text(encoding="utf-8").splitlines():
        json.loads(line)


def test_clock_is_the_fdm_own_with_offset(store: EmulatorStore) -> None:
    emulator = unlocked(store)
    emulator.set_clock_offset(3600)
    reply = parse_reply(emulator.handle(h_request(1)))
    assert isinstance(reply, HashSignReply)
    assert reply.fdm_datetime == datetime(2024, 1, 15, 13, 30, 46)


def test_fault_specs() -> None:
    assert parse_fault("delay=4.5@H*2") == Fault(FaultKind.DELAY, "4.5", "H", 2)
    assert str(parse_fault("error=208@S")) == "error=208@S"
    for bad, message in (
        ("boom", "unknown kind"),
        ("error@H", "3-digit"),
        ("nack=1", "no argument"),
        ("nack@Q", "identifier"),
    ):
        with pytest.raises(FaultSpecError, match=message):
            parse_fault(bad)
    plan = FaultPlan([parse_fault("nack@H*2"), parse_fault("drop-reply")])
    assert set(plan.take("S")) == {FaultKind.DROP_REPLY}
    assert set(plan.take("H")) == {FaultKind.NACK}
    assert set(plan.take("H")) == {FaultKind.NACK}
    assert plan.take("H") == {}


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("sign"), st.sampled_from(["NS", "NR", "PS", "PR", "TS", "TR", "CS", "CR"])),
        st.tuples(st.just("repeat"), st.just("")),
        st.tuples(
            st.just("fault"), st.sampled_from(["error=208", "error=201", "pull", "insert", "pin-wrong"])
        ),
        st.tuples(st.just("restart"), st.just("")),
    ),
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_counters_gap_free_over_random_streams_faults_and_restarts(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, str]]
) -> None:
    directory = tmp_path_factory.mktemp("fdm")
    store = make_store(directory / "s")
    emulator = unlocked(store)
    sequence = 0
    last = ""
    for op, arg in ops:
        sequence = (sequence + 1) % 100
        if op == "sign":
            last = h_request(sequence, label=arg, ticket=sequence)
            emulator.handle(last)
        elif op == "repeat" and last:
            emulator.handle(last[:3] + str(min(int(last[3]) + 1, 9)) + last[4:])
        elif op == "fault":
            if arg.startswith("error="):
                emulator.handle(h_request(sequence), forced_error=FdmCode(arg[6:]))
            elif arg == "pull":
                emulator.apply_device_fault(Fault(FaultKind.PULL_VSC))
            elif arg == "insert":
                emulator.apply_device_fault(Fault(FaultKind.INSERT_VSC))
            else:
                emulator.handle(f"P{sequence:02d}000000")
        elif op == "restart":
            store.close()
            store = EmulatorStore(store.directory)
            emulator = FdmEmulator(store, clock=lambda: VECTOR_CLOCK)
        if emulator.card_condition() is not None and emulator.card_condition() is not FdmCode.VSC_BLOCKED:
            emulator.handle(f"P99{0}{TEST_PIN}")
    signed = [r for r in store.iter_journal() if r.get("signed")]
    totals = [r["counters"]["total"] for r in signed]
    assert totals == list(range(1, len(signed) + 1))
    per_label: dict[str, int] = {}
    for record in signed:
        label = record["request"][49:51]
        per_label[label] = per_label.get(label, 0) + 1
        assert record["counters"][label] == per_label[label]
        assert int(record["reply"][51:60]) == per_label[label]
        assert int(record["reply"][60:69]) == record["counters"]["total"]
    store.close()
