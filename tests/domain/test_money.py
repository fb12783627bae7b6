"""Money: integer cents, parsing, arithmetic, allocation and cash rounding to 5 cents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sce.domain.errors import DomainError
from sce.domain.money import ZERO, Money, round_cash

cents = st.integers(min_value=-10_000_000, max_value=10_000_000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", 1250),
        ("12,5", 1250),
        ("-3", -300),
        ("+0,07", 7),
        ("1.234,56", 123456),
        ("1 234.56", 123456),
        ("1.234.567,10", 123456710),
        ("€ 4,20", 420),
        ("4.20 EUR", 420),
        ("0", 0),
    ],
)
def test_parse_accepts_belgian_and_english_notation(text: str, expected: int) -> None:
    assert Money.parse(text).cents == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "1.234.5678", "12.505", "1.234", "1.234.56", "1,2,3", "--1", "12.", "1e3", "nan"]
)
def test_parse_rejects_with_field_and_rule(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        Money.parse(text, field="price")
    assert caught.value.field == "price"
    assert caught.value.rule == "INVALID_FORMAT"
    assert str(caught.value).startswith("price: INVALID_FORMAT")


def test_parse_rejects_amounts_above_the_fdm_maximum() -> None:
    with pytest.raises(DomainError) as caught:
        Money.parse("1000000000.00")
    assert caught.value.rule == "OUT_OF_RANGE"


def test_money_refuses_floats_and_bools() -> None:
    with pytest.raises(DomainError) as caught:
        Money(1.5)  # type: ignore[arg-type]
    assert caught.value.rule == "NOT_INTEGER_CENTS"
    with pytest.raises(DomainError):
        Money(True)
    with pytest.raises(DomainError) as from_float:
        Money.from_decimal(0.1)  # type: ignore[arg-type]
    assert from_float.value.rule == "NOT_DECIMAL"


def test_from_decimal_rounds_half_up_away_from_zero() -> None:
    assert Money.from_decimal(Decimal("0.005")).cents == 1
    assert Money.from_decimal(Decimal("-0.005")).cents == -1
    assert Money.from_decimal(Decimal("0.0049")).cents == 0
    with pytest.raises(DomainError) as caught:
        Money.from_decimal(Decimal("NaN"))
    assert caught.value.rule == "NOT_FINITE"


def test_arithmetic_and_text() -> None:
    a, b = Money(1250), Money(-75)
    assert a + b == Money(1175)
    assert a - b == Money(1325)
    assert -a == Money(-1250)
    assert abs(b) == Money(75)
    assert str(Money(-5)) == "-0.05"
    assert Money(1250).euros == Decimal("12.50")
    assert Money.sum([a, b, ZERO]) == Money(1175)
    assert a > b


def test_times_quantity_rounds_half_up() -> None:
    assert Money(199).times(Decimal("0.375")) == Money(75)  # 0.74625 -> 0.75
    assert Money(250).times(3) == Money(750)
    assert Money(1).times(Decimal("0.5")) == Money(1)
    with pytest.raises(DomainError) as caught:
        Money(100).times(1.5)  # type: ignore[arg-type]
    assert caught.value.field == "quantity"


@given(cents, st.integers(min_value=1, max_value=50))
def test_allocate_adds_up_and_is_fair(amount: int, parts: int) -> None:
    shares = Money(amount).allocate(parts)
    assert len(shares) == parts
    assert Money.sum(shares) == Money(amount)
    assert max(s.cents for s in shares) - min(s.cents for s in shares) <= 1


def test_allocate_needs_a_part() -> None:
    with pytest.raises(DomainError) as caught:
        Money(100).allocate(0)
    assert (caught.value.field, caught.value.rule) == ("parts", "AT_LEAST_ONE")


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        (1000, 1000),
        (1001, 1000),
        (1002, 1000),
        (1003, 1005),
        (1004, 1005),
        (1005, 1005),
        (1006, 1005),
        (1007, 1005),
        (1008, 1010),
        (1009, 1010),
        (4, 4),
        (3, 3),
        (-1008, -1010),
        (-1002, -1000),
        (7, 5),
    ],
)
def test_cash_rounding_follows_the_final_digit_rule(amount: int, rounded: int) -> None:
    result = round_cash(Money(amount))
    assert result.rounded == Money(rounded)
    assert result.adjustment == Money(rounded - amount)
    assert result.rounding_line == Money(amount - rounded)


@given(cents)
def test_cash_rounding_is_a_multiple_of_5_within_2_cents(amount: int) -> None:
    result = round_cash(Money(amount))
    assert abs(result.adjustment.cents) <= 2
    assert result.rounded + result.rounding_line == Money(amount)
    if abs(amount) >= 5:
        assert result.rounded.cents % 5 == 0
    else:
        assert result.rounded == Money(amount)


@given(cents)
def test_cash_rounding_is_symmetric_for_refunds(amount: int) -> None:
    assert round_cash(Money(-amount)).rounded == -round_cash(Money(amount)).rounded
