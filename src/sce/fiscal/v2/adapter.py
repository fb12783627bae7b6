"""The SCE 2.0 adapter of the FiscalModule port: POS events to ``sign*`` mutations, answers to receipts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sce.fiscal.errors import FiscalProtocolError
from sce.fiscal.port import (
    DeviceInfo,
    EventKind,
    FiscalEvent,
    FiscalLine,
    FiscalPayment,
    FiscalReceipt,
    FiscalReference,
    VatAmounts,
)
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.errors import FdmInvalidRequestError

MUTATIONS: dict[EventKind, str] = {
    EventKind.WORK_IN: "signWorkIn",
    EventKind.WORK_OUT: "signWorkOut",
    EventKind.SALE: "signSale",
    EventKind.ORDER: "signOrder",
    EventKind.COST_CENTER_CHANGE: "signCostCenterChange",
    EventKind.PRE_BILL: "signPreBill",
    EventKind.MONEY_IN_OUT: "signMoneyInOut",
    EventKind.DRAWER_OPEN: "signDrawerOpen",
    EventKind.PAYMENT_CORRECTION: "signPaymentCorrection",
    EventKind.INVOICE: "signInvoice",
    EventKind.COPY: "signCopy",
    EventKind.REPORT_TURNOVER_X: "signReportTurnoverX",
    EventKind.REPORT_TURNOVER_Z: "signReportTurnoverZ",
    EventKind.REPORT_USER_X: "signReportUserX",
    EventKind.REPORT_USER_Z: "signReportUserZ",
}
_UOM = {"unit": "PIECE", "piece": "PIECE", "kg": "KILOGRAM", "m": "METER", "l": "LITRE", "h": "HOUR"}
_TICKET_EVENTS = frozenset({EventKind.SALE, EventKind.PRE_BILL, EventKind.MONEY_IN_OUT, EventKind.COPY})
_REPORTS = frozenset(
    {
        EventKind.REPORT_TURNOVER_X,
        EventKind.REPORT_TURNOVER_Z,
        EventKind.REPORT_USER_X,
        EventKind.REPORT_USER_Z,
    }
)


@dataclass(frozen=True, slots=True)
class PosIdentity:
    """What every envelope carries about the POS and the establishment."""

    vat_no: str
    est_no: str
    pos_id: str
    pos_sw_version: str
    device_id: str
    terminal_id: str = ""
    language: str = "NL"
    booking_period_id: str = ""


def fdm_datetime_text(moment: datetime) -> str:
    """An FDM date-time as the FDM wrote it: UTC with milliseconds and ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _ref(reference: FiscalReference) -> dict[str, Any]:
    return {
        "fdmId": reference.fdm_id,
        "fdmDateTime": fdm_datetime_text(reference.fdm_datetime),
        "eventLabel": reference.event_label,
        "eventCounter": reference.event_counter,
        "totalCounter": reference.total_counter,
    }


def _line(line: FiscalLine, default_reason: str) -> dict[str, Any]:
    total = float(line.total)
    product: dict[str, Any] = {
        "productId": line.product_id or line.name,
        "productName": line.name,
        "departmentId": line.department_id or "0",
        "departmentName": line.department_name or "General",
        "quantity": float(line.quantity),
        "quantityType": _UOM.get(line.uom.lower(), "PIECE"),
        "unitPrice": float(line.unit_price),
        "vats": [{"label": line.vat, "price": total, "priceChanges": []}],
    }
    if line.quantity < 0:
        product["negQuantityReason"] = line.neg_reason or default_reason
    return {"lineType": "SINGLE_PRODUCT", "mainProduct": product, "lineTotal": total}


def _transaction(event: FiscalEvent) -> dict[str, Any]:
    reason = "REFUND" if event.kind is EventKind.SALE else "CORRECTION"
    lines = [_line(line, reason) for line in event.lines]
    total = sum((line.total for line in event.lines), Decimal(0))
    return {"transactionLines": lines, "transactionTotal": float(total)}


def _lines_transaction(lines: list[FiscalLine], reason: str) -> dict[str, Any]:
    total = sum((line.total for line in lines), Decimal(0))
    return {"transactionLines": [_line(line, reason) for line in lines], "transactionTotal": float(total)}


#: ``details`` key of a generation-neutral cost-centre change: the centre the positive lines go to.
TARGET_COST_CENTER = "target_cost_center"


def _transfer(event: FiscalEvent, source: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    """``transfer.from`` = the negative lines on the source, ``transfer.to`` = the positive ones."""
    outs = [line for line in event.lines if line.quantity < 0]
    ins = [line for line in event.lines if line.quantity >= 0]
    return {
        "from": [{"costCenter": source, "transaction": _lines_transaction(outs, "COST_CENTER_CHANGE")}],
        "to": [{"costCenter": target, "transaction": _lines_transaction(ins, "COST_CENTER_CHANGE")}],
    }


def _payment(payment: FiscalPayment, kind: str | None = None) -> dict[str, Any]:
    line: dict[str, Any] = {
        "id": payment.payment_id,
        "name": payment.name or payment.method,
        "type": payment.method,
        "inputMethod": payment.input_method,
        "amount": float(payment.amount),
        "amountType": kind or payment.kind,
    }
    if payment.drawer is not None:
        line["drawer"] = {"id": payment.drawer.id, "name": payment.drawer.name}
    return line


class FdmV2Module:
    """:class:`~sce.fiscal.port.FiscalModule` over the GraphQL client."""

    generation = 2

    def __init__(self, client: FdmClient, pos: PosIdentity) -> None:
        self.client = client
        self.pos = pos

    def start(self) -> DeviceInfo:
        return self.status()

    def status(self) -> DeviceInfo:
        answer = self.client.status(self.pos.language)
        device = answer.get("device") or {}
        errors = answer.get("errors") or []
        condition = ",".join(e["extensions"]["code"] for e in errors) or "ok"
        return DeviceInfo(
            generation=2,
            fdm_id=str(device.get("fdmId", "")),
            firmware=str(device.get("fdmSwVersion") or ""),
            ready=not errors,
            condition=condition,
        )

    def unlock(self, pin: str) -> None:
        """An FDM 2.0 asks for no PIN."""

    def supports(self, kind: EventKind) -> bool:
        return kind in MUTATIONS

    def request_data(self, event: FiscalEvent) -> dict[str, Any]:
        """The ``data`` argument of the event's mutation."""
        if event.pos_datetime.tzinfo is None:
            raise FdmInvalidRequestError("pos_datetime: needs a time zone (RFC 3339 with offset)")
        medium = event.ticket_medium or (
            "PAPER" if event.kind in _TICKET_EVENTS or event.kind in _REPORTS else "NONE"
        )
        data: dict[str, Any] = {
            "language": event.language or self.pos.language,
            "vatNo": self.pos.vat_no,
            "estNo": self.pos.est_no,
            "posId": self.pos.pos_id,
            "posFiscalTicketNo": event.ticket_number,
            "posDateTime": event.pos_datetime.isoformat(timespec="milliseconds"),
            "posSwVersion": self.pos.pos_sw_version,
            "terminalId": event.terminal_id or self.pos.terminal_id or None,
            "deviceId": self.pos.device_id,
            "bookingPeriodId": event.booking_period_id or self.pos.booking_period_id,
            "bookingDate": (event.booking_date or event.pos_datetime.date()).isoformat(),
            "ticketMedium": medium,
            "employeeId": event.employee_id,
        }
        data.update(self._specific(event))
        data.update({k: v for k, v in (event.details or {}).items() if k != TARGET_COST_CENTER})
        return {key: value for key, value in data.items() if value is not None}

    def _specific(self, event: FiscalEvent) -> dict[str, Any]:
        kind = event.kind
        centre = (
            {
                "id": event.cost_center.id,
                "type": event.cost_center.type,
                "reference": event.cost_center.reference,
            }
            if event.cost_center
            else None
        )
        ref = _ref(event.reference) if event.reference else None
        if kind is EventKind.SALE:
            return {
                "transaction": _transaction(event),
                "financials": [_payment(p) for p in event.payments],
                "costCenter": centre,
                "fdmRef": ref,
            }
        target = (event.details or {}).get(TARGET_COST_CENTER)
        if kind is EventKind.COST_CENTER_CHANGE and centre is not None and target is not None:
            return {"transfer": _transfer(event, centre, dict(target))}
        if kind is EventKind.ORDER:
            if centre is None:
                raise FdmInvalidRequestError("cost_center: an order belongs to a cost centre")
            return {"costCenter": centre, "transaction": _transaction(event)}
        if kind is EventKind.PRE_BILL:
            financials = [_payment(p) for p in event.payments] or None
            return {"costCenter": centre, "transaction": _transaction(event), "financials": financials}
        if kind is EventKind.INVOICE:
            refs = [_ref(r) for r in event.references] or ([ref] if ref else [])
            return {
                "invoiceNo": event.invoice_number,
                "customerVatNo": event.customer_vat_no or "NA",
                "costCenter": centre,
                "fdmRefs": refs,
            }
        if kind is EventKind.MONEY_IN_OUT:
            return {"financials": [_payment(p, "MONEY_IN_OUT") for p in event.payments]}
        if kind is EventKind.DRAWER_OPEN:
            drawer = {"id": event.drawer.id, "name": event.drawer.name} if event.drawer else None
            return {"drawer": drawer}
        if kind is EventKind.PAYMENT_CORRECTION:
            return {"financials": [_payment(p) for p in event.payments], "fdmRef": ref}
        if kind is EventKind.COPY:
            if ref is None:
                raise FdmInvalidRequestError("reference: a copy refers to the original event")
            return {"fdmRef": ref}
        if kind in _REPORTS:
            report: dict[str, Any] = {"posDevices": [], "fdmDevices": []}
            if kind in (EventKind.REPORT_TURNOVER_X, EventKind.REPORT_TURNOVER_Z):
                report["turnover"] = {
                    "transactions": [],
                    "departments": [],
                    "vats": [],
                    "payments": [],
                    "negQuantities": [],
                    "priceChanges": [],
                }
            else:
                report["users"] = []
            if kind in (EventKind.REPORT_TURNOVER_Z, EventKind.REPORT_USER_Z):
                report["reportNo"] = event.report_number or 1
                report["reportBookingDate"] = (event.booking_date or event.pos_datetime.date()).isoformat()
            return report
        return {}

    def prepare(self, event: FiscalEvent) -> str:
        """Nothing to keep besides the event: the FDM recognises a repeated event by its key."""
        if event.kind not in MUTATIONS:
            raise FdmInvalidRequestError(f"kind: {event.kind.value} has no mutation")
        return ""

    def resume(self, event: FiscalEvent, prepared: str) -> FiscalReceipt:
        """The same event again: an FDM that signed it answers its stored result (DUPLICATE_REQUEST)."""
        return self.sign(event, prepared)

    def sign(self, event: FiscalEvent, prepared: str = "") -> FiscalReceipt:
        mutation = MUTATIONS[event.kind]
        exchange = self.client.sign(mutation, self.request_data(event), training=event.training)
        result = exchange.data["signResult"]
        try:
            ref = result["fdmRef"]
            vat = {
                entry["label"]: VatAmounts(
                    entry["label"],
                    int(Decimal(str(entry["taxableAmount"])) * 100),
                    int(Decimal(str(entry["vatAmount"])) * 100),
                )
                for entry in result.get("vatCalc") or []
            }
            return FiscalReceipt(
                generation=2,
                fdm_id=ref["fdmId"],
                fdm_datetime=datetime.fromisoformat(ref["fdmDateTime"].replace("Z", "+00:00")),
                event_label=ref["eventLabel"],
                event_counter=int(ref["eventCounter"]),
                total_counter=int(ref["totalCounter"]),
                signature=result["digitalSignature"],
                request=exchange.request,
                reply=exchange.reply,
                vat=vat,
                warnings=exchange.warning_codes,
                short_signature=result.get("shortSignature") or "",
                verification_url=result.get("verificationUrl") or "",
                footer=tuple(result.get("footer") or ()),
                buffer_capacity_used=Decimal(str(result["bufferCapacityUsed"])),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise FiscalProtocolError(
                f"FDM answer to {mutation} lacks fields: {json.dumps(result)[:200]}"
            ) from error
