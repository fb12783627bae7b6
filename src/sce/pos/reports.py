"""X and Z report figures from the journaled events of one opening period (MB arts 21-30).

X and Z share this one generator; a Z adds its continuous number. The rules are those published in
``docs/journal-format.md`` ("Report figures") so an outside verifier recomputes the same figures.
Amounts are computed in integer cents and written as decimal strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

RATES = {"A": Decimal(21), "B": Decimal(12), "C": Decimal(6), "D": Decimal(0), "X": Decimal(0)}
REASONS = ("CORRECTION", "PRICE_CHANGE", "REFUND", "WASTE", "DAMAGE", "VOUCHER")
CENT = Decimal("0.01")


def _cents(text: str) -> int:
    return int((Decimal(text) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def money(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2).quantize(CENT))


def line_vat_cents(total_cents: int, letter: str) -> int:
    rate = RATES[letter]
    total = Decimal(total_cents).scaleb(-2)
    return int((total * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP) * 100)


def _ticket_vat(record: Mapping[str, Any]) -> list[dict[str, str]]:
    """The base and VAT per letter as printed on the VAT ticket: the FDM's figures (SCE 2.0 ``vatCalc``,
    SCE 1.0 the POS's per-line computation kept with the FDM answer); per line when there is no answer."""
    fdm = record.get("fdm")
    if fdm and fdm.get("vat") is not None:
        return list(fdm["vat"])
    rows: dict[str, list[int]] = {}
    for line in record["event"]["lines"]:
        total = _cents(line["line_total"])
        vat = line_vat_cents(total, line["vat"])
        entry = rows.setdefault(line["vat"], [0, 0])
        entry[0] += total - vat
        entry[1] += vat
    return [{"letter": k, "base": money(b), "vat": money(v)} for k, (b, v) in sorted(rows.items())]


def _count(count: int, cents: int) -> dict[str, Any]:
    return {"count": count, "amount": money(cents)}


def _is_sale(event: Mapping[str, Any]) -> bool:
    return event["kind"] == "SALE" and not event["training"]


def _payments(events: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    per: dict[str, int] = {}
    for event in events:
        for payment in event["payments"]:
            if payment["kind"] in ("PAYMENT", "TIP"):
                per[payment["method"]] = per.get(payment["method"], 0) + _cents(payment["amount"])
    return [{"method": m, "amount": money(c)} for m, c in sorted(per.items())]


def turnover(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Figures of a turnover report over ``event`` records (report events are left out)."""
    events = [
        r["event"] for r in records if r["type"] == "event" and not r["event"]["kind"].startswith("REPORT")
    ]
    sales = [e for e in events if _is_sale(e)]
    corrected = [e for e in events if e["kind"] == "PAYMENT_CORRECTION" and not e["training"]]
    vat_total: dict[str, list[int]] = {}
    departments: dict[str, tuple[str, int]] = {}
    discounts = [0, 0]
    corrections: dict[str, list[int]] = {}
    for record in records:
        if record["type"] == "event" and _is_sale(record["event"]):
            for row in _ticket_vat(record):
                entry = vat_total.setdefault(row["letter"], [0, 0])
                entry[0] += _cents(row["base"])
                entry[1] += _cents(row["vat"])
    for event in sales:
        for line in event["lines"]:
            total = _cents(line["line_total"])
            name, amount = departments.get(line["department_id"], (line["department_name"], 0))
            departments[line["department_id"]] = (name, amount + total)
            if line["neg_reason"] == "DISCOUNT":
                discounts[0] += 1
                discounts[1] += total
    for event in events:
        if event["training"] or event["kind"] not in ("SALE", "ORDER"):
            continue
        for line in event["lines"]:
            if line["neg_reason"] in REASONS:
                entry = corrections.setdefault(line["neg_reason"], [0, 0])
                entry[0] += 1
                entry[1] += _cents(line["line_total"])
    refunds = [e for e in sales if _cents(e["total"]) < 0]
    training = [e for e in events if e["training"] and e["kind"] == "SALE"]
    pro_forma = [e for e in events if not e["training"] and e["kind"] in ("ORDER", "PRE_BILL")]
    invoices = [
        r
        for r in records
        if r["type"] == "event" and r["event"]["kind"] == "INVOICE" and not r["event"]["training"]
    ]

    def total_of(items: Sequence[Mapping[str, Any]]) -> int:
        return sum(_cents(e["total"]) for e in items)

    def sum_kind(kind: str) -> int:
        return sum(_cents(p["amount"]) for e in sales for p in e["payments"] if p["kind"] == kind)

    return {
        "sales": _count(len(sales), total_of(sales)),
        "refunds": _count(len(refunds), total_of(refunds)),
        "vat": [
            {"letter": letter, "base": money(b), "vat": money(v), "total": money(b + v)}
            for letter, (b, v) in sorted(vat_total.items())
        ],
        "departments": [
            {"id": key, "name": name, "amount": money(amount)}
            for key, (name, amount) in sorted(departments.items())
        ],
        "payments": _payments(sales + corrected),
        "tips": money(sum_kind("TIP")),
        "rounding": money(sum_kind("ROUNDING")),
        "drawer_openings": sum(1 for e in events if e["kind"] == "DRAWER_OPEN" and not e["training"]),
        "money_in_out": money(
            sum(
                _cents(p["amount"])
                for e in events
                if e["kind"] == "MONEY_IN_OUT" and not e["training"]
                for p in e["payments"]
            )
        ),
        "training": _count(len(training), total_of(training)),
        "pro_forma": _count(len(pro_forma), total_of(pro_forma)),
        "discounts": _count(discounts[0], discounts[1]),
        "corrections": [
            {"reason": reason, "count": c, "amount": money(a)}
            for reason, (c, a) in sorted(corrections.items())
        ],
        "invoices": _count(
            len(invoices), sum(_cents((r.get("pos") or {}).get("invoice_amount", "0")) for r in invoices)
        ),
        **_coverage(records),
    }


def _coverage(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    covered = [r for r in records if r["type"] == "event" and not r["event"]["kind"].startswith("REPORT")]
    fdm_ids = sorted({r["fdm"]["fdm_id"] for r in covered if r.get("fdm")})
    terminals = sorted({r["event"]["terminal_id"] for r in covered})
    return {
        "first_seq": covered[0]["seq"] if covered else None,
        "last_seq": covered[-1]["seq"] if covered else None,
        "fdm_ids": fdm_ids,
        "terminals": terminals,
    }


def users(records: Sequence[Mapping[str, Any]], aliases: Mapping[str, str]) -> dict[str, Any]:
    """Figures of a user report: per user turnover, payments, first/last event and WORK IN/OUT times."""
    per: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        if record["type"] == "event" and not record["event"]["kind"].startswith("REPORT"):
            per.setdefault(record["event"]["employee_id"], []).append(record)
    rows = []
    for employee_id, own in sorted(per.items()):
        events = [r["event"] for r in own]
        sales = [e for e in events if _is_sale(e)]
        rows.append(
            {
                "employee_id": employee_id,
                "alias": aliases.get(employee_id, ""),
                "turnover": money(sum(_cents(e["total"]) for e in sales)),
                "payments": _payments(sales),
                "first_event": events[0]["pos_datetime"],
                "last_event": events[-1]["pos_datetime"],
                "first_seq": own[0]["seq"],
                "last_seq": own[-1]["seq"],
                "work": [
                    {"kind": e["kind"], "at": e["pos_datetime"]}
                    for e in events
                    if e["kind"] in ("WORK_IN", "WORK_OUT")
                ],
            }
        )
    return {"users": rows, **_coverage(records)}


def compute(kind: str, records: Sequence[Mapping[str, Any]], aliases: Mapping[str, str]) -> dict[str, Any]:
    return turnover(records) if kind == "turnover" else users(records, aliases)


def _float(text: str) -> float:
    """SCE 2.0 GraphQL Float fields (the protocol's own type; amounts stay exact decimals elsewhere)."""
    return float(Decimal(text))


def _devices(records: Sequence[Mapping[str, Any]], pos_id: str) -> dict[str, Any]:
    covered = [r for r in records if r["type"] == "event" and not r["event"]["kind"].startswith("REPORT")]
    pos_devices: dict[str, list[str]] = {}
    fdm_devices: dict[str, list[Any]] = {}
    for record in covered:
        event = record["event"]
        moment = event["pos_datetime"]
        span = pos_devices.setdefault(event["terminal_id"] or "0", [moment, moment])
        span[1] = moment
        fdm = record.get("fdm")
        if fdm:
            at = fdm["fdm_datetime"].replace("+00:00", "Z")
            entry = fdm_devices.setdefault(
                fdm["fdm_id"], [at, fdm["total_counter"], at, fdm["total_counter"]]
            )
            entry[2], entry[3] = at, fdm["total_counter"]
    return {
        "posDevices": [
            {"posId": pos_id, "terminalId": t, "firstPosDateTime": a, "lastPosDateTime": b}
            for t, (a, b) in sorted(pos_devices.items())
        ],
        "fdmDevices": [
            {
                "fdmId": f,
                "firstFdmDateTime": a,
                "firstTotalCounter": n,
                "lastFdmDateTime": b,
                "lastTotalCounter": m,
            }
            for f, (a, n, b, m) in sorted(fdm_devices.items())
        ],
    }


def v2_details(
    kind: str, report: Mapping[str, Any], records: Sequence[Mapping[str, Any]], pos_id: str
) -> dict[str, Any]:
    """The report figures in the shape of the SCE 2.0 report mutations (fdm-v2-graphql.md § 15)."""
    details: dict[str, Any] = _devices(records, pos_id)
    if kind == "turnover":
        events = [r["event"] for r in records if r["type"] == "event"]
        labels: dict[str, list[int]] = {}
        for event in events:
            label = (
                "T"
                if event["training"]
                else {"SALE": "N", "ORDER": "P", "PRE_BILL": "P", "INVOICE": "I"}.get(event["kind"], "")
            )
            if label:
                entry = labels.setdefault(label, [0, 0])
                entry[0] += 1
                entry[1] += _cents(event["total"])
        details["turnover"] = {
            "transactions": [
                {"eventLabel": label, "ticketCount": c, "amount": _float(money(a))}
                for label, (c, a) in sorted(labels.items())
            ],
            "departments": [
                {
                    "departmentId": d["id"],
                    "departmentName": d["name"] or d["id"],
                    "amount": _float(d["amount"]),
                }
                for d in report["departments"]
            ],
            "vats": [
                {
                    "label": v["letter"],
                    "rate": _float(str(RATES[v["letter"]])),
                    "taxableAmount": _float(v["base"]),
                    "vatAmount": _float(v["vat"]),
                    "totalAmount": _float(v["total"]),
                }
                for v in report["vat"]
            ],
            "payments": [
                {
                    "id": p["method"],
                    "name": p["method"],
                    "type": p["method"],
                    "amount": [
                        {
                            "type": "PAYMENT",
                            "normalAmount": _float(p["amount"]),
                            "negativeCorrections": 0.0,
                            "positiveCorrections": 0.0,
                            "correctionsCount": 0,
                            "totalAmount": _float(p["amount"]),
                        }
                    ],
                }
                for p in report["payments"]
            ],
            "drawersOpenCount": report["drawer_openings"],
            "negQuantities": [
                {
                    "negQuantityReason": c["reason"],
                    "negQuantityCount": c["count"],
                    "ticketCount": c["count"],
                    "amount": _float(c["amount"]),
                }
                for c in report["corrections"]
            ],
            "priceChanges": [],
        }
    else:
        details["users"] = [
            {
                "employeeId": u["employee_id"],
                "totalAmount": _float(u["turnover"]),
                "firstPosDateTime": u["first_event"],
                "lastPosDateTime": u["last_event"],
                "socialEvents": [
                    {"posDateTime": w["at"], "inOut": "IN" if w["kind"] == "WORK_IN" else "OUT"}
                    for w in u["work"]
                ],
                "payments": [
                    {
                        "id": p["method"],
                        "name": p["method"],
                        "type": p["method"],
                        "amount": [
                            {
                                "type": "PAYMENT",
                                "normalAmount": _float(p["amount"]),
                                "negativeCorrections": 0.0,
                                "positiveCorrections": 0.0,
                                "correctionsCount": 0,
                                "totalAmount": _float(p["amount"]),
                            }
                        ],
                    }
                    for p in u["payments"]
                ],
            }
            for u in report["users"]
        ]
    return details
