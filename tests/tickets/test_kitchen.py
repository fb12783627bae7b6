"""Kitchen and bar tickets: a signed order round routed per department to one ticket per station."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from escpos.printer import Dummy  # type: ignore[import-untyped]

from sce.fiscal.port import EventKind, FiscalCostCenter, FiscalEvent, FiscalLine, FiscalReceipt
from sce.tickets.kitchen import KitchenError, KitchenRouter, OrderRound, Station, fire_rows, order_round
from sce.tickets.layout import Row
from sce.tickets.printing import EscposPrinter, PrinterUnavailableError, network_printer
from sce.tickets.render_text import render_rows
from tests.tickets.support import CEST, INSZ
from tests.tickets.test_printing import CUT, _FakePrinter


@dataclass
class _Recorder:
    """A row printer that keeps the text of every ticket; offline for the first ``failures`` jobs."""

    failures: int = 0
    tickets: list[str] = field(default_factory=list)

    def print_rows(self, rows: Sequence[Row]) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise PrinterUnavailableError("offline")
        self.tickets.append(render_rows(rows, 42))


def _event(**changes: object) -> FiscalEvent:
    event = FiscalEvent(
        kind=EventKind.ORDER,
        ticket_number=1001,
        pos_datetime=datetime(2024, 7, 29, 20, 15, 30, tzinfo=CEST),
        employee_id=INSZ,
        lines=(
            FiscalLine("Steak frites", Decimal(2), Decimal("24.50"), "B", department_id="10"),
            FiscalLine("Dry Martini", Decimal(3), Decimal("12.00"), "A", department_id="20"),
            FiscalLine("Dame blanche", Decimal(1), Decimal("8.50"), "B", department_id="11"),
        ),
        cost_center=FiscalCostCenter("5", "TABLE", "order-00043"),
        language="NL",
    )
    return replace(event, **changes)  # type: ignore[arg-type]


RECEIPT = FiscalReceipt(
    generation=2,
    fdm_id="FOD01000001",
    fdm_datetime=datetime(2024, 7, 29, 18, 15, 31, tzinfo=UTC),
    event_label="P",
    event_counter=9,
    total_counter=70,
    signature="c2lnbmVk",
    request="{}",
    reply="{}",
)


def _round(lang: str = "nl") -> OrderRound:
    return order_round(
        _event(),
        RECEIPT,
        round_number=3,
        waiter_alias="Maria",
        language=lang,  # type: ignore[arg-type]
        notes={0: ("saignant", "zonder saus"), 1: ("no ice",)},
    )


@pytest.fixture
def stations() -> tuple[_Recorder, _Recorder]:
    return _Recorder(), _Recorder()


def _router(kitchen: _Recorder, bar: _Recorder) -> KitchenRouter:
    kitchen_station, bar_station = Station("Keuken", kitchen), Station("Bar", bar)
    return KitchenRouter({"10": kitchen_station, "11": kitchen_station, "20": bar_station})


def test_one_ticket_per_station_with_only_its_lines(stations: tuple[_Recorder, _Recorder]) -> None:
    kitchen, bar = stations
    result = _router(kitchen, bar).print_round(_round())
    assert result.printed == ("Keuken", "Bar")
    assert result.failed == ()
    assert len(kitchen.tickets) == 1 and len(bar.tickets) == 1
    assert "2 x Steak frites" in kitchen.tickets[0]
    assert "1 x Dame blanche" in kitchen.tickets[0]
    assert "Dry Martini" not in kitchen.tickets[0]
    assert "3 x Dry Martini" in bar.tickets[0]
    assert "Steak frites" not in bar.tickets[0]


def test_kitchen_ticket_shows_table_round_time_waiter_notes_and_no_amount(
    stations: tuple[_Recorder, _Recorder],
) -> None:
    kitchen, bar = stations
    _router(kitchen, bar).print_round(_round())
    text = kitchen.tickets[0]
    lines = text.splitlines()
    assert lines[0].strip() == "KEUKEN"
    assert any(line.startswith("Tafel") and line.endswith(" 5") for line in lines)
    assert any(line.startswith("Ronde") and line.endswith(" 3") for line in lines)
    assert any(line.startswith("Tijd") and line.endswith("29/07/2024 20:15:30") for line in lines)
    assert any(line.startswith("Ober") and line.endswith("Maria") for line in lines)
    assert "   > saignant" in lines and "   > zonder saus" in lines
    assert "   > no ice" in bar.tickets[0]
    for ticket_text in (text, bar.tickets[0]):
        assert "24,50" not in ticket_text and "12,00" not in ticket_text and "€" not in ticket_text
        assert INSZ not in ticket_text
        assert ticket_text.rstrip().endswith("DIT IS GEEN GELDIG BTW-KASTICKET")


def test_kitchen_ticket_speaks_the_language_of_the_round() -> None:
    bar = _Recorder()
    KitchenRouter({}, default=Station("Bar", bar)).print_round(_round("fr"))
    assert "Serveur" in bar.tickets[0] and "Tournée" in bar.tickets[0]
    assert "CECI N'EST PAS UN TICKET DE CAISSE TVA" in bar.tickets[0]


def test_offline_station_is_retried_and_no_station_prints_twice() -> None:
    kitchen, bar = _Recorder(), _Recorder(failures=1)
    router = _router(kitchen, bar)
    order = _round()
    first = router.print_round(order)
    assert first.printed == ("Keuken",) and first.failed == ("Bar",)
    second = router.print_round(order)
    assert second.printed == ("Bar",) and second.failed == ()
    assert router.print_round(order).printed == ()
    assert len(kitchen.tickets) == 1 and len(bar.tickets) == 1


def test_unmapped_department_goes_to_the_default_station_or_is_refused() -> None:
    kitchen, bar = _Recorder(), _Recorder()
    with pytest.raises(KitchenError, match="department 11"):
        KitchenRouter({"10": Station("Keuken", kitchen), "20": Station("Bar", bar)}).route(_round())
    router = KitchenRouter({"20": Station("Bar", bar)}, default=Station("Keuken", kitchen))
    routed = router.route(_round())
    assert [line.description for line in routed["Keuken"][1]] == ["Steak frites", "Dame blanche"]


def test_only_a_signed_order_with_departments_is_routed() -> None:
    with pytest.raises(KitchenError, match="after the FDM"):
        order_round(_event(), None, round_number=1, waiter_alias="Maria", language="nl")
    with pytest.raises(KitchenError, match="only an ORDER"):
        order_round(_event(kind=EventKind.SALE), RECEIPT, round_number=1, waiter_alias="Maria", language="nl")
    no_department = (FiscalLine("Soep", Decimal(1), Decimal(5), "B"),)
    with pytest.raises(KitchenError, match="no department"):
        order_round(_event(lines=no_department), RECEIPT, round_number=1, waiter_alias="Maria", language="nl")
    with pytest.raises(KitchenError, match="INSZ"):
        order_round(_event(), RECEIPT, round_number=1, waiter_alias=INSZ, language="nl")


@pytest.fixture
def bar_printer() -> Iterator[_FakePrinter]:
    server = _FakePrinter()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_stations_on_real_escpos_printers_get_their_own_bytes(bar_printer: _FakePrinter) -> None:
    kitchen_device = Dummy()
    kitchen = Station("Keuken", EscposPrinter(lambda: kitchen_device))
    bar = Station("Bar", network_printer("127.0.0.1", port=bar_printer.server_address[1]))
    result = KitchenRouter({"10": kitchen, "11": kitchen, "20": bar}).print_round(_round())
    assert result.printed == ("Keuken", "Bar")
    for _ in range(100):
        if bar_printer.received:
            break
        threading.Event().wait(0.05)
    kitchen_bytes: bytes = kitchen_device.output
    assert b"2 x Steak frites" in kitchen_bytes and b"Dry Martini" not in kitchen_bytes
    assert kitchen_bytes.endswith(CUT + b"\x00")
    assert len(bar_printer.received) == 1
    assert b"3 x Dry Martini" in bar_printer.received[0] and b"Steak" not in bar_printer.received[0]


def _coursed_round(held: frozenset[int] = frozenset({2})) -> OrderRound:
    event = _event(
        lines=(
            FiscalLine("Tomatensoep", Decimal(2), Decimal("7.50"), "B", department_id="10"),
            FiscalLine("Steak frites", Decimal(2), Decimal("24.50"), "B", department_id="10"),
            FiscalLine("Brood", Decimal(1), Decimal("2.00"), "B", department_id="10"),
            FiscalLine("Dame blanche", Decimal(1), Decimal("8.50"), "B", department_id="11"),
            FiscalLine("Kroket", Decimal(1), Decimal("9.00"), "B", department_id="10"),
        )
    )
    return order_round(
        event,
        RECEIPT,
        round_number=1,
        waiter_alias="Maria",
        language="en",
        notes={1: ("saignant",)},
        courses={0: 1, 1: 2, 3: 3, 4: 1},
        held=held,
    )


def test_kitchen_ticket_groups_lines_by_course_and_marks_held_courses() -> None:
    kitchen = _Recorder()
    KitchenRouter({}, default=Station("Kitchen", kitchen)).print_round(_coursed_round(frozenset({2, 3})))
    lines = kitchen.tickets[0].splitlines()
    body = lines[lines.index("-" * 42) + 1 :]
    body = body[: body.index("-" * 42)]
    assert body == [
        "1 x Brood",
        "-- Course 1 --",
        "2 x Tomatensoep",
        "1 x Kroket",
        "-- Course 2 - HOLD --",
        "2 x Steak frites",
        "   > saignant",
        "-- Course 3 - HOLD --",
        "1 x Dame blanche",
    ]


def test_a_fired_course_has_no_hold_and_the_headings_speak_the_language() -> None:
    kitchen = _Recorder()
    made = replace(_coursed_round(frozenset({3})), language="nl")
    KitchenRouter({}, default=Station("Keuken", kitchen)).print_round(made)
    text = kitchen.tickets[0]
    assert "-- Gang 1 --" in text and "-- Gang 2 --" in text and "-- Gang 3 - WACHTEN --" in text
    assert "Course" not in text and "HOLD" not in text
    assert text.index("1 x Brood") < text.index("-- Gang 1 --") < text.index("2 x Tomatensoep")


def test_a_round_without_courses_has_no_course_heading() -> None:
    kitchen = _Recorder()
    KitchenRouter({}, default=Station("Keuken", kitchen)).print_round(_round("en"))
    assert "Course" not in kitchen.tickets[0]


def test_fire_ticket_names_the_course_and_the_table() -> None:
    text = render_rows(
        fire_rows("Kitchen", "5", 2, datetime(2024, 7, 29, 18, 40, tzinfo=UTC), "Maria", "en"), 42
    )
    assert "FIRE - Course 2" in text
    assert any(line.startswith("Table") and line.endswith(" 5") for line in text.splitlines())
    assert "29/07/2024 20:40:00" in text
    assert text.rstrip().endswith("THIS IS NOT A VALID VAT TICKET")
    fr = render_rows(
        fire_rows("Cuisine", "5", 3, datetime(2024, 7, 29, 18, 40, tzinfo=UTC), "Maria", "fr"), 42
    )
    assert "RÉCLAME - Service 3" in fr
