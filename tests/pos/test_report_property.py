"""Property: over random simulated days, every Z turnover report equals the sum of the journaled events it
covers, per VAT letter, per payment method (sales and payment method corrections) and per department, for
both generations."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sce.pos.simulate import simulate_history
from tests.pos.support import pos_rig

RATES = {"A": Decimal(21), "B": Decimal(12), "C": Decimal(6), "D": Decimal(0), "X": Decimal(0)}


def _sums(events: list[dict[str, Any]]) -> tuple[dict[str, Decimal], dict[str, Decimal], dict[str, Decimal]]:
    per_letter: dict[str, Decimal] = defaultdict(Decimal)
    per_method: dict[str, Decimal] = defaultdict(Decimal)
    per_department: dict[str, Decimal] = defaultdict(Decimal)
    for event in events:
        for line in event["lines"]:
            per_letter[line["vat"]] += Decimal(line["line_total"])
            per_department[line["department_id"]] += Decimal(line["line_total"])
        for payment in event["payments"]:
            if payment["kind"] in ("PAYMENT", "TIP"):
                per_method[payment["method"]] += Decimal(payment["amount"])
    return dict(per_letter), dict(per_method), dict(per_department)


def _check_day(generation: int, seed: int, tickets: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        with pos_rig(f"sqlite:///{base / 'pos.db'}", generation, base / "state") as rig:
            simulate_history(rig.pos, days=2, tickets_per_day=tickets, seed=seed, start=rig.clock.now)
            with rig.store.tx() as tx:
                records = list(tx.journal_bodies(record_type="event"))
    z_reports = [r for r in records if r["event"]["kind"] == "REPORT_TURNOVER_Z"]
    assert [z["pos"]["report"]["number"] for z in z_reports] == [1, 2]
    for z in z_reports:
        report = z["pos"]["report"]
        covered = [
            r["event"]
            for r in records
            if r["period_id"] == report["period_id"] and r["seq"] < z["seq"] and r["event"]["kind"] == "SALE"
        ]
        sales = [e for e in covered if not e["training"]]
        per_letter, _sales_methods, per_department = _sums(sales)
        corrected = [
            r["event"]
            for r in records
            if r["period_id"] == report["period_id"]
            and r["seq"] < z["seq"]
            and r["event"]["kind"] == "PAYMENT_CORRECTION"
            and not r["event"]["training"]
        ]
        _letters, per_method, _departments = _sums(sales + corrected)  # corrections move the methods
        assert {v["letter"]: Decimal(v["total"]) for v in report["vat"]} == per_letter
        for row in report["vat"]:
            assert Decimal(row["base"]) + Decimal(row["vat"]) == Decimal(row["total"])
            printed = sum(
                (
                    Decimal(v["vat"])
                    for r in records
                    if r["event"] in sales
                    for v in r["fdm"]["vat"]
                    if v["letter"] == row["letter"]
                ),
                Decimal(0),
            )
            assert Decimal(row["vat"]) == printed  # the daily receipts book is the sum of the tickets
            if generation == 1:  # SCE 1.0 tickets: VAT per line
                rate = RATES[row["letter"]]
                per_line = sum(
                    (
                        (Decimal(line["line_total"]) * rate / (100 + rate)).quantize(
                            Decimal("0.01"), "ROUND_HALF_UP"
                        )
                        for e in sales
                        for line in e["lines"]
                        if line["vat"] == row["letter"]
                    ),
                    Decimal(0),
                )
                assert Decimal(row["vat"]) == per_line
        assert {p["method"]: Decimal(p["amount"]) for p in report["payments"]} == {
            m: a for m, a in per_method.items()
        }
        assert {d["id"]: Decimal(d["amount"]) for d in report["departments"]} == per_department
        assert Decimal(report["sales"]["amount"]) == sum(per_letter.values(), Decimal(0))
        assert report["sales"]["count"] == len(sales)
        if generation == 2:  # SCE 2.0 tickets: the FDM's VAT per sale and letter, recomputed here
            for r in records:
                if r["event"] in sales:
                    for v in r["fdm"]["vat"]:
                        total = sum(
                            (
                                Decimal(line["line_total"])
                                for line in r["event"]["lines"]
                                if line["vat"] == v["letter"]
                            ),
                            Decimal(0),
                        )
                        rate = RATES[v["letter"]]
                        assert Decimal(v["vat"]) == (total * rate / (100 + rate)).quantize(
                            Decimal("0.01"), "ROUND_HALF_UP"
                        )


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), tickets=st.integers(3, 14))
def test_z_report_equals_its_events_sce1(seed: int, tickets: int) -> None:
    _check_day(1, seed, tickets)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), tickets=st.integers(3, 14))
def test_z_report_equals_its_events_sce2(seed: int, tickets: int) -> None:
    _check_day(2, seed, tickets)
