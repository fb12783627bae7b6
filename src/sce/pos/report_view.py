"""The printable X/Z report (``sce.tickets.report_model``) of a journaled report event.

The figures are those kept in the report's journal record (``pos.report``); what the print adds (the
registers and FDMs covered, the reductions per label, the invoices, the first and last event of each user)
is read from the journal records of the same opening period.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sce.domain.vat import VatLetter
from sce.fiscal.port import FiscalReference
from sce.pos.service import Pos
from sce.tickets.i18n import parse_language
from sce.tickets.report_model import (
    REASONS,
    CountTotal,
    DepartmentTotal,
    FdmDevice,
    InvoiceTotal,
    PaymentTotal,
    PosDevice,
    PriceChangeTotal,
    Reason,
    ReductionTotal,
    Report,
    ReportControl,
    ReportHeader,
    ReportIssuer,
    ReportKind,
    TurnoverReport,
    UserReport,
    UserTotals,
    VatRateTotal,
    WorkEvent,
)

RATES = {"A": Decimal(21), "B": Decimal(12), "C": Decimal(6), "D": Decimal(0), "X": Decimal(0)}


def _cents(text: str) -> int:
    return int(Decimal(text).scaleb(2))


def _count(value: dict[str, Any]) -> CountTotal:
    return CountTotal(int(value["count"]), _cents(value["amount"]))


def _covered(records: list[dict[str, Any]], report_seq: int) -> list[dict[str, Any]]:
    return [
        r
        for r in records
        if r["type"] == "event" and r["seq"] < report_seq and not r["event"]["kind"].startswith("REPORT")
    ]


def _devices(
    covered: list[dict[str, Any]], pos_id: str
) -> tuple[tuple[PosDevice, ...], tuple[FdmDevice, ...]]:
    terminals: dict[str, list[datetime]] = {}
    fdms: dict[str, list[Any]] = {}
    for record in covered:
        at = datetime.fromisoformat(record["event"]["pos_datetime"])
        span = terminals.setdefault(record["event"]["terminal_id"] or "-", [at, at])
        span[1] = at
        fdm = record.get("fdm")
        if fdm:
            moment = datetime.fromisoformat(fdm["fdm_datetime"])
            entry = fdms.setdefault(
                fdm["fdm_id"], [moment, fdm["total_counter"], moment, fdm["total_counter"]]
            )
            entry[2], entry[3] = moment, fdm["total_counter"]
    return (
        tuple(PosDevice(pos_id, t, a, b) for t, (a, b) in sorted(terminals.items())),
        tuple(FdmDevice(f, a, n, b, m) for f, (a, n, b, m) in sorted(fdms.items())),
    )


def _reductions(covered: list[dict[str, Any]]) -> tuple[ReductionTotal, ...]:
    totals: dict[tuple[str, str], list[int]] = {}
    for record in covered:
        event = record["event"]
        if event["training"] or event["kind"] not in ("SALE", "ORDER"):
            continue
        label = "N" if event["kind"] == "SALE" else "P"
        for line in event["lines"]:
            if line["neg_reason"] in REASONS and line["neg_reason"] != "COST_CENTER_CHANGE":
                entry = totals.setdefault((line["neg_reason"], label), [0, 0])
                entry[0] += 1
                entry[1] += _cents(line["line_total"])
    return tuple(
        ReductionTotal(cast(Reason, reason), cast(Any, label), count, amount)
        for (reason, label), (count, amount) in sorted(totals.items())
    )


def _control(record: dict[str, Any]) -> ReportControl | None:
    fdm = record.get("fdm")
    if not fdm:
        return None
    return ReportControl(
        fdm["fdm_id"],
        datetime.fromisoformat(fdm["fdm_datetime"]),
        fdm["event_label"],
        int(fdm["event_counter"]),
        int(fdm["total_counter"]),
    )


def _reference(record: dict[str, Any]) -> FiscalReference:
    fdm = record.get("fdm")
    if fdm:
        return FiscalReference(
            fdm["fdm_id"],
            datetime.fromisoformat(fdm["fdm_datetime"]),
            fdm["event_label"],
            int(fdm["event_counter"]),
            int(fdm["total_counter"]),
        )
    # journal-only event (SCE 1.0): its POS number and moment stand in for the FDM reference
    return FiscalReference(
        "POS",
        datetime.fromisoformat(record["event"]["pos_datetime"]),
        "-",
        0,
        int(record["event"]["ticket_number"]),
    )


def report_of_record(pos: Pos, record: dict[str, Any]) -> Report:
    """The printable report of the journal record of a report event."""
    figures = record["pos"]["report"]
    site = pos.site()
    with pos.store.tx() as tx:
        period_records = list(tx.journal_bodies(period_id=figures["period_id"]))
    covered = _covered(period_records, int(record["seq"]))
    kind = ReportKind(f"{'TURNOVER' if figures['kind'] == 'turnover' else 'USER'}_{figures['mode']}")
    created = datetime.fromisoformat(figures["created_at"])
    pos_devices, fdm_devices = _devices(covered, site.pos_id)
    header = ReportHeader(
        kind=kind,
        issuer=ReportIssuer(
            site.company_name,
            site.vat_no,
            site.establishment_no,
            site.establishment_name,
            parse_language(site.language.value),
        ),
        created_at=created,
        pos_devices=pos_devices,
        fdm_devices=fdm_devices,
        booking_date=datetime.fromisoformat(figures["period_start"]).date(),
        period_start=datetime.fromisoformat(figures["period_start"]),
        period_end=datetime.fromisoformat(figures["period_end"]) if figures.get("period_end") else created,
        report_number=figures.get("number"),
    )
    if figures["kind"] == "turnover":
        invoices = [r for r in covered if r["event"]["kind"] == "INVOICE"]
        return TurnoverReport(
            header=header,
            turnover_cents=_cents(figures["sales"]["amount"]),
            departments=tuple(
                DepartmentTotal(d["id"], d["name"] or d["id"], _cents(d["amount"]))
                for d in figures["departments"]
            ),
            vat_rates=tuple(
                VatRateTotal(VatLetter(v["letter"]), RATES[v["letter"]], _cents(v["base"]), _cents(v["vat"]))
                for v in figures["vat"]
            ),
            payments=tuple(
                PaymentTotal(p["method"], p["method"], _cents(p["amount"])) for p in figures["payments"]
            ),
            rounding_cents=_cents(figures["rounding"]),
            vat_ticket_count=int(figures["sales"]["count"]),
            drawer_openings=int(figures["drawer_openings"]),
            training=_count(figures["training"]),
            refunds=_count(figures["refunds"]),
            pro_forma=_count(figures["pro_forma"]),
            price_changes=(
                (
                    PriceChangeTotal(
                        "DISCOUNT",
                        "DISCOUNT",
                        int(figures["discounts"]["count"]),
                        _cents(figures["discounts"]["amount"]),
                    ),
                )
                if figures["discounts"]["count"]
                else ()
            ),
            reductions=_reductions(covered),
            invoices=tuple(
                InvoiceTotal(r["event"]["invoice_number"], _cents(r["pos"].get("invoice_amount", "0")))
                for r in invoices
            ),
            copies=CountTotal(sum(1 for r in covered if r["event"]["kind"] == "COPY"), 0),
            control=_control(record),
        )
    users = []
    for user in figures["users"]:
        own = [r for r in covered if r["event"]["employee_id"] == user["employee_id"]]
        if not own:
            continue
        users.append(
            UserTotals(
                name=user["alias"] or user["employee_id"],
                employee_id=user["employee_id"],
                turnover_cents=_cents(user["turnover"]),
                drawer=tuple(
                    PaymentTotal(p["method"], p["method"], _cents(p["amount"])) for p in user["payments"]
                ),
                work_events=tuple(
                    WorkEvent(datetime.fromisoformat(w["at"]), "IN" if w["kind"] == "WORK_IN" else "OUT")
                    for w in user["work"]
                ),
                first_event_at=datetime.fromisoformat(user["first_event"]),
                last_event_at=datetime.fromisoformat(user["last_event"]),
                first_event=_reference(own[0]),
                last_event=_reference(own[-1]),
            )
        )
    return UserReport(header=header, users=tuple(users), control=_control(record))
