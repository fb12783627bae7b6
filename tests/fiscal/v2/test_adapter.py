"""The SCE 2.0 adapter through the FiscalModule port, against the emulator over HTTP: every event kind."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from sce.fiscal.port import (
    EventKind,
    FiscalCostCenter,
    FiscalDrawer,
    FiscalEvent,
    FiscalLine,
    FiscalModule,
    FiscalPayment,
)
from sce.fiscal.v2.adapter import FdmV2Module, PosIdentity
from sce.fiscal.v2.errors import FdmInvalidRequestError
from tests.fiscal.v2.support import RunningEmulator, vectors

BRUSSELS = timezone(timedelta(hours=2))
POS = PosIdentity(
    vat_no="BE0000000097",
    est_no="2000000042",
    pos_id="CPOS0031234567",
    pos_sw_version="1.8.3",
    device_id="till-1",
    terminal_id="BAR",
    booking_period_id="dffcd829-a0e5-41ca-a0ae-9eb887f95637",
)
WHEN = datetime(2024, 7, 29, 13, 0, tzinfo=BRUSSELS)
MARTINI = FiscalLine("Dry Martini", Decimal(2), Decimal("12.00"), "A", product_id="10006", department_id="10")
BURGER = FiscalLine("Burger of the Chef", Decimal(1), Decimal("28.00"), "B")
TABLE = FiscalCostCenter("5", "TABLE", "order-00042")


def _event(kind: EventKind, ticket: int, **fields: object) -> FiscalEvent:
    return FiscalEvent(kind, ticket, WHEN, "75061189702", **fields)  # type: ignore[arg-type]


def test_adapter_is_a_fiscal_module_and_reports_status(emulator: RunningEmulator) -> None:
    with emulator.client() as client:
        module = FdmV2Module(client, POS)
        assert isinstance(module, FiscalModule)
        info = module.start()
        module.unlock("1234")
    assert (info.generation, info.fdm_id, info.ready, info.condition) == (2, "FOD01000001", True, "ok")
    assert all(module.supports(kind) for kind in EventKind)


def test_every_event_kind_through_the_port(emulator: RunningEmulator) -> None:
    transfer = copy.deepcopy(vectors()["example_c"]["transfer"])
    with emulator.client() as client:
        module = FdmV2Module(client, POS)
        sale = module.sign(
            _event(
                EventKind.SALE,
                1,
                lines=(MARTINI, BURGER),
                payments=(FiscalPayment("CASH", Decimal("52.00")),),
            )
        )
        refund_line = FiscalLine("Dry Martini", Decimal(-1), Decimal("12.00"), "A")
        receipts = {
            EventKind.SALE: sale,
            EventKind.WORK_IN: module.sign(_event(EventKind.WORK_IN, 2)),
            EventKind.ORDER: module.sign(_event(EventKind.ORDER, 3, lines=(MARTINI,), cost_center=TABLE)),
            EventKind.PRE_BILL: module.sign(
                _event(EventKind.PRE_BILL, 4, lines=(MARTINI,), cost_center=TABLE)
            ),
            EventKind.COST_CENTER_CHANGE: module.sign(
                _event(EventKind.COST_CENTER_CHANGE, 5, details={"transfer": transfer})
            ),
            EventKind.MONEY_IN_OUT: module.sign(
                _event(
                    EventKind.MONEY_IN_OUT,
                    6,
                    payments=(FiscalPayment("CASH", Decimal("-20.00"), drawer=FiscalDrawer("D1", "Bar")),),
                )
            ),
            EventKind.DRAWER_OPEN: module.sign(
                _event(EventKind.DRAWER_OPEN, 7, drawer=FiscalDrawer("D1", "Bar"))
            ),
            EventKind.PAYMENT_CORRECTION: module.sign(
                _event(
                    EventKind.PAYMENT_CORRECTION,
                    8,
                    payments=(
                        FiscalPayment("CASH", Decimal("-52.00")),
                        FiscalPayment("CARD_UNKNOWN", Decimal("52.00")),
                    ),
                    reference=sale.reference,
                )
            ),
            EventKind.INVOICE: module.sign(
                _event(
                    EventKind.INVOICE,
                    9,
                    invoice_number="F-1",
                    customer_vat_no="BE0477472701",
                    references=(sale.reference,),
                )
            ),
            EventKind.COPY: module.sign(_event(EventKind.COPY, 10, reference=sale.reference)),
            EventKind.REPORT_TURNOVER_X: module.sign(_event(EventKind.REPORT_TURNOVER_X, 11)),
            EventKind.REPORT_TURNOVER_Z: module.sign(
                _event(EventKind.REPORT_TURNOVER_Z, 12, report_number=3)
            ),
            EventKind.REPORT_USER_X: module.sign(_event(EventKind.REPORT_USER_X, 13)),
            EventKind.REPORT_USER_Z: module.sign(
                _event(EventKind.REPORT_USER_Z, 14, booking_date=date(2024, 7, 29))
            ),
            EventKind.WORK_OUT: module.sign(_event(EventKind.WORK_OUT, 15)),
        }
        refund = module.sign(
            _event(
                EventKind.SALE,
                16,
                lines=(refund_line,),
                payments=(FiscalPayment("CASH", Decimal("-12.00")),),
                reference=sale.reference,
            )
        )
        training = module.sign(_event(EventKind.SALE, 17, lines=(MARTINI,), training=True))
    labels = {kind: receipt.event_label for kind, receipt in receipts.items()}
    assert labels == {
        EventKind.SALE: "N",
        EventKind.WORK_IN: "S",
        EventKind.ORDER: "P",
        EventKind.PRE_BILL: "P",
        EventKind.COST_CENTER_CHANGE: "P",
        EventKind.MONEY_IN_OUT: "F",
        EventKind.DRAWER_OPEN: "F",
        EventKind.PAYMENT_CORRECTION: "F",
        EventKind.INVOICE: "I",
        EventKind.COPY: "C",
        EventKind.REPORT_TURNOVER_X: "R",
        EventKind.REPORT_TURNOVER_Z: "R",
        EventKind.REPORT_USER_X: "R",
        EventKind.REPORT_USER_Z: "R",
        EventKind.WORK_OUT: "S",
    }
    assert sorted(r.total_counter for r in receipts.values()) == list(range(1, 16))
    assert sale.vat["A"].vat_cents == 417 and sale.vat["A"].base_cents == 1983
    assert sale.vat["B"].vat_cents == 300 and sale.vat["B"].total_cents == 2800
    assert len(sale.short_signature) == 40 and sale.verification_url.endswith(sale.short_signature)
    assert sale.printed_counters == "1/1 N"
    assert sale.buffer_capacity_used is not None and sale.generation == 2
    assert '"signSale"' not in sale.request and "signSale" in sale.request
    assert refund.vat["A"].vat_cents == -208 and refund.event_counter == 2
    assert training.event_label == "T" and training.short_signature == ""


def test_adapter_refuses_what_it_cannot_express(emulator: RunningEmulator) -> None:
    with emulator.client() as client:
        module = FdmV2Module(client, POS)
        with pytest.raises(FdmInvalidRequestError):
            module.sign(_event(EventKind.ORDER, 1, lines=(MARTINI,)))
        with pytest.raises(FdmInvalidRequestError):
            module.sign(_event(EventKind.COPY, 2))
        with pytest.raises(FdmInvalidRequestError):
            module.sign(FiscalEvent(EventKind.WORK_IN, 3, datetime(2024, 7, 29, 13, 0), "75061189702"))
    assert emulator.fdm.snapshot()["totalCounter"] == 0
