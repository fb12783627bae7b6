"""The SCE 1.0 adapter of the FiscalModule port, driving the emulator over a real pty."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sce.fiscal.errors import InvalidFiscalRequestError, PinRequiredError, UnsupportedEventError
from sce.fiscal.port import EventKind, FiscalEvent, FiscalLine, FiscalModule
from sce.fiscal.v1.adapter import AmountMode, FdmV1Module, PluForm, V1Settings, event_label
from sce.fiscal.v1.messages import EventLabel
from sce.fiscal.v1.plu import PluLine, plu_sha1
from sce.fiscal.v1.vsc import hmac_sha1_hex, signature_message
from tests.fiscal.v1.conftest import TEST_KEY, TEST_PIN, PtyRig

INSZ = "85073003328"
WHEN = datetime(2024, 1, 15, 12, 30, 45)
SOUP = FiscalLine("Dagsoep", Decimal(1), Decimal("5.00"), "B")
WINE = FiscalLine("Huiswijn (liter)", Decimal("1.25"), Decimal("10.00"), "A", uom="l")


def module(rig: PtyRig, **options: object) -> FdmV1Module:
    return FdmV1Module(rig.driver, V1Settings("BODO0011A2B3C4", **options))  # type: ignore[arg-type]


def sale(*lines: FiscalLine, kind: EventKind = EventKind.SALE, training: bool = False) -> FiscalEvent:
    return FiscalEvent(kind, 7, WHEN, INSZ, tuple(lines), training=training)


def test_is_a_fiscal_module(rig: PtyRig) -> None:
    assert isinstance(module(rig), FiscalModule)


def test_start_unlock_and_sign_a_sale(rig: PtyRig) -> None:
    fdm = module(rig)
    info = fdm.start()
    assert (info.generation, info.fdm_id, info.ready) == (1, "RET02000123", False)
    assert info.condition.startswith("202") and info.vsc_id == "0887456321-002"
    with pytest.raises(PinRequiredError):
        fdm.sign(sale(SOUP))
    fdm.unlock(TEST_PIN)
    assert fdm.status().ready
    receipt = fdm.sign(sale(SOUP, WINE))
    assert receipt.event_label == "NS" and receipt.printed_counters == "1/1 NS"
    assert receipt.plu_hash == receipt.request[-8:]
    assert receipt.vat["A"].total_cents == 1250 and receipt.vat["B"].total_cents == 500
    assert receipt.vat["B"].vat_cents == 54
    stamp = receipt.fdm_datetime.strftime("%Y%m%d%H%M%S")
    message = signature_message(receipt.request, stamp[:8], stamp[8:], "000000001", "000000001")
    assert receipt.signature == hmac_sha1_hex(TEST_KEY, message)
    assert receipt.request[51:62] == "       1750"
    assert receipt.request[66:77] == "       1033"  # base at 21 %: 12.50 - 2.17


def test_labels_of_every_signed_kind(rig: PtyRig) -> None:
    fdm = module(rig, copies_enabled=True)
    rig.driver.status()
    fdm.unlock(TEST_PIN)
    refund = FiscalLine("Dagsoep", Decimal(-1), Decimal("5.00"), "B")
    cases = [
        (sale(SOUP), "NS"),
        (sale(refund), "NR"),
        (sale(SOUP, kind=EventKind.ORDER), "PS"),
        (sale(refund, kind=EventKind.PRE_BILL), "PR"),
        (sale(SOUP, kind=EventKind.COST_CENTER_CHANGE), "PS"),
        (sale(SOUP, training=True), "TS"),
        (sale(refund, training=True), "TR"),
        (sale(SOUP, kind=EventKind.COPY), "CS"),
        (sale(refund, kind=EventKind.COPY), "CR"),
        (sale(kind=EventKind.WORK_IN), "NS"),
        (sale(kind=EventKind.WORK_OUT), "NS"),
    ]
    for number, (event, label) in enumerate(cases, start=1):
        receipt = fdm.sign(event)
        assert receipt.event_label == label
        assert receipt.total_counter == number
    work_out = fdm.sign(sale(kind=EventKind.WORK_OUT))
    expected = plu_sha1([PluLine("WORK OUT", Decimal(0), Decimal(1), "D")])
    assert hashlib.sha1(b"0001WORKOUT             00000000D").hexdigest() == expected
    assert work_out.plu_hash == expected[-8:]
    assert work_out.request[51:62] == "        000"


def test_zero_total_direction_follows_first_line() -> None:
    zero_refund = FiscalLine("Correction", Decimal(-1), Decimal("0"), "A")
    assert event_label(sale(zero_refund)) is EventLabel.NR
    assert event_label(sale()) is EventLabel.NS


def test_work_in_is_preceded_by_identification(rig: PtyRig) -> None:
    fdm = module(rig)
    rig.driver.status()
    fdm.unlock(TEST_PIN)
    receipt = fdm.sign(sale(kind=EventKind.WORK_IN))
    requests = [r["request"][:1] for r in rig.emulator.store.iter_journal() if "request" in r]
    assert requests[-2:] == ["I", "H"]
    assert receipt.plu_hash == "cf44878a"


def test_unsupported_and_invalid_events_are_refused_before_the_wire(rig: PtyRig) -> None:
    fdm = module(rig)
    for kind in (EventKind.DRAWER_OPEN, EventKind.MONEY_IN_OUT, EventKind.REPORT_TURNOVER_Z, EventKind.COPY):
        assert not fdm.supports(kind)
        with pytest.raises(UnsupportedEventError):
            fdm.sign(sale(SOUP, kind=kind))
    with pytest.raises(InvalidFiscalRequestError, match="X"):
        fdm.sign(sale(FiscalLine("Voucher", Decimal(1), Decimal(10), "X")))
    huge = FiscalLine("Banquet", Decimal(1), Decimal("1000000000.00"), "A")
    with pytest.raises(InvalidFiscalRequestError, match="11 digits"):
        fdm.sign(sale(huge))
    assert [r for r in rig.emulator.store.iter_journal() if "request" in r] == []


def test_vat_amount_mode_and_short_plu(rig: PtyRig) -> None:
    fdm = module(rig, amount_mode=AmountMode.VAT, plu_form=PluForm.SHORT)
    rig.driver.status()
    fdm.unlock(TEST_PIN)
    receipt = fdm.sign(sale(SOUP))
    assert receipt.request[81:92] == "        054"
    assert receipt.request[122:154] == " " * 32


def test_aware_pos_time_is_sent_in_belgian_local_time(rig: PtyRig) -> None:
    fdm = module(rig)
    rig.driver.status()
    fdm.unlock(TEST_PIN)
    utc = datetime(2024, 7, 1, 10, 0, 0, tzinfo=ZoneInfo("UTC"))
    receipt = fdm.sign(FiscalEvent(EventKind.SALE, 9, utc, INSZ, (SOUP,)))
    assert receipt.request[4:18] == "20240701120000"


def test_settings_check_production_number() -> None:
    with pytest.raises(ValueError, match="pos_production_number"):
        V1Settings("SHORT")
