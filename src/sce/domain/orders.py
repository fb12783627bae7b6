"""Orders kept on a cost centre: rounds of lines, corrections, discounts, transfers, merges and splits.

A line once entered is never edited or deleted (MB arts 41-42): a correction, a price change, a discount,
a refund or a move to another cost centre is a new line, negative where it takes something away, with a
reason. ``pending()`` is the difference since the last signed order that SCE 2.0 ``signOrder`` carries;
``commit_round()`` closes that difference as one round. A transfer moves quantities as a negative line on
the source and a positive one on the target, so the sum of the two orders never changes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sce.domain.catalogue import Language, Modifier, Product, Unit
from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.vat import Consumption, VatLetter

MAX_NOTE = 200
_QUANTITY_PLACES = 3
#: Courses of a meal (starter 1, main 2, dessert 3...): a kitchen instruction, never fiscal.
MAX_COURSE = 5


class CostCentreType(StrEnum):
    """Where an order is kept until it is paid (SCE 2.0 ``CostCenterType``)."""

    TABLE = "TABLE"
    CHAIR = "CHAIR"
    ROOM = "ROOM"
    CUSTOMER = "CUSTOMER"
    ON_HOLD = "ON_HOLD"
    KIOSK = "KIOSK"
    PLATFORM = "PLATFORM"
    WEBSHOP = "WEBSHOP"
    OTHER = "OTHER"


@dataclass(frozen=True, slots=True)
class CostCentre:
    type: CostCentreType
    id: str
    reference: str = ""

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise DomainError("cost_centre.id", "REQUIRED", "a table number, customer, kiosk...")


class LineReason(StrEnum):
    """Why a line takes something away (SCE 2.0 ``negQuantityReason``, plus DISCOUNT)."""

    CORRECTION = "CORRECTION"
    REFUND = "REFUND"
    PRICE_CHANGE = "PRICE_CHANGE"
    COST_CENTER_CHANGE = "COST_CENTER_CHANGE"
    WASTE = "WASTE"
    DAMAGE = "DAMAGE"
    VOUCHER = "VOUCHER"
    DISCOUNT = "DISCOUNT"


def _check_quantity(quantity: Decimal, unit: Unit, field: str) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, Decimal | int):
        raise DomainError(field, "NOT_DECIMAL", f"{quantity!r} must be a Decimal, never a float")
    quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity == 0:
        raise DomainError(field, "NOT_ZERO", "a line has a non-zero quantity")
    if quantity != quantity.quantize(Decimal(1).scaleb(-_QUANTITY_PLACES), rounding=ROUND_HALF_UP):
        raise DomainError(field, "INVALID_PRECISION", f"at most {_QUANTITY_PLACES} decimals")
    if unit is Unit.PIECE and quantity != quantity.to_integral_value():
        raise DomainError(field, "WHOLE_PIECES", "pieces are counted in whole numbers")


def _check_course(course: int | None, field: str) -> None:
    if course is None:
        return
    if isinstance(course, bool) or not isinstance(course, int):
        raise DomainError(field, "NOT_AN_INTEGER", f"{course!r} must be a whole number")
    if not 1 <= course <= MAX_COURSE:
        raise DomainError(field, "OUT_OF_RANGE", f"a course is 1 to {MAX_COURSE}, not {course}")


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One entered line; ``total`` = unit price x quantity, half-up, signed.

    ``corrects`` is the line whose quantity a negative line takes back; ``discount_of`` the line a
    discount applies to; ``parent`` the item a modifier line belongs to. ``course`` (1 to
    :data:`MAX_COURSE`) tells the kitchen when to cook it; it never changes an amount.
    """

    number: int
    product_id: str
    name: str
    department_id: str
    quantity: Decimal
    unit_price: Money
    vat: VatLetter
    unit: Unit = Unit.PIECE
    reason: LineReason | None = None
    corrects: int | None = None
    discount_of: int | None = None
    parent: int | None = None
    seat: int | None = None
    notes: tuple[str, ...] = ()
    course: int | None = None

    def __post_init__(self) -> None:
        field = f"lines[{self.number}]"
        _check_quantity(self.quantity, self.unit, f"{field}.quantity")
        _check_course(self.course, f"{field}.course")
        if self.unit_price.cents < 0:
            if self.quantity not in (1, -1):
                raise DomainError(
                    f"{field}.quantity", "DISCOUNT_SHAPE", "a discount is ±1 x a negative price"
                )
            if self.quantity > 0 and self.reason is not LineReason.DISCOUNT:
                raise DomainError(
                    f"{field}.unit_price", "NEGATIVE_PRICE", "only discounts have a negative price"
                )
        elif self.reason is LineReason.DISCOUNT:
            raise DomainError(f"{field}.unit_price", "DISCOUNT_SHAPE", "a discount has a negative price")
        if self.quantity < 0 and self.reason is None:
            raise DomainError(f"{field}.reason", "MISSING_REASON", "a negative line states its reason")
        for note in self.notes:
            if not note.strip() or len(note) > MAX_NOTE:
                raise DomainError(f"{field}.notes", "INVALID_NOTE", f"1 to {MAX_NOTE} characters")

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity)

    @property
    def is_discount(self) -> bool:
        return self.unit_price.cents < 0 and self.quantity > 0


@dataclass(frozen=True, slots=True)
class Round:
    """Lines signed together as one order (pro forma) event."""

    number: int
    lines: tuple[OrderLine, ...]

    @property
    def total(self) -> Money:
        return Money.sum(line.total for line in self.lines)


class Order:
    """The lines of one order on one cost centre, in the order they were entered."""

    def __init__(self, order_id: str, cost_centre: CostCentre, consumption: Consumption = Consumption.EAT_IN):
        if not order_id.strip():
            raise DomainError("order_id", "REQUIRED")
        self.order_id = order_id
        self.cost_centre = cost_centre
        self.consumption = consumption
        self._lines: list[OrderLine] = []
        self._rounds: list[Round] = []
        self._signed = 0
        self.closed = False

    # ----- reading -----

    @property
    def lines(self) -> tuple[OrderLine, ...]:
        return tuple(self._lines)

    @property
    def rounds(self) -> tuple[Round, ...]:
        return tuple(self._rounds)

    @property
    def total(self) -> Money:
        return Money.sum(line.total for line in self._lines)

    def line(self, number: int) -> OrderLine:
        if not 1 <= number <= len(self._lines):
            raise DomainError("line_number", "UNKNOWN_LINE", str(number))
        return self._lines[number - 1]

    def remaining(self, number: int) -> Decimal:
        """Quantity of a line not yet taken back by corrections, price changes or moves."""
        line = self.line(number)
        if line.corrects is not None:
            return Decimal(0)
        taken = sum((other.quantity for other in self._lines if other.corrects == number), Decimal(0))
        return line.quantity + taken

    def open_lines(self) -> tuple[OrderLine, ...]:
        """Lines that still have a remaining quantity."""
        return tuple(
            line for line in self._lines if line.corrects is None and self.remaining(line.number) > 0
        )

    def pending(self) -> tuple[OrderLine, ...]:
        """Lines entered since the last signed order: the ``signOrder`` difference."""
        return tuple(self._lines[self._signed :])

    def courses(self) -> tuple[int, ...]:
        """The courses entered on the order, lowest first."""
        return tuple(sorted({line.course for line in self._lines if line.course is not None}))

    def vat_lines(self) -> list[tuple[VatLetter, Money]]:
        return [(line.vat, line.total) for line in self._lines]

    # ----- writing -----

    def _append(self, line: OrderLine) -> OrderLine:
        if self.closed:
            raise DomainError("order", "ORDER_CLOSED", f"{self.order_id} is paid and closed")
        if line.number != len(self._lines) + 1:
            raise DomainError("line.number", "OUT_OF_SEQUENCE", str(line.number))
        self._lines.append(line)
        return line

    def _extend_signed(self, lines: Sequence[OrderLine]) -> None:
        """Append lines signed by a cost-centre change, all or none."""
        if self.closed:
            raise DomainError("order", "ORDER_CLOSED", f"{self.order_id} is paid and closed")
        for offset, line in enumerate(lines):
            if line.number != len(self._lines) + 1 + offset:
                raise DomainError("line.number", "OUT_OF_SEQUENCE", str(line.number))
        self._lines.extend(lines)
        self._signed = len(self._lines)

    def _next(self) -> int:
        return len(self._lines) + 1

    def add(
        self,
        product: Product,
        quantity: Decimal = Decimal(1),
        *,
        modifiers: Sequence[Modifier] = (),
        notes: Sequence[str] = (),
        seat: int | None = None,
        course: int | None = None,
        language: Language = Language.NL,
        consumption: Consumption | None = None,
    ) -> tuple[OrderLine, ...]:
        """Put a product on the order; a priced modifier becomes a line of its own under the item.

        A modifier without a price (``no onion``) is a note on the item line. The item and its priced
        modifiers share the ``seat`` and the ``course``.
        """
        if not product.manually_sellable:
            raise DomainError("product_id", "RESERVED_PRODUCT", f"{product.id} cannot be sold manually")
        if isinstance(quantity, Decimal | int) and not isinstance(quantity, bool) and quantity < 0:
            raise DomainError("quantity", "NOT_POSITIVE", "take back with a correction line")
        for modifier in modifiers:
            if modifier.id not in product.modifier_ids:
                raise DomainError(
                    "modifiers", "NOT_ALLOWED", f"{modifier.id} is not an option of {product.id}"
                )
        letter = product.vat.letter(consumption or self.consumption)
        notes = (*notes, *(m.names.get(language) for m in modifiers if m.price.is_zero()))
        item = self._append(
            OrderLine(
                self._next(),
                product.id,
                product.names.get(language),
                product.department_id,
                Decimal(quantity),
                product.price,
                letter,
                product.unit,
                seat=seat,
                notes=tuple(notes),
                course=course,
            )
        )
        added = [item]
        for modifier in modifiers:
            if modifier.price.is_zero():
                continue
            added.append(
                self._append(
                    OrderLine(
                        self._next(),
                        modifier.id,
                        modifier.names.get(language),
                        product.department_id,
                        item.quantity,
                        modifier.price,
                        letter,
                        product.unit,
                        parent=item.number,
                        seat=seat,
                        course=course,
                    )
                )
            )
        return tuple(added)

    def children(self, number: int) -> tuple[OrderLine, ...]:
        """Modifier and discount lines that belong to an item."""
        return tuple(
            line
            for line in self._lines
            if line.corrects is None and number in (line.parent, line.discount_of)
        )

    def _take_back(self, number: int, quantity: Decimal, reason: LineReason) -> list[OrderLine]:
        line = self.line(number)
        if line.corrects is not None:
            raise DomainError("line_number", "NOT_CORRECTABLE", f"line {number} is itself a correction")
        left = self.remaining(number)
        if quantity <= 0 or quantity > left:
            raise DomainError("quantity", "EXCEEDS_REMAINING", f"between 0 and {left} for line {number}")
        taken = [
            self._append(
                replace(
                    line,
                    number=self._next(),
                    quantity=-quantity,
                    reason=reason,
                    corrects=number,
                    discount_of=None,
                    parent=None,
                )
            )
        ]
        for child in self.children(number):
            if child.parent == number and self.remaining(child.number) >= quantity:
                taken.extend(self._take_back(child.number, quantity, reason))
        return taken

    def correct(
        self, number: int, quantity: Decimal, reason: LineReason = LineReason.CORRECTION
    ) -> tuple[OrderLine, ...]:
        """Take back ``quantity`` of a line (and of its modifiers) with a negative line."""
        if reason in (LineReason.DISCOUNT, LineReason.COST_CENTER_CHANGE, LineReason.PRICE_CHANGE):
            raise DomainError("reason", "NOT_A_CORRECTION", f"{reason} lines come from their own operation")
        return tuple(self._take_back(number, Decimal(quantity), reason))

    def change_price(self, number: int, unit_price: Money) -> tuple[OrderLine, OrderLine]:
        """A new price for what is left of a line: minus the old price, plus the new one."""
        line = self.line(number)
        if line.is_discount or line.corrects is not None:
            raise DomainError("line_number", "NOT_AN_ITEM", f"line {number} has no price to change")
        if unit_price.cents < 0:
            raise DomainError("unit_price", "NEGATIVE_PRICE", "use a discount")
        if unit_price == line.unit_price:
            raise DomainError("unit_price", "UNCHANGED", str(unit_price))
        left = self.remaining(number)
        if left <= 0:
            raise DomainError("line_number", "NOTHING_LEFT", f"line {number} was fully taken back")
        out = self._append(
            replace(
                line, number=self._next(), quantity=-left, reason=LineReason.PRICE_CHANGE, corrects=number
            )
        )
        back = self._append(
            replace(line, number=self._next(), quantity=left, unit_price=unit_price, corrects=None)
        )
        return out, back

    def discount(self, number: int, amount: Money) -> OrderLine:
        """A discount on an item as a negative line of the item's VAT letter."""
        line = self.line(number)
        if line.is_discount or line.corrects is not None:
            raise DomainError("line_number", "NOT_AN_ITEM", f"line {number} cannot be discounted")
        value = line.unit_price.times(self.remaining(number)) + Money.sum(
            child.unit_price.times(self.remaining(child.number))
            for child in self.children(number)
            if child.discount_of == number
        )
        if amount.cents <= 0 or amount > value:
            raise DomainError("amount", "EXCEEDS_LINE_VALUE", f"between 0.01 and {value} for line {number}")
        return self._append(
            OrderLine(
                self._next(),
                f"DISCOUNT:{line.product_id}",
                f"- {line.name}",
                line.department_id,
                Decimal(1),
                -amount,
                line.vat,
                Unit.PIECE,
                reason=LineReason.DISCOUNT,
                discount_of=number,
                seat=line.seat,
                course=line.course,
            )
        )

    def discount_percent(self, number: int, percent: Decimal) -> OrderLine:
        if not isinstance(percent, Decimal) or not 0 < percent <= 100:
            raise DomainError("percent", "OUT_OF_RANGE", "more than 0 and at most 100")
        line = self.line(number)
        base = line.unit_price.times(self.remaining(number))
        return self.discount(number, Money.from_decimal(base.euros * percent / 100))

    def commit_round(self) -> Round | None:
        """Close the lines entered since the last signed order as one round (``None`` if there are none)."""
        lines = self.pending()
        if not lines:
            return None
        committed = Round(len(self._rounds) + 1, lines)
        self._rounds.append(committed)
        self._signed = len(self._lines)
        return committed

    def close(self) -> None:
        """Paid: nothing is added any more."""
        self.closed = True


@dataclass(frozen=True, slots=True)
class Transfer:
    """Line movements of a transfer, merge or split: negative lines on the source, positive on the target."""

    source: CostCentre
    target: CostCentre
    out_lines: tuple[OrderLine, ...]
    in_lines: tuple[OrderLine, ...]

    @property
    def amount(self) -> Money:
        return Money.sum(line.total for line in self.in_lines)


def transfer(source: Order, target: Order, moves: Mapping[int, Decimal]) -> Transfer:
    """Move quantities of lines of ``source`` to ``target``; its modifiers and discounts follow.

    Both orders must have no pending lines (sign the order first, as ``signOrder`` precedes a
    ``signCostCenterChange``); the movement lines count as signed by the cost-centre change.
    """
    if source is target:
        raise DomainError("target", "SAME_ORDER", "a transfer needs two orders")
    for order, name in ((source, "source"), (target, "target")):
        if order.pending():
            raise DomainError(name, "PENDING_LINES", "sign the pending lines first")
        if order.closed:
            raise DomainError(name, "ORDER_CLOSED", order.order_id)
    if not moves:
        raise DomainError("moves", "REQUIRED", "at least one line to move")
    plan: dict[int, Decimal] = {}
    for number, quantity in moves.items():
        if isinstance(quantity, bool) or not isinstance(quantity, Decimal | int):
            raise DomainError(
                f"moves[{number}]", "NOT_DECIMAL", f"{quantity!r} must be a Decimal, never a float"
            )
        plan[number] = plan.get(number, Decimal(0)) + Decimal(quantity)
    for number in list(plan):
        line = source.line(number)
        if line.parent is not None or line.is_discount or line.corrects is not None:
            continue
        for child in source.children(number):
            if child.parent == number:
                plan.setdefault(child.number, min(plan[number], source.remaining(child.number)))
            elif plan[number] == source.remaining(number):
                plan.setdefault(child.number, source.remaining(child.number))
    for number, quantity in plan.items():
        line = source.line(number)
        left = source.remaining(number)
        if line.corrects is not None or quantity <= 0 or quantity > left:
            raise DomainError(f"moves[{number}]", "EXCEEDS_REMAINING", f"between 0 and {left}")
    order_of_moves = sorted(plan)
    renumber = {number: len(target.lines) + 1 + index for index, number in enumerate(order_of_moves)}
    outs: list[OrderLine] = []
    ins: list[OrderLine] = []
    for index, number in enumerate(order_of_moves):
        line = source.line(number)
        quantity = plan[number]
        outs.append(
            replace(
                line,
                number=len(source.lines) + 1 + index,
                quantity=-quantity,
                reason=LineReason.COST_CENTER_CHANGE,
                corrects=number,
                discount_of=None,
                parent=None,
            )
        )
        ins.append(
            replace(
                line,
                number=renumber[number],
                quantity=quantity,
                corrects=None,
                parent=renumber.get(line.parent) if line.parent else None,
                discount_of=renumber.get(line.discount_of) if line.discount_of else None,
            )
        )
    source._extend_signed(outs)
    target._extend_signed(ins)
    return Transfer(source.cost_centre, target.cost_centre, tuple(outs), tuple(ins))


def merge(source: Order, target: Order) -> Transfer:
    """Move everything left on ``source`` to ``target`` (table merge or full table transfer)."""
    items = {line.number: source.remaining(line.number) for line in source.open_lines()}
    return transfer(source, target, items)


def split_by_seat(source: Order, target: Order, seat: int) -> Transfer:
    """Move the lines of one seat (with their modifiers and discounts) to a new order."""
    moves = {line.number: source.remaining(line.number) for line in source.open_lines() if line.seat == seat}
    if not moves:
        raise DomainError("seat", "NOTHING_ON_SEAT", str(seat))
    return transfer(source, target, moves)


def split_equal(total: Money, parts: int) -> tuple[Money, ...]:
    """Equal shares of a bill, differing by at most one cent, adding up to the total."""
    return total.allocate(parts)


def refund(
    original: Order, refund_order: Order, moves: Mapping[int, Decimal] | None = None
) -> tuple[OrderLine, ...]:
    """Put negative REFUND lines on ``refund_order`` for lines of a paid ``original`` (all by default)."""
    if not original.closed:
        raise DomainError("original", "NOT_PAID", "only a paid order is refunded")
    chosen = (
        moves
        if moves is not None
        else {line.number: original.remaining(line.number) for line in original.open_lines()}
    )
    for number, quantity in chosen.items():
        if original.line(number).corrects is not None or not 0 < quantity <= original.remaining(number):
            raise DomainError(f"moves[{number}]", "EXCEEDS_REMAINING", str(original.remaining(number)))
    added: list[OrderLine] = []
    for number, quantity in sorted(chosen.items()):
        line = original.line(number)
        added.append(
            refund_order._append(
                replace(
                    line,
                    number=refund_order._next(),
                    quantity=-Decimal(quantity),
                    reason=LineReason.REFUND,
                    corrects=None,
                    discount_of=None,
                    parent=None,
                )
            )
        )
    return tuple(added)


def held_courses(courses: Iterable[int | None], fired: Collection[int]) -> frozenset[int]:
    """The courses the kitchen holds: those above the lowest course not yet fired, until they are fired.

    The lowest course waiting is cooked at once, so course 1 (and a line without a course) is never held.
    """
    waiting = sorted({course for course in courses if course is not None and course not in fired})
    return frozenset(course for course in waiting[1:])


def totals_of(orders: Iterable[Order]) -> Money:
    return Money.sum(order.total for order in orders)


def _line_to_dict(line: OrderLine) -> dict[str, Any]:
    return {
        "number": line.number,
        "product_id": line.product_id,
        "name": line.name,
        "department_id": line.department_id,
        "quantity": str(line.quantity),
        "unit_price": line.unit_price.cents,
        "vat": line.vat.value,
        "unit": line.unit.value,
        "reason": line.reason.value if line.reason else None,
        "corrects": line.corrects,
        "discount_of": line.discount_of,
        "parent": line.parent,
        "seat": line.seat,
        "notes": list(line.notes),
        "course": line.course,
    }


def _line_from_dict(value: Mapping[str, Any]) -> OrderLine:
    return OrderLine(
        number=int(value["number"]),
        product_id=str(value["product_id"]),
        name=str(value["name"]),
        department_id=str(value["department_id"]),
        quantity=Decimal(value["quantity"]),
        unit_price=Money(int(value["unit_price"])),
        vat=VatLetter(value["vat"]),
        unit=Unit(value["unit"]),
        reason=LineReason(value["reason"]) if value.get("reason") else None,
        corrects=value.get("corrects"),
        discount_of=value.get("discount_of"),
        parent=value.get("parent"),
        seat=value.get("seat"),
        notes=tuple(value.get("notes", ())),
        course=value.get("course"),
    )


def order_to_dict(order: Order) -> dict[str, Any]:
    """The whole order as a JSON value (stored between requests)."""
    return {
        "order_id": order.order_id,
        "cost_centre": {
            "type": order.cost_centre.type.value,
            "id": order.cost_centre.id,
            "reference": order.cost_centre.reference,
        },
        "consumption": order.consumption.value,
        "lines": [_line_to_dict(line) for line in order.lines],
        "rounds": [[line.number for line in r.lines] for r in order.rounds],
        "signed": len(order.lines) - len(order.pending()),
        "closed": order.closed,
    }


def order_from_dict(value: Mapping[str, Any]) -> Order:
    centre = value["cost_centre"]
    order = Order(
        str(value["order_id"]),
        CostCentre(CostCentreType(centre["type"]), str(centre["id"]), str(centre.get("reference", ""))),
        Consumption(value["consumption"]),
    )
    lines = [_line_from_dict(line) for line in value["lines"]]
    order._lines = lines
    by_number = {line.number: line for line in lines}
    order._rounds = [
        Round(index, tuple(by_number[n] for n in numbers))
        for index, numbers in enumerate(value.get("rounds", ()), start=1)
    ]
    order._signed = int(value.get("signed", 0))
    order.closed = bool(value.get("closed", False))
    return order
