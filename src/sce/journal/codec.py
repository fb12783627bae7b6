"""Fiscal events and FDM answers as JSON values of the journal, and back (amounts as decimal strings)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sce.fiscal.port import (
    EventKind,
    FiscalCostCenter,
    FiscalDrawer,
    FiscalEvent,
    FiscalLine,
    FiscalPayment,
    FiscalReceipt,
    FiscalReference,
    VatAmounts,
)


def _decimal(value: Any, field: str) -> Decimal:
    """A finite decimal read from the journal; anything else is a ``ValueError`` naming the field."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValueError(f"{field}: expected a decimal string, got {type(value).__name__}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{field}: {value!r} is not a decimal number") from None
    if not number.is_finite():
        raise ValueError(f"{field}: {value!r} is not a finite amount")
    return number


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _reference(ref: FiscalReference) -> dict[str, Any]:
    return {
        "fdm_id": ref.fdm_id,
        "fdm_datetime": ref.fdm_datetime.isoformat(),
        "event_label": ref.event_label,
        "event_counter": ref.event_counter,
        "total_counter": ref.total_counter,
    }


def _reference_from(value: Mapping[str, Any]) -> FiscalReference:
    return FiscalReference(
        str(value["fdm_id"]),
        datetime.fromisoformat(value["fdm_datetime"]),
        str(value["event_label"]),
        int(value["event_counter"]),
        int(value["total_counter"]),
    )


def _drawer(drawer: FiscalDrawer | None) -> dict[str, str] | None:
    return None if drawer is None else {"id": drawer.id, "name": drawer.name}


def _drawer_from(value: Mapping[str, Any] | None) -> FiscalDrawer | None:
    return None if value is None else FiscalDrawer(str(value["id"]), str(value["name"]))


def line_to_json(line: FiscalLine) -> dict[str, Any]:
    return {
        "name": line.name,
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "vat": line.vat,
        "uom": line.uom,
        "line_total": str(line.total),
        "product_id": line.product_id,
        "department_id": line.department_id,
        "department_name": line.department_name,
        "neg_reason": line.neg_reason,
    }


def line_from_json(value: Mapping[str, Any]) -> FiscalLine:
    return FiscalLine(
        name=str(value["name"]),
        quantity=_decimal(value["quantity"], "lines.quantity"),
        unit_price=_decimal(value["unit_price"], "lines.unit_price"),
        vat=str(value["vat"]),
        uom=str(value.get("uom", "unit")),
        line_total=(
            _decimal(value["line_total"], "lines.line_total") if value.get("line_total") is not None else None
        ),
        product_id=str(value.get("product_id", "")),
        department_id=str(value.get("department_id", "")),
        department_name=str(value.get("department_name", "")),
        neg_reason=str(value.get("neg_reason", "")),
    )


def payment_to_json(payment: FiscalPayment) -> dict[str, Any]:
    return {
        "method": payment.method,
        "amount": str(payment.amount),
        "name": payment.name,
        "kind": payment.kind,
        "payment_id": payment.payment_id,
        "input_method": payment.input_method,
        "drawer": _drawer(payment.drawer),
    }


def payment_from_json(value: Mapping[str, Any]) -> FiscalPayment:
    return FiscalPayment(
        method=str(value["method"]),
        amount=_decimal(value["amount"], "payments.amount"),
        name=str(value.get("name", "")),
        kind=str(value.get("kind", "PAYMENT")),
        payment_id=str(value.get("payment_id", "1")),
        input_method=str(value.get("input_method", "MANUAL")),
        drawer=_drawer_from(value.get("drawer")),
    )


def event_to_json(event: FiscalEvent) -> dict[str, Any]:
    """Every field of the event; ``total`` is the sum of the lines, for readers of the journal."""
    centre = event.cost_center
    return {
        "kind": event.kind.value,
        "ticket_number": event.ticket_number,
        "pos_datetime": event.pos_datetime.isoformat(),
        "employee_id": event.employee_id,
        "terminal_id": event.terminal_id,
        "training": event.training,
        "language": event.language,
        "booking_period_id": event.booking_period_id,
        "booking_date": event.booking_date.isoformat() if event.booking_date else None,
        "ticket_medium": event.ticket_medium,
        "lines": [line_to_json(line) for line in event.lines],
        "total": str(sum((line.total for line in event.lines), Decimal("0.00"))),
        "payments": [payment_to_json(payment) for payment in event.payments],
        "cost_center": (
            None if centre is None else {"id": centre.id, "type": centre.type, "reference": centre.reference}
        ),
        "drawer": _drawer(event.drawer),
        "reference": _reference(event.reference) if event.reference else None,
        "references": [_reference(ref) for ref in event.references],
        "invoice_number": event.invoice_number,
        "customer_vat_no": event.customer_vat_no,
        "report_number": event.report_number,
        "details": dict(event.details) if event.details is not None else None,
    }


def event_from_json(value: Mapping[str, Any]) -> FiscalEvent:
    centre = value.get("cost_center")
    booking = value.get("booking_date")
    return FiscalEvent(
        kind=EventKind(value["kind"]),
        ticket_number=int(value["ticket_number"]),
        pos_datetime=datetime.fromisoformat(value["pos_datetime"]),
        employee_id=str(value["employee_id"]),
        lines=tuple(line_from_json(line) for line in value.get("lines", ())),
        training=bool(value.get("training", False)),
        terminal_id=str(value.get("terminal_id", "")),
        reference=_reference_from(value["reference"]) if value.get("reference") else None,
        payments=tuple(payment_from_json(p) for p in value.get("payments", ())),
        cost_center=(
            None
            if centre is None
            else FiscalCostCenter(str(centre["id"]), str(centre["type"]), str(centre.get("reference", "")))
        ),
        drawer=_drawer_from(value.get("drawer")),
        language=str(value.get("language", "")),
        booking_period_id=str(value.get("booking_period_id", "")),
        booking_date=date.fromisoformat(booking) if booking else None,
        ticket_medium=str(value.get("ticket_medium", "")),
        references=tuple(_reference_from(ref) for ref in value.get("references", ())),
        invoice_number=str(value.get("invoice_number", "")),
        customer_vat_no=str(value.get("customer_vat_no", "")),
        report_number=value.get("report_number"),
        details=value.get("details"),
    )


def receipt_to_json(receipt: FiscalReceipt) -> dict[str, Any]:
    """The FDM control data (request and reply are kept beside it, in original form)."""
    return {
        "generation": receipt.generation,
        "fdm_id": receipt.fdm_id,
        "fdm_datetime": receipt.fdm_datetime.isoformat(),
        "event_label": receipt.event_label,
        "event_counter": receipt.event_counter,
        "total_counter": receipt.total_counter,
        "signature": receipt.signature,
        "vat": [
            {
                "letter": v.letter,
                "base": str(Decimal(v.base_cents).scaleb(-2)),
                "vat": str(Decimal(v.vat_cents).scaleb(-2)),
            }
            for v in receipt.vat.values()
        ],
        "warnings": list(receipt.warnings),
        "vsc_id": receipt.vsc_id,
        "plu_hash": receipt.plu_hash,
        "short_signature": receipt.short_signature,
        "verification_url": receipt.verification_url,
        "footer": list(receipt.footer),
        "buffer_capacity_used": _dec(receipt.buffer_capacity_used),
    }


def _cents(text: Any, field: str) -> int:
    return int(_decimal(text, field).scaleb(2))


def receipt_from_json(value: Mapping[str, Any], request: str = "", reply: str = "") -> FiscalReceipt:
    used = value.get("buffer_capacity_used")
    return FiscalReceipt(
        generation=int(value["generation"]),
        fdm_id=str(value["fdm_id"]),
        fdm_datetime=datetime.fromisoformat(value["fdm_datetime"]),
        event_label=str(value["event_label"]),
        event_counter=int(value["event_counter"]),
        total_counter=int(value["total_counter"]),
        signature=str(value["signature"]),
        request=request,
        reply=reply,
        vat={
            v["letter"]: VatAmounts(
                str(v["letter"]), _cents(v["base"], "vat.base"), _cents(v["vat"], "vat.vat")
            )
            for v in value.get("vat", ())
        },
        warnings=tuple(value.get("warnings", ())),
        vsc_id=str(value.get("vsc_id", "")),
        plu_hash=str(value.get("plu_hash", "")),
        short_signature=str(value.get("short_signature", "")),
        verification_url=str(value.get("verification_url", "")),
        footer=tuple(value.get("footer", ())),
        buffer_capacity_used=_decimal(used, "buffer_capacity_used") if used is not None else None,
    )
