"""VAT letters, eat-in/take-away letters, per-line VAT and totals per letter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.vat import RATES, Consumption, ProductVat, VatLetter, line_vat, vat_totals
from sce.fiscal.port import VAT_RATES, FiscalLine, split_vat


def test_letters_and_rates_are_those_of_the_law_and_the_port() -> None:
    assert {letter.value: rate for letter, rate in RATES.items()} == VAT_RATES
    assert VatLetter.A.rate == Decimal(21)
    assert VatLetter.B.rate == Decimal(12)
    assert VatLetter.C.rate == Decimal(6)
    assert VatLetter.D.rate == 0
    assert VatLetter.X.rate == 0


def test_parse_letter() -> None:
    assert VatLetter.parse(" b ") is VatLetter.B
    with pytest.raises(DomainError) as caught:
        VatLetter.parse("E", field="product.vat")
    assert (caught.value.field, caught.value.rule) == ("product.vat", "UNKNOWN_VAT_LETTER")


def test_product_letter_depends_on_consumption() -> None:
    meal = ProductVat(eat_in=VatLetter.B, take_away=VatLetter.C)
    assert meal.letter(Consumption.EAT_IN) is VatLetter.B
    assert meal.letter(Consumption.TAKE_AWAY) is VatLetter.C
    assert ProductVat.single(VatLetter.A).letter(Consumption.TAKE_AWAY) is VatLetter.A


@pytest.mark.parametrize(
    ("total", "letter", "vat"),
    [
        (220, VatLetter.A, 38),  # 2.20 x 21/121 = 0.3818
        (1190, VatLetter.B, 128),  # 11.90 x 12/112 = 1.275 -> 1.28 half-up
        (106, VatLetter.C, 6),
        (500, VatLetter.D, 0),
        (500, VatLetter.X, 0),
        (-1190, VatLetter.B, -128),
    ],
)
def test_line_vat(total: int, letter: VatLetter, vat: int) -> None:
    assert line_vat(Money(total), letter) == Money(vat)


def test_totals_per_letter_match_the_ticket_example() -> None:
    totals = vat_totals([(VatLetter.A, Money(220)), (VatLetter.B, Money(1190))])
    assert list(totals) == [VatLetter.A, VatLetter.B]
    assert (totals[VatLetter.A].base, totals[VatLetter.A].vat) == (Money(182), Money(38))
    assert (totals[VatLetter.B].base, totals[VatLetter.B].vat) == (Money(1062), Money(128))
    assert totals[VatLetter.B].total == Money(1190)


line_strategy = st.tuples(
    st.sampled_from(list(VatLetter)), st.integers(min_value=-100_000, max_value=100_000)
)


@given(st.lists(line_strategy, max_size=30))
def test_totals_per_letter_equal_split_vat_of_the_port(lines: list[tuple[VatLetter, int]]) -> None:
    ours = vat_totals([(letter, Money(amount)) for letter, amount in lines])
    port = split_vat(
        [FiscalLine("p", Decimal(1), Money(amount).euros, letter.value) for letter, amount in lines]
    )
    assert {letter.value: (t.base.cents, t.vat.cents) for letter, t in ours.items()} == {
        letter: (v.base_cents, v.vat_cents) for letter, v in port.items()
    }
    for letter, total in ours.items():
        assert total.total == Money.sum(Money(amount) for l2, amount in lines if l2 is letter)
