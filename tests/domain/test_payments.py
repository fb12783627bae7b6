"""Payments: methods, tips, change, the cash rounding line and Σ payments = total + tips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.payments import (
    PaymentLine,
    PaymentLineKind,
    PaymentMethod,
    Settlement,
    Tender,
    Tip,
    check_settlement,
    settle,
)

CASH, CARD = PaymentMethod.CASH, PaymentMethod.CARD
PAY, TIP, ROUND = PaymentLineKind.PAYMENT, PaymentLineKind.TIP, PaymentLineKind.ROUNDING


def _shape(settlement: Settlement) -> list[tuple[PaymentLineKind, PaymentMethod, int]]:
    return [(line.kind, line.method, line.amount.cents) for line in settlement.lines]


def test_fiscal_types_are_fdm_payment_types() -> None:
    assert CASH.fiscal_type == "CASH"
    assert CARD.fiscal_type == "CARD_UNKNOWN"
    assert PaymentMethod.MEAL_CHEQUE.fiscal_type == "CHEQUE_MEAL"
    assert PaymentMethod.CUSTOMER_CREDIT.fiscal_type == "CUSTOMER_CREDIT"
    assert {m.fiscal_type for m in PaymentMethod} <= {
        "UNKNOWN", "CASH", "CARD_UNKNOWN", "CARD_DEBIT", "CARD_CREDIT", "CARD_OTHER", "CHEQUE_MEAL",
        "CHEQUE_OTHER", "APP", "ONLINE", "CUSTOMER_CREDIT", "ROOM_CREDIT", "LOYALTY_REWARDS",
        "VOUCHER_STORE", "VOUCHER_SUPPLIER", "VOUCHER_OTHER", "OTHER",
    }  # fmt: skip


def test_card_pays_exactly() -> None:
    result = settle(Money(1410), [Tender(CARD, Money(1410))])
    assert _shape(result) == [(PAY, CARD, 1410)]
    assert result.change == Money(0) and result.rounding == Money(0)


def test_cash_is_rounded_and_change_given() -> None:
    result = settle(Money(1252), [Tender(CASH, Money(2000))])
    assert _shape(result) == [(PAY, CASH, 2000), (PAY, CASH, -750), (ROUND, CASH, 2)]
    assert result.change == Money(750)
    assert result.rounding == Money(2)


def test_only_the_cash_part_is_rounded() -> None:
    result = settle(Money(2003), [Tender(PaymentMethod.MEAL_CHEQUE, Money(1000)), Tender(CASH, Money(1005))])
    assert _shape(result) == [(PAY, PaymentMethod.MEAL_CHEQUE, 1000), (PAY, CASH, 1005), (ROUND, CASH, -2)]
    exact = settle(Money(2003), [Tender(CARD, Money(2003))])
    assert exact.rounding == Money(0)


def test_tips_are_their_own_lines_paid_by_their_method() -> None:
    result = settle(Money(4500), [Tender(CARD, Money(5000))], [Tip(CARD, Money(500))])
    assert _shape(result) == [(PAY, CARD, 4500), (TIP, CARD, 500)]
    assert result.tips == Money(500)
    cash = settle(Money(5252), [Tender(CASH, Money(6000))], [Tip(CASH, Money(500))])
    assert _shape(cash) == [(PAY, CASH, 5500), (TIP, CASH, 500), (PAY, CASH, -250), (ROUND, CASH, 2)]
    assert cash.by_method() == {CASH: Money(5750)}


def test_refund_paid_back_in_cash_is_rounded() -> None:
    result = settle(Money(-1252), [Tender(CASH, Money(-1250))])
    assert _shape(result) == [(PAY, CASH, -1250), (ROUND, CASH, -2)]


def test_empty_sale_needs_no_payment() -> None:
    assert settle(Money(0), []).lines == ()


@pytest.mark.parametrize(
    ("total", "tenders", "tips", "field", "rule"),
    [
        (1000, [Tender(CARD, Money(900))], [], "tenders", "SUM_MISMATCH"),
        (1000, [Tender(CARD, Money(1100))], [], "tenders", "SUM_MISMATCH"),
        (1000, [Tender(CASH, Money(900))], [], "tenders", "UNDERPAID"),
        (1000, [Tender(CASH, Money(0))], [], "tenders.amount", "ZERO_AMOUNT"),
        (1000, [Tender(CASH, Money(-1000))], [], "tenders.amount", "WRONG_SIGN"),
        (-1000, [Tender(CASH, Money(-2000))], [], "tenders", "UNDERPAID"),
        (1000, [Tender(CARD, Money(1100))], [Tip(CASH, Money(100))], "tips.method", "NOT_TENDERED"),
    ],
)
def test_settlement_errors_name_field_and_rule(
    total: int, tenders: list[Tender], tips: list[Tip], field: str, rule: str
) -> None:
    with pytest.raises(DomainError) as caught:
        settle(Money(total), tenders, tips)
    assert (caught.value.field, caught.value.rule) == (field, rule)


def test_tip_is_positive() -> None:
    with pytest.raises(DomainError) as caught:
        Tip(CARD, Money(0))
    assert (caught.value.field, caught.value.rule) == ("tips.amount", "NOT_POSITIVE")


def test_check_settlement_refuses_lines_that_do_not_add_up() -> None:
    with pytest.raises(DomainError) as caught:
        Settlement(Money(1000), Money(0), (PaymentLine(PAY, CARD, Money(999)),))
    assert (caught.value.field, caught.value.rule) == ("payments", "SUM_MISMATCH")
    with pytest.raises(DomainError) as tips:
        check_settlement(Money(1000), Money(100), [PaymentLine(PAY, CARD, Money(1100))])
    assert (tips.value.field, tips.value.rule) == ("tips", "SUM_MISMATCH")
    with pytest.raises(DomainError) as rounding:
        check_settlement(
            Money(1002), Money(0), [PaymentLine(PAY, CARD, Money(1000)), PaymentLine(ROUND, CARD, Money(2))]
        )
    assert (rounding.value.field, rounding.value.rule) == ("payments[1].method", "CASH_ONLY")


@given(
    st.integers(min_value=1, max_value=500_000),
    st.integers(min_value=0, max_value=500_000),
    st.integers(min_value=0, max_value=2_000),
    st.integers(min_value=0, max_value=10_000),
)
def test_any_mixed_payment_adds_up_to_total_plus_tips(total: int, card: int, tip: int, extra: int) -> None:
    card = min(card, total)
    tips = [Tip(CARD, Money(tip))] if tip and card else []
    tip_cents = tip if tips else 0
    tenders = [Tender(CARD, Money(card + tip_cents))] if card else []
    cash_due = total - card
    if cash_due:
        tenders.append(Tender(CASH, Money(cash_due + 2 + extra)))
    result = settle(Money(total), tenders, tips)
    assert Money.sum(line.amount for line in result.lines) == Money(total + tip_cents)
    assert abs(result.rounding.cents) <= 2
    assert result.change.cents >= 0
    cash_paid = sum(ln.amount.cents for ln in result.lines if ln.method is CASH and ln.kind is PAY)
    if cash_due >= 5:
        assert cash_paid % 5 == 0
