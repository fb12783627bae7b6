"""Kitchen and bar tickets: a signed order round split per station and printed on the station's printer.

An order round is the ``ORDER`` event the FDM registered (label P) for a table. The router groups its
lines by the station their department is mapped to and prints one ticket per station: the station name,
table, round number, time, the waiter's alias and the lines with their notes and modifiers, without
amounts, grouped by course (lines without a course first, then "Course 1", "Course 2"... headings; a
course the kitchen must hold until the waiter fires it says HOLD), ending with the not-valid line
(MB art. 38). Firing a course prints a short FIRE ticket (:func:`fire_rows`). Each station ticket is
printed once: a station whose printer was offline is printed by the next
:meth:`KitchenRouter.print_round` of the same round, the others are not printed again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sce.fiscal.port import EventKind, FiscalEvent, FiscalReceipt, FiscalReference
from sce.tickets.i18n import Lang, TicketLanguage
from sce.tickets.layout import NOT_VALID, Row
from sce.tickets.printing import PrinterUnavailableError, RowPrinter


class KitchenError(ValueError):
    """An order round that cannot be routed (not a signed order, a line without a known department)."""


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line of the round: quantity, product, its department, the notes/modifiers for the cook and the
    course it belongs to (``None``: no course, cooked at once)."""

    description: str
    quantity: Decimal
    department_id: str
    notes: tuple[str, ...] = ()
    course: int | None = None


@dataclass(frozen=True, slots=True)
class OrderRound:
    """A round of orders for one table, as registered with the FDM (``reference`` of the ORDER event);
    ``held`` are the courses the kitchen waits with until they are fired."""

    table: str
    round_number: int
    ordered_at: datetime
    waiter_alias: str
    lines: tuple[OrderLine, ...]
    language: Lang
    reference: FiscalReference
    held: frozenset[int] = frozenset()


def order_round(
    event: FiscalEvent,
    receipt: FiscalReceipt | None,
    *,
    round_number: int,
    waiter_alias: str,
    language: Lang,
    notes: Mapping[int, Sequence[str]] | None = None,
    courses: Mapping[int, int | None] | None = None,
    held: Collection[int] = (),
) -> OrderRound:
    """The round of ``event`` (an ``ORDER`` the FDM signed); ``notes`` maps a line index to its notes,
    ``courses`` a line index to its course; ``held`` are the courses on hold when it is printed.

    Raises :class:`KitchenError` for an event that is not an order, an order not yet registered with
    the FDM, a line without a department, or an alias that is the employee number.
    """
    if event.kind is not EventKind.ORDER:
        raise KitchenError(f"{event.kind.value}: only an ORDER goes to the kitchen")
    if receipt is None:
        raise KitchenError("an order is sent to the kitchen only after the FDM registered it")
    alias = waiter_alias.strip()
    if not alias or alias.replace(" ", "") == event.employee_id:
        raise KitchenError("waiter_alias: the ticket names the waiter by alias, never by INSZ/BIS")
    notes = notes or {}
    courses = courses or {}
    lines = []
    for index, line in enumerate(event.lines):
        if not line.department_id:
            raise KitchenError(f"line {index} ({line.name}): no department to route it to")
        lines.append(
            OrderLine(
                line.name,
                line.quantity,
                line.department_id,
                tuple(notes.get(index, ())),
                courses.get(index),
            )
        )
    table = event.cost_center.id if event.cost_center is not None else ""
    return OrderRound(
        table=table,
        round_number=round_number,
        ordered_at=event.pos_datetime,
        waiter_alias=alias,
        lines=tuple(lines),
        language=language,
        reference=receipt.reference,
        held=frozenset(held),
    )


def by_course(lines: Sequence[OrderLine]) -> list[tuple[int | None, tuple[OrderLine, ...]]]:
    """The lines grouped by course: those without a course first, then course 1, 2... in entry order."""
    groups: dict[int | None, list[OrderLine]] = {}
    for line in lines:
        groups.setdefault(line.course, []).append(line)
    order = sorted(groups, key=lambda course: -1 if course is None else course)
    return [(course, tuple(groups[course])) for course in order]


def course_heading(t: TicketLanguage, course: int, *, held: bool = False) -> str:
    """``Course 2`` or ``Course 2 - HOLD`` in the ticket language."""
    heading = f"{t('Course')} {course}"
    return f"{heading} - {t('HOLD')}" if held else heading


def kitchen_rows(order: OrderRound, station: str, lines: Sequence[OrderLine]) -> tuple[Row, ...]:
    """The rows of the ticket of ``station``: no amounts, and the not-valid line at the bottom."""
    t = TicketLanguage(order.language)
    rows = [Row("title", (station.upper(),))]
    if order.table:
        rows.append(Row("pair", (t("Table"), order.table)))
    rows.append(Row("pair", (t("Round"), str(order.round_number))))
    rows.append(Row("pair", (t("Time"), t.date_time(order.ordered_at))))
    rows.append(Row("pair", (t("Waiter"), order.waiter_alias)))
    rows.append(Row("rule"))
    for course, group in by_course(lines):
        if course is not None:
            rows.append(Row("text", (f"-- {course_heading(t, course, held=course in order.held)} --",)))
        for line in group:
            rows.append(Row("text", (f"{t.quantity(line.quantity)} x {line.description}",)))
            rows.extend(Row("text", (f"   > {note}",)) for note in line.notes)
    rows.append(Row("rule"))
    rows.append(Row("notice", (t(NOT_VALID),)))
    return tuple(rows)


def fire_rows(
    station: str, table: str, course: int, fired_at: datetime, waiter_alias: str, language: Lang
) -> tuple[Row, ...]:
    """The short ticket that tells a station to start a course it held: ``FIRE Course 2`` and the table."""
    t = TicketLanguage(language)
    rows = [Row("title", (station.upper(),)), Row("title", (f"{t('FIRE')} - {t('Course')} {course}",))]
    if table:
        rows.append(Row("pair", (t("Table"), table)))
    rows.append(Row("pair", (t("Time"), t.date_time(fired_at))))
    rows.append(Row("pair", (t("Waiter"), waiter_alias)))
    rows.append(Row("rule"))
    rows.append(Row("notice", (t(NOT_VALID),)))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class Station:
    """A kitchen or bar station: the name printed on top and the printer it prints on."""

    name: str
    printer: RowPrinter = field(compare=False)


@dataclass(frozen=True, slots=True)
class RoundResult:
    """The stations printed by one call, and those whose printer was unavailable (to try again)."""

    printed: tuple[str, ...]
    failed: tuple[str, ...]


class KitchenRouter:
    """Routes the lines of an order round to stations by department: ``departments`` maps a department
    id to its :class:`Station`; lines of an unmapped department go to ``default`` (or are refused).

    ``printed`` holds the keys of station tickets already printed (the journal's set, to survive a
    restart), so a round is never printed twice on a station.
    """

    def __init__(
        self,
        departments: Mapping[str, Station],
        default: Station | None = None,
        printed: set[str] | None = None,
    ) -> None:
        self.departments = dict(departments)
        self.default = default
        self.printed: set[str] = printed if printed is not None else set()

    def route(self, order: OrderRound) -> dict[str, tuple[Station, tuple[OrderLine, ...]]]:
        """Station name -> (station, its lines), in the order stations first appear in the round."""
        routed: dict[str, tuple[Station, list[OrderLine]]] = {}
        for line in order.lines:
            station = self.departments.get(line.department_id, self.default)
            if station is None:
                raise KitchenError(f"department {line.department_id}: no station prints it")
            routed.setdefault(station.name, (station, []))[1].append(line)
        return {name: (station, tuple(lines)) for name, (station, lines) in routed.items()}

    @staticmethod
    def key(order: OrderRound, station: str) -> str:
        ref = order.reference
        return f"{ref.fdm_id}/{ref.event_label}/{ref.event_counter}/{ref.total_counter}/{station}"

    def print_round(self, order: OrderRound) -> RoundResult:
        """Print one ticket per station not yet printed for ``order``; offline stations are reported."""
        printed: list[str] = []
        failed: list[str] = []
        for name, (station, lines) in self.route(order).items():
            key = self.key(order, name)
            if key in self.printed:
                continue
            try:
                station.printer.print_rows(kitchen_rows(order, name, lines))
            except PrinterUnavailableError:
                failed.append(name)
                continue
            self.printed.add(key)
            printed.append(name)
        return RoundResult(tuple(printed), tuple(failed))


__all__ = [
    "KitchenError",
    "KitchenRouter",
    "OrderLine",
    "OrderRound",
    "RoundResult",
    "Station",
    "by_course",
    "course_heading",
    "fire_rows",
    "kitchen_rows",
    "order_round",
]
