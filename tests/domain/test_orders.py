"""Orders: rounds, corrections and price changes as new lines, discounts, transfers, merges and splits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sce.domain.catalogue import Names, Product
from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.orders import (
    CostCentre,
    CostCentreType,
    LineReason,
    Order,
    OrderLine,
    merge,
    refund,
    split_by_seat,
    split_equal,
    transfer,
)
from sce.domain.vat import Consumption, ProductVat, VatLetter
from tests.domain.support import BRIE_PRICE, BURGER, CHEESE, CHEESE_BY_WEIGHT, COLA, NO_ONION, table

MARTINI = Product("MARTINI", Names.of("Dry Martini"), "DRINKS", Money(1200), ProductVat.single(VatLetter.A))
CHARDONNAY = Product("CHARD", Names.of("Chardonnay"), "DRINKS", Money(650), ProductVat.single(VatLetter.A))


def test_cost_centre_types_cover_the_fdm_list() -> None:
    assert {t.value for t in CostCentreType} >= {
        "TABLE",
        "CHAIR",
        "ROOM",
        "CUSTOMER",
        "ON_HOLD",
        "KIOSK",
        "WEBSHOP",
    }
    with pytest.raises(DomainError) as caught:
        CostCentre(CostCentreType.TABLE, " ")
    assert (caught.value.field, caught.value.rule) == ("cost_centre.id", "REQUIRED")


def test_add_uses_the_consumption_letter_and_splits_priced_modifiers() -> None:
    order = table(1)
    item, extra = order.add(BURGER, Decimal(2), modifiers=[CHEESE, NO_ONION], seat=2)
    assert item.vat is VatLetter.B
    assert item.notes == ("Zonder ui",)
    assert (extra.parent, extra.quantity, extra.total, extra.vat) == (1, Decimal(2), Money(300), VatLetter.B)
    (away,) = order.add(BURGER, consumption=Consumption.TAKE_AWAY)
    assert away.vat is VatLetter.C
    assert order.total == Money(3300 + 300 + 1650)
    take_away = Order("o", CostCentre(CostCentreType.KIOSK, "K1"), Consumption.TAKE_AWAY)
    assert take_away.add(BURGER)[0].vat is VatLetter.C


def test_add_rules() -> None:
    order = table(1)
    with pytest.raises(DomainError) as pieces:
        order.add(COLA, Decimal("1.5"))
    assert (pieces.value.field, pieces.value.rule) == ("lines[1].quantity", "WHOLE_PIECES")
    with pytest.raises(DomainError) as negative:
        order.add(COLA, Decimal(-1))
    assert negative.value.rule == "NOT_POSITIVE"
    with pytest.raises(DomainError) as zero:
        order.add(COLA, Decimal(0))
    assert zero.value.rule == "NOT_ZERO"
    with pytest.raises(DomainError) as option:
        order.add(COLA, modifiers=[CHEESE])
    assert option.value.rule == "NOT_ALLOWED"
    with pytest.raises(DomainError) as precision:
        order.add(CHEESE_BY_WEIGHT, Decimal("0.2345"))
    assert precision.value.rule == "INVALID_PRECISION"
    (brie,) = order.add(CHEESE_BY_WEIGHT, Decimal("0.375"))
    assert brie.total == Money(934)  # 24.90 x 0.375 = 9.3375
    assert CHEESE_BY_WEIGHT.price == BRIE_PRICE
    assert order.lines == (brie,)


def test_a_negative_line_states_its_reason() -> None:
    with pytest.raises(DomainError) as caught:
        OrderLine(1, "COLA", "Cola", "DRINKS", Decimal(-1), Money(320), VatLetter.A)
    assert (caught.value.field, caught.value.rule) == ("lines[1].reason", "MISSING_REASON")
    with pytest.raises(DomainError) as price:
        OrderLine(1, "COLA", "Cola", "DRINKS", Decimal(1), Money(-320), VatLetter.A)
    assert price.value.rule == "NEGATIVE_PRICE"


def test_example_b_of_the_order_flow() -> None:
    """Each save signs only the difference since the last signed order; nothing is ever edited."""
    order = table(5, "order-00043")
    (martini,) = order.add(MARTINI, Decimal(3))
    first = order.commit_round()
    assert first is not None and first.total == Money(3600)
    order.correct(martini.number, Decimal(1))
    step2 = order.commit_round()
    assert step2 is not None and [(ln.quantity, ln.reason) for ln in step2.lines] == [
        (Decimal(-1), LineReason.CORRECTION)
    ]
    assert step2.total == Money(-1200)
    (chard,) = order.add(CHARDONNAY, Decimal(2))
    step3 = order.commit_round()
    assert step3 is not None and step3.total == Money(1300)
    out, back = order.change_price(chard.number, Money(700))
    assert (out.quantity, out.unit_price, out.reason) == (Decimal(-2), Money(650), LineReason.PRICE_CHANGE)
    assert (back.quantity, back.unit_price, back.reason) == (Decimal(2), Money(700), None)
    step4 = order.commit_round()
    assert step4 is not None and step4.total == Money(100)
    order.correct(martini.number, order.remaining(martini.number))
    step5 = order.commit_round()
    assert step5 is not None and step5.total == Money(-2400)
    assert order.commit_round() is None
    order.correct(back.number, Decimal(2))
    step7 = order.commit_round()
    assert step7 is not None and step7.total == Money(-1400)
    assert order.total == Money(0)
    assert [r.number for r in order.rounds] == [1, 2, 3, 4, 5, 6]
    assert order.lines[0] == martini and order.lines[0].quantity == Decimal(3)


def test_corrections_are_bounded_by_what_is_left() -> None:
    order = table(1)
    item, extra = order.add(BURGER, Decimal(2), modifiers=[CHEESE])
    taken = order.correct(item.number, Decimal(1), LineReason.WASTE)
    assert [(ln.corrects, ln.quantity, ln.reason) for ln in taken] == [
        (item.number, Decimal(-1), LineReason.WASTE),
        (extra.number, Decimal(-1), LineReason.WASTE),
    ]
    assert order.remaining(item.number) == 1 and order.remaining(extra.number) == 1
    with pytest.raises(DomainError) as too_much:
        order.correct(item.number, Decimal(2))
    assert (too_much.value.field, too_much.value.rule) == ("quantity", "EXCEEDS_REMAINING")
    with pytest.raises(DomainError) as of_correction:
        order.correct(taken[0].number, Decimal(1))
    assert of_correction.value.rule == "NOT_CORRECTABLE"
    with pytest.raises(DomainError) as reason:
        order.correct(item.number, Decimal(1), LineReason.DISCOUNT)
    assert reason.value.rule == "NOT_A_CORRECTION"
    with pytest.raises(DomainError) as unknown:
        order.correct(99, Decimal(1))
    assert (unknown.value.field, unknown.value.rule) == ("line_number", "UNKNOWN_LINE")
    with pytest.raises(DomainError) as same:
        order.change_price(item.number, item.unit_price)
    assert same.value.rule == "UNCHANGED"
    order.correct(item.number, Decimal(1))
    with pytest.raises(DomainError) as nothing:
        order.change_price(item.number, Money(100))
    assert (nothing.value.field, nothing.value.rule) == ("line_number", "NOTHING_LEFT")


def test_discounts_are_negative_lines_of_the_item_letter() -> None:
    order = table(1)
    (burger,) = order.add(BURGER, Decimal(2))
    discount = order.discount(burger.number, Money(500))
    assert (discount.quantity, discount.unit_price, discount.vat) == (Decimal(1), Money(-500), VatLetter.B)
    assert discount.reason is LineReason.DISCOUNT and discount.is_discount
    assert order.total == Money(2800)
    percent = order.discount_percent(burger.number, Decimal(10))
    assert percent.total == Money(-330)
    with pytest.raises(DomainError) as too_much:
        order.discount(burger.number, Money(3000))
    assert (too_much.value.field, too_much.value.rule) == ("amount", "EXCEEDS_LINE_VALUE")
    with pytest.raises(DomainError) as of_discount:
        order.discount(discount.number, Money(1))
    assert of_discount.value.rule == "NOT_AN_ITEM"
    cancelled = order.correct(discount.number, Decimal(1))
    assert cancelled[0].total == Money(500)
    with pytest.raises(DomainError) as pct:
        order.discount_percent(burger.number, Decimal(0))
    assert pct.value.rule == "OUT_OF_RANGE"


def test_a_closed_order_takes_no_more_lines() -> None:
    order = table(1)
    order.add(COLA)
    order.close()
    with pytest.raises(DomainError) as caught:
        order.add(COLA)
    assert (caught.value.field, caught.value.rule) == ("order", "ORDER_CLOSED")


def _signed_table(number: int) -> Order:
    order = table(number)
    order.add(COLA, Decimal(3), seat=1)
    order.add(BURGER, Decimal(2), modifiers=[CHEESE], seat=2)
    order.discount(2, Money(200))
    order.commit_round()
    return order


def test_transfer_moves_lines_and_conserves_totals() -> None:
    five, four = _signed_table(5), table(4)
    before = five.total + four.total
    moved = transfer(five, four, {1: Decimal(2)})
    assert [(ln.quantity, ln.reason, ln.corrects) for ln in moved.out_lines] == [
        (Decimal(-2), LineReason.COST_CENTER_CHANGE, 1)
    ]
    assert [(ln.quantity, ln.product_id, ln.number) for ln in moved.in_lines] == [(Decimal(2), "COLA", 1)]
    assert moved.amount == Money(640)
    assert five.total + four.total == before
    assert five.remaining(1) == 1
    assert not five.pending() and not four.pending()
    assert (moved.source.id, moved.target.id) == ("5", "4")


def test_moving_a_whole_item_takes_its_modifiers_and_discounts() -> None:
    five, four = _signed_table(5), table(4)
    moved = transfer(five, four, {2: Decimal(2)})
    assert [ln.product_id for ln in moved.in_lines] == ["BURGER", "CHEESE", "DISCOUNT:BURGER"]
    burger, cheese, discount = moved.in_lines
    assert cheese.parent == burger.number and discount.discount_of == burger.number
    assert four.total == Money(3300 + 300 - 200)
    assert five.total == Money(960)


def test_transfer_rules() -> None:
    five, four = _signed_table(5), table(4)
    four.add(COLA)
    with pytest.raises(DomainError) as pending:
        transfer(five, four, {1: Decimal(1)})
    assert (pending.value.field, pending.value.rule) == ("target", "PENDING_LINES")
    four.commit_round()
    with pytest.raises(DomainError) as too_much:
        transfer(five, four, {1: Decimal(4)})
    assert (too_much.value.field, too_much.value.rule) == ("moves[1]", "EXCEEDS_REMAINING")
    with pytest.raises(DomainError) as same:
        transfer(five, five, {1: Decimal(1)})
    assert same.value.rule == "SAME_ORDER"
    with pytest.raises(DomainError) as empty:
        transfer(five, four, {})
    assert empty.value.rule == "REQUIRED"


def test_merge_empties_the_source() -> None:
    five, four = _signed_table(5), _signed_table(4)
    total = five.total + four.total
    merge(five, four)
    assert five.total == Money(0) and not five.open_lines()
    assert four.total == total


def test_split_by_seat_and_equal_parts() -> None:
    five, split = _signed_table(5), table(5, "order-5b")
    moved = split_by_seat(five, split, 2)
    assert {ln.product_id for ln in moved.in_lines} == {"BURGER", "CHEESE", "DISCOUNT:BURGER"}
    assert five.total == Money(960)
    with pytest.raises(DomainError) as nothing:
        split_by_seat(five, split, 7)
    assert (nothing.value.field, nothing.value.rule) == ("seat", "NOTHING_ON_SEAT")
    assert split_equal(Money(1000), 3) == (Money(334), Money(333), Money(333))


def test_refund_references_a_paid_order() -> None:
    paid = _signed_table(1)
    back = Order("refund-1", CostCentre(CostCentreType.ON_HOLD, "refund"))
    with pytest.raises(DomainError) as unpaid:
        refund(paid, back)
    assert (unpaid.value.field, unpaid.value.rule) == ("original", "NOT_PAID")
    paid.close()
    lines = refund(paid, back)
    assert all(ln.reason is LineReason.REFUND for ln in lines)
    assert back.total == -paid.total
    partial = Order("refund-2", CostCentre(CostCentreType.ON_HOLD, "refund"))
    refund(paid, partial, {1: Decimal(1)})
    assert partial.total == Money(-320)


operation = st.one_of(
    st.tuples(st.just("add"), st.sampled_from([COLA, BURGER, MARTINI]), st.integers(1, 4), st.booleans()),
    st.tuples(st.just("correct"), st.integers(1, 40), st.integers(1, 3), st.booleans()),
    st.tuples(st.just("discount"), st.integers(1, 40), st.integers(1, 500), st.booleans()),
    st.tuples(st.just("price"), st.integers(1, 40), st.integers(0, 3000), st.booleans()),
    st.tuples(st.just("move"), st.integers(1, 40), st.integers(1, 3), st.booleans()),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(operation, max_size=40))
def test_random_table_work_conserves_totals_and_never_edits_a_line(ops: list[tuple[object, ...]]) -> None:
    orders = [table(1), table(2)]
    seen: list[tuple[OrderLine, ...]] = [(), ()]
    for kind, a, b, which in ops:
        order, other = (orders[0], orders[1]) if which else (orders[1], orders[0])
        before = orders[0].total + orders[1].total
        lines_before = (orders[0].lines, orders[1].lines)
        try:
            if kind == "add":
                order.add(a, Decimal(b))  # type: ignore[arg-type]
            elif kind == "correct":
                order.correct(a, Decimal(b))  # type: ignore[arg-type]
            elif kind == "discount":
                order.discount(a, Money(b))  # type: ignore[arg-type]
            elif kind == "price":
                order.change_price(a, Money(b))  # type: ignore[arg-type]
            else:
                order.commit_round()
                other.commit_round()
                transfer(order, other, {a: Decimal(b)})  # type: ignore[dict-item]
                assert orders[0].total + orders[1].total == before
        except DomainError:
            assert (orders[0].lines, orders[1].lines) == lines_before, "a refused operation adds no line"
        for index, current in enumerate(orders):
            assert current.lines[: len(seen[index])] == seen[index]
            seen[index] = current.lines
            assert current.total == Money.sum(ln.total for ln in current.lines)
            for line in current.lines:
                if line.corrects is None:
                    assert current.remaining(line.number) >= 0


def test_a_refused_transfer_adds_no_line_to_either_order() -> None:
    five, four = _signed_table(5), table(4)
    before = (five.lines, four.lines)
    with pytest.raises(DomainError) as pieces:
        transfer(five, four, {2: Decimal("0.5")})
    assert pieces.value.rule == "WHOLE_PIECES"
    with pytest.raises(DomainError) as floats:
        transfer(five, four, {1: 1.0})  # type: ignore[dict-item]
    assert (floats.value.field, floats.value.rule) == ("moves[1]", "NOT_DECIMAL")
    assert (five.lines, four.lines) == before


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([COLA, BURGER, MARTINI]), st.integers(1, 4), st.integers(1, 4), st.booleans()
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(1, 4),
    st.integers(2, 6),
)
def test_splits_conserve_totals(items: list[tuple[Product, int, int, bool]], seat: int, parts: int) -> None:
    source, target = table(1), table(1, "order-1b")
    for product, quantity, line_seat, discounted in items:
        line, *_ = source.add(
            product, Decimal(quantity), seat=line_seat, modifiers=[CHEESE] if product is BURGER else ()
        )
        if discounted:
            source.discount(line.number, Money(100))
    source.commit_round()
    total = source.total
    if any(line.seat == seat for line in source.open_lines()):
        moved = split_by_seat(source, target, seat)
        assert moved.amount == target.total
        assert all(line.seat == seat for line in target.lines)
    assert source.total + target.total == total
    shares = split_equal(source.total, parts)
    assert Money.sum(shares) == source.total and len(shares) == parts
