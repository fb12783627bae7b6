"""Courses (starter, main, dessert): a kitchen instruction on order lines that never changes an amount."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from sce.domain.errors import DomainError
from sce.domain.events import order_event, pre_bill_event
from sce.domain.money import Money
from sce.domain.orders import (
    MAX_COURSE,
    LineReason,
    OrderLine,
    held_courses,
    merge,
    order_from_dict,
    order_to_dict,
    split_by_seat,
    transfer,
)
from sce.domain.vat import VatLetter
from tests.domain.support import BURGER, CHEESE, COLA, NO_ONION, table
from tests.domain.test_events import ctx


def test_add_puts_the_course_on_the_item_and_its_priced_modifiers() -> None:
    order = table(3)
    (cola,) = order.add(COLA)
    burger, cheese = order.add(BURGER, Decimal(2), modifiers=[CHEESE, NO_ONION], seat=1, course=2)
    assert cola.course is None
    assert (burger.course, cheese.course) == (2, 2)
    assert (burger.seat, cheese.seat) == (1, 1)
    assert cheese.parent == burger.number
    assert order.courses() == (2,)
    order.add(COLA, course=1)
    assert order.courses() == (1, 2)


@pytest.mark.parametrize("course", [0, -1, MAX_COURSE + 1, 99])
def test_a_course_out_of_range_names_the_line_field(course: int) -> None:
    order = table(3)
    order.add(COLA)
    with pytest.raises(DomainError) as caught:
        order.add(BURGER, course=course)
    assert (caught.value.field, caught.value.rule) == ("lines[2].course", "OUT_OF_RANGE")
    assert len(order.lines) == 1


def test_a_course_is_a_whole_number() -> None:
    line = OrderLine(1, "COLA", "Cola", "DRINKS", Decimal(1), Money(320), VatLetter.A)
    with pytest.raises(DomainError) as caught:
        replace(line, course=True)
    assert (caught.value.field, caught.value.rule) == ("lines[1].course", "NOT_AN_INTEGER")
    with pytest.raises(DomainError) as text:
        replace(line, course="2")  # type: ignore[arg-type]
    assert (text.value.field, text.value.rule) == ("lines[1].course", "NOT_AN_INTEGER")
    assert replace(line, course=MAX_COURSE).course == MAX_COURSE


def test_discounts_and_corrections_keep_the_course_of_their_line() -> None:
    order = table(3)
    burger, cheese = order.add(BURGER, Decimal(2), modifiers=[CHEESE], seat=4, course=3)
    discount = order.discount(burger.number, Money(200))
    assert (discount.course, discount.seat, discount.reason) == (3, 4, LineReason.DISCOUNT)
    taken = order.correct(burger.number, Decimal(1))
    assert [line.course for line in taken] == [3, 3]
    out, back = order.change_price(cheese.number, Money(100))
    assert (out.course, back.course) == (3, 3)


def test_the_course_survives_the_stored_document() -> None:
    order = table(3)
    order.add(COLA)
    order.add(BURGER, modifiers=[CHEESE], course=2)
    order.discount(2, Money(100))
    order.commit_round()
    stored = order_to_dict(order)
    assert [line["course"] for line in stored["lines"]] == [None, 2, 2, 2]
    again = order_from_dict(stored)
    assert [line.course for line in again.lines] == [None, 2, 2, 2]
    assert [line.course for line in again.rounds[0].lines] == [None, 2, 2, 2]
    assert order_to_dict(again) == stored


def test_a_stored_document_without_courses_reads_as_no_course() -> None:
    order = table(3)
    order.add(BURGER, modifiers=[CHEESE])
    stored = order_to_dict(order)
    for line in stored["lines"]:
        del line["course"]
    assert [line.course for line in order_from_dict(stored).lines] == [None, None]


def test_a_stored_course_out_of_range_is_refused_naming_the_line() -> None:
    order = table(3)
    order.add(COLA, course=1)
    stored = order_to_dict(order)
    stored["lines"][0]["course"] = 9
    with pytest.raises(DomainError) as caught:
        order_from_dict(stored)
    assert (caught.value.field, caught.value.rule) == ("lines[1].course", "OUT_OF_RANGE")


def test_transfer_merge_and_split_keep_the_course() -> None:
    five = table(5)
    five.add(COLA, seat=1, course=1)
    five.add(BURGER, modifiers=[CHEESE], seat=2, course=2)
    five.discount(2, Money(100))
    five.commit_round()
    four = table(4)
    moved = transfer(five, four, {2: Decimal(1)})
    assert [(ln.product_id, ln.course) for ln in moved.in_lines] == [
        ("BURGER", 2),
        ("CHEESE", 2),
        ("DISCOUNT:BURGER", 2),
    ]
    assert all(ln.course == 2 for ln in moved.out_lines)
    six = table(6)
    merged = merge(four, six)
    assert [ln.course for ln in merged.in_lines] == [2, 2, 2]

    seven = table(7)
    seven.add(COLA, seat=1, course=1)
    seven.add(BURGER, seat=2, course=3)
    seven.commit_round()
    split = table(7, "order-7b")
    by_seat = split_by_seat(seven, split, 2)
    assert [(ln.product_id, ln.course) for ln in by_seat.in_lines] == [("BURGER", 3)]
    assert split.courses() == (3,)


def test_courses_never_change_amounts_or_the_fiscal_event() -> None:
    plain, coursed = table(8), table(8)
    plain.add(COLA, Decimal(2))
    plain.add(BURGER, modifiers=[CHEESE])
    plain.discount(2, Money(150))
    coursed.add(COLA, Decimal(2), course=1)
    coursed.add(BURGER, modifiers=[CHEESE], course=2)
    coursed.discount(2, Money(150))
    assert coursed.total == plain.total
    assert coursed.vat_lines() == plain.vat_lines()
    assert order_event(coursed, ctx(1)) == order_event(plain, ctx(1))
    plain.commit_round()
    coursed.commit_round()
    assert pre_bill_event(coursed, ctx(2)) == pre_bill_event(plain, ctx(2))


@pytest.mark.parametrize(
    ("courses", "fired", "held"),
    [
        ([None, 1, 2, 3], set(), {2, 3}),
        ([1, 2, 3], {2}, {3}),
        ([1, 2, 3], {3}, {2}),
        ([1, 2, 3], {2, 3}, set()),
        ([2, 3], set(), {3}),
        ([None, 1], set(), set()),
        ([3, 3, 5], set(), {5}),
        ([], {2}, set()),
    ],
)
def test_held_courses(courses: list[int | None], fired: set[int], held: set[int]) -> None:
    assert held_courses(courses, fired) == held
    assert 1 not in held_courses(courses, fired)
