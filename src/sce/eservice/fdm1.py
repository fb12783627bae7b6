"""The SCE 1.0 FDM as the e-service reaches it: the emulator's state directory per FDM serial number.

The e-service writes the requested VSC into the emulator's ``device.json`` (creating the state when the
FDM is new), so the PIN of the letter is the PIN the emulator checks; a sale is then signed by it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sce.fiscal.port import FiscalLine
from sce.fiscal.v1.adapter import AmountMode, rate_amounts
from sce.fiscal.v1.emulator import FdmEmulator, brussels_now
from sce.fiscal.v1.emulator_store import DeviceIdentity, EmulatorStore, MutableState, write_json_atomic
from sce.fiscal.v1.errors import FdmCode
from sce.fiscal.v1.messages import (
    EventLabel,
    HashSignReply,
    HashSignRequest,
    PinReply,
    PinRequest,
    parse_reply,
)
from sce.fiscal.v1.plu import PluLine, plu_field, plu_sha1
from sce.fiscal.v1.vsc import CardIdentity

FIRMWARE = "SCE-EMU 1.0"
CAPACITY = 1_000_000
TEST_EMPLOYEE = "00000000097"


def install_card(state: Path, fdm_id: str, card: CardIdentity) -> None:
    """Put ``card`` in the FDM: a new state directory, or the card replaced in an existing one."""
    if not (state / "device.json").exists():
        EmulatorStore.create(
            state, DeviceIdentity(fdm_id, FIRMWARE, "1", CAPACITY, card), fsync=False
        ).close()
        return
    device = DeviceIdentity.from_json(json.loads((state / "device.json").read_text(encoding="utf-8")))
    if device.fdm_id != fdm_id:
        raise ValueError(f"state {state} holds FDM {device.fdm_id}, not {fdm_id}")
    replaced = DeviceIdentity(device.fdm_id, device.firmware, device.protocol_version, device.capacity, card)
    write_json_atomic(state / "device.json", replaced.to_json())
    write_json_atomic(state / "state.json", asdict(MutableState()))


def enter_pin(emulator: FdmEmulator, pin: str, sequence: int = 1) -> FdmCode:
    reply = parse_reply(emulator.handle(PinRequest(sequence, pin).encode()))
    assert isinstance(reply, PinReply)
    return reply.header.error.code


def activate(state: Path, pin: str) -> FdmCode:
    """Enter the PIN in the FDM: ``PIN_ACCEPTED``, ``INVALID_PIN`` or ``VSC_BLOCKED``."""
    store = EmulatorStore(state, fsync=False)
    try:
        return enter_pin(FdmEmulator(store), pin)
    finally:
        store.close()


@dataclass(frozen=True, slots=True)
class SignedSale:
    fdm_id: str
    vsc_id: str
    event_counter: int
    total_counter: int
    signature: str
    code: str


def test_sale(
    state: Path, pin: str, pos_serial: str, ticket: int = 1, now: datetime | None = None
) -> SignedSale:
    """What a POS does at start-up and first sale: PIN, then one NS sale (1 coffee at 2.50, rate A)."""
    store = EmulatorStore(state, fsync=False)
    try:
        emulator = FdmEmulator(store)
        code = enter_pin(emulator, pin)
        if code is not FdmCode.PIN_ACCEPTED:
            raise ValueError(f"pin: the FDM answered {code.name}")
        line = PluLine("Coffee", Decimal("2.50"), Decimal(1), "A")
        fiscal_line = FiscalLine("Coffee", Decimal(1), Decimal("2.50"), "A")
        request = HashSignRequest(
            sequence=2,
            ticket_datetime=now or brussels_now(),
            insz=TEST_EMPLOYEE,
            pos_production_number=pos_serial,
            ticket_number=ticket,
            label=EventLabel("NS"),
            total_cents=fiscal_line.total_cents,
            amounts=rate_amounts((fiscal_line,), AmountMode.BASE),
            plu=plu_field(plu_sha1([line]), short=False),
        )
        reply = parse_reply(emulator.handle(request.encode()))
        assert isinstance(reply, HashSignReply)
        if reply.header.error.code.value[0] not in "01":
            raise ValueError(f"sale: the FDM refused with {reply.header.error.code.name}")
        return SignedSale(
            store.device.fdm_id,
            reply.vsc_id,
            reply.event_counter,
            reply.total_counter,
            reply.signature,
            reply.header.error.code.name,
        )
    finally:
        store.close()
