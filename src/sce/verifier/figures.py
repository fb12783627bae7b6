"""Report figures recomputed from the events of an opening period (``docs/journal-format.md``).

A Z report's ``pos.report`` must equal what this module recomputes from the ``event`` records of the
same ``period_id`` with a lower ``seq``, report events excluded. Only figures a reader can recompute are
compared (not ``created_at``, ``period_start``, ``period_end`` or user aliases).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sce.verifier.signatures import cents_of, vat_cents

ZERO = 0
REPORT_KINDS = frozenset({"REPORT_TURNOVER_X", "REPORT_TURNOVER_Z", "REPORT_USER_X", "REPORT_USER_Z"})
CORRECTION_REASONS = frozenset({"CORRECTION", "PRICE_CHANGE", "REFUND", "WASTE", "DAMAGE", "VOUCHER"})


def money(value: int) -> str:
    """Integer cents as a decimal string with two decimals."""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


@dataclass(slots=True)
class CountAmount:
    count: int = 0
    amount: int = ZERO

    def add(self, amount: int) -> None:
        self.count += 1
        self.amount += amount

    def out(self) -> dict[str, Any]:
        return {"count": self.count, "amount": money(self.amount)}


@dataclass(slots=True)
class User:
    turnover: int = ZERO
    payments: dict[str, int] = field(default_factory=dict)
    first_event: str = ""
    last_event: str = ""
    first_seq: int = 0
    last_seq: int = 0
    work: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class PeriodFigures:
    """Running totals of one opening period."""

    sales: CountAmount = field(default_factory=CountAmount)
    refunds: CountAmount = field(default_factory=CountAmount)
    vat: dict[str, list[int]] = field(default_factory=dict)
    departments: dict[str, tuple[str, int]] = field(default_factory=dict)
    payments: dict[str, int] = field(default_factory=dict)
    tips: int = ZERO
    rounding: int = ZERO
    drawer_openings: int = 0
    money_in_out: int = ZERO
    training: CountAmount = field(default_factory=CountAmount)
    pro_forma: CountAmount = field(default_factory=CountAmount)
    discounts: CountAmount = field(default_factory=CountAmount)
    corrections: dict[str, CountAmount] = field(default_factory=dict)
    invoices: CountAmount = field(default_factory=CountAmount)
    first_seq: int | None = None
    last_seq: int | None = None
    fdm_ids: set[str] = field(default_factory=set)
    terminals: set[str] = field(default_factory=set)
    users: dict[str, User] = field(default_factory=dict)
    z_seen: set[str] = field(default_factory=set)

    def add(self, seq: int, record: Mapping[str, Any], amounts: Sequence[int] | None = None) -> None:
        """Count one ``event`` record (the caller excludes report events); ``amounts``: its lines'
        ``line_total`` in cents when the caller has them already."""
        event = record.get("event") or {}
        kind = event.get("kind")
        training = bool(event.get("training"))
        total = cents_of(event.get("total") or "0")
        if self.first_seq is None:
            self.first_seq = seq
        self.last_seq = seq
        fdm = record.get("fdm")
        if fdm and fdm.get("fdm_id"):
            self.fdm_ids.add(str(fdm["fdm_id"]))
        if event.get("terminal_id"):
            self.terminals.add(str(event["terminal_id"]))
        employee = str(event.get("employee_id") or "")
        user = self.users.get(employee)
        if user is None:
            user = self.users[employee] = User(first_event=str(event.get("pos_datetime")), first_seq=seq)
        user.last_event = str(event.get("pos_datetime"))
        user.last_seq = seq
        if kind in ("WORK_IN", "WORK_OUT"):
            user.work.append({"kind": str(kind), "at": str(event.get("pos_datetime"))})
        lines = event.get("lines") or []
        payments = event.get("payments") or []
        if kind == "SALE" and training:
            self.training.add(total)
        elif kind == "SALE":
            self.sales.add(total)
            user.turnover += total
            if total < 0:
                self.refunds.add(total)
            per_sale = isinstance(fdm, dict) and fdm.get("generation") == 2
            by_letter: dict[str, int] = {}
            for index, line in enumerate(lines):
                amount = cents_of(line["line_total"]) if amounts is None else amounts[index]
                letter = str(line["vat"])
                if per_sale:
                    by_letter[letter] = by_letter.get(letter, 0) + amount
                else:
                    vat = vat_cents(amount, letter)
                    entry = self.vat.setdefault(letter, [ZERO, ZERO])
                    entry[0] += amount - vat
                    entry[1] += vat
                dept = str(line.get("department_id") or "")
                name, sofar = self.departments.get(dept, (str(line.get("department_name") or ""), ZERO))
                self.departments[dept] = (name, sofar + amount)
                reason = line.get("neg_reason") or ""
                if reason == "DISCOUNT":
                    self.discounts.add(amount)
                elif reason in CORRECTION_REASONS:
                    self.corrections.setdefault(reason, CountAmount()).add(amount)
            for letter, amount in by_letter.items():
                # SCE 2.0: the FDM's rule (MB arts 65-66), VAT per label over the sale's lines
                vat = vat_cents(amount, letter)
                entry = self.vat.setdefault(letter, [ZERO, ZERO])
                entry[0] += amount - vat
                entry[1] += vat
            for payment in payments:
                amount = cents_of(payment["amount"])
                method = str(payment.get("method"))
                pkind = payment.get("kind", "PAYMENT")
                if pkind in ("PAYMENT", "TIP"):
                    self.payments[method] = self.payments.get(method, ZERO) + amount
                    user.payments[method] = user.payments.get(method, ZERO) + amount
                if pkind == "TIP":
                    self.tips += amount
                elif pkind == "ROUNDING":
                    self.rounding += amount
        elif training:
            return
        elif kind in ("ORDER", "PRE_BILL"):
            self.pro_forma.add(total)
            if kind == "ORDER":
                for line in lines:
                    reason = line.get("neg_reason") or ""
                    if reason in CORRECTION_REASONS:
                        self.corrections.setdefault(reason, CountAmount()).add(cents_of(line["line_total"]))
        elif kind == "PAYMENT_CORRECTION":
            for payment in payments:
                if payment.get("kind", "PAYMENT") in ("PAYMENT", "TIP"):
                    method = str(payment.get("method"))
                    self.payments[method] = self.payments.get(method, ZERO) + cents_of(payment["amount"])
        elif kind == "DRAWER_OPEN":
            self.drawer_openings += 1
        elif kind == "MONEY_IN_OUT":
            for payment in payments:
                self.money_in_out += cents_of(payment["amount"])
        elif kind == "INVOICE":
            pos = record.get("pos") or {}
            self.invoices.add(cents_of(pos.get("invoice_amount") or "0"))

    def merge(self, later: PeriodFigures) -> None:
        """Add the figures of ``later``, counted over the events that follow this one's in the period."""
        if later.first_seq is None:
            return
        for mine, theirs in (
            (self.sales, later.sales),
            (self.refunds, later.refunds),
            (self.training, later.training),
            (self.pro_forma, later.pro_forma),
            (self.discounts, later.discounts),
            (self.invoices, later.invoices),
        ):
            mine.count += theirs.count
            mine.amount += theirs.amount
        for letter, (base, vat) in later.vat.items():
            sums = self.vat.setdefault(letter, [ZERO, ZERO])
            sums[0] += base
            sums[1] += vat
        for dept, (name, amount) in later.departments.items():
            kept, sofar = self.departments.get(dept, (name, ZERO))
            self.departments[dept] = (kept, sofar + amount)
        _add_amounts(self.payments, later.payments)
        self.tips += later.tips
        self.rounding += later.rounding
        self.drawer_openings += later.drawer_openings
        self.money_in_out += later.money_in_out
        for reason, entry in later.corrections.items():
            counted = self.corrections.setdefault(reason, CountAmount())
            counted.count += entry.count
            counted.amount += entry.amount
        if self.first_seq is None:
            self.first_seq = later.first_seq
        self.last_seq = later.last_seq
        self.fdm_ids |= later.fdm_ids
        self.terminals |= later.terminals
        for employee, user in later.users.items():
            known = self.users.get(employee)
            if known is None:
                self.users[employee] = user
                continue
            known.turnover += user.turnover
            _add_amounts(known.payments, user.payments)
            known.last_event = user.last_event
            known.last_seq = user.last_seq
            known.work.extend(user.work)

    def turnover(self) -> dict[str, Any]:
        return {
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "fdm_ids": sorted(self.fdm_ids),
            "terminals": sorted(self.terminals),
            "sales": self.sales.out(),
            "refunds": self.refunds.out(),
            "vat": [
                {"letter": k, "base": money(v[0]), "vat": money(v[1]), "total": money(v[0] + v[1])}
                for k, v in sorted(self.vat.items())
            ],
            "departments": [
                {"id": k, "name": v[0], "amount": money(v[1])} for k, v in sorted(self.departments.items())
            ],
            "payments": [{"method": k, "amount": money(v)} for k, v in sorted(self.payments.items())],
            "tips": money(self.tips),
            "rounding": money(self.rounding),
            "drawer_openings": self.drawer_openings,
            "money_in_out": money(self.money_in_out),
            "training": self.training.out(),
            "pro_forma": self.pro_forma.out(),
            "discounts": self.discounts.out(),
            "corrections": [
                {"reason": k, "count": v.count, "amount": money(v.amount)}
                for k, v in sorted(self.corrections.items())
            ],
            "invoices": self.invoices.out(),
        }

    def user_figures(self) -> dict[str, Any]:
        return {
            "users": [
                {
                    "employee_id": key,
                    "turnover": money(user.turnover),
                    "payments": [{"method": k, "amount": money(v)} for k, v in sorted(user.payments.items())],
                    "first_event": user.first_event,
                    "last_event": user.last_event,
                    "first_seq": user.first_seq,
                    "last_seq": user.last_seq,
                    "work": list(user.work),
                }
                for key, user in sorted(self.users.items())
            ]
        }


def _add_amounts(into: dict[str, int], more: Mapping[str, int]) -> None:
    for key, amount in more.items():
        into[key] = into.get(key, ZERO) + amount


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and isinstance(actual, str) and expected != actual:
        try:
            return Decimal(expected) == Decimal(actual)
        except InvalidOperation:
            return False
    return bool(expected == actual)


def compare(expected: Any, actual: Any, path: str) -> list[tuple[str, str, str]]:
    """Differences (path, expected, actual); only members of ``expected`` are compared."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [(path, "an object", repr(actual)[:80])]
        out: list[tuple[str, str, str]] = []
        for key, value in expected.items():
            if key not in actual:
                out.append((f"{path}.{key}", _short(value), "absent"))
            else:
                out.extend(compare(value, actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [(path, _short(expected), _short(actual))]
        out = []
        for index, (one, other) in enumerate(zip(expected, actual, strict=True)):
            out.extend(compare(one, other, f"{path}[{index}]"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [(path, _short(expected), _short(actual))]
        bad = [i for i, (a, b) in enumerate(zip(expected, actual, strict=True)) if not _same(a, b)]
        return [(path, _short(expected), _short(actual))] if bad else []
    return [] if _same(expected, actual) else [(path, _short(expected), _short(actual))]


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
