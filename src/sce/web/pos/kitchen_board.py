"""Kitchen and bar: stations from the configuration, "screen" printers whose output the web shows, and
the kitchen display board of rounds per station with their bump state.

A signed round (ORDER event) goes through :class:`~sce.tickets.kitchen.KitchenRouter` to one ticket per
station; each station ticket also becomes a card on the board until the kitchen bumps it. Bumps are
stored (``web_kitchen_bumps``); the board is rebuilt from the journal at start-up.

Courses: a card groups its lines by course. A course above the lowest course of the order not yet fired
is on HOLD until the waiter fires it; a fire is stored (``course_fires``, one row per order and course,
so firing twice changes nothing and a restarted server still knows it), prints a FIRE ticket on the
stations that hold lines of that course and shows "FIRE course N - table X" on the display.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from sce.db import tables as t
from sce.db.store import utc_now
from sce.domain.errors import DomainError
from sce.domain.orders import MAX_COURSE, held_courses
from sce.journal.codec import event_from_json, receipt_from_json
from sce.pos.signer import Signed
from sce.tickets.i18n import parse_language
from sce.tickets.kitchen import (
    KitchenError,
    KitchenRouter,
    Station,
    by_course,
    fire_rows,
    kitchen_rows,
    order_round,
)
from sce.tickets.layout import Row
from sce.tickets.printer_spec import open_printer, parse_printer
from sce.tickets.printing import RowPrinter
from sce.tickets.render_text import render_rows
from sce.web.pos.device_queue import QueuedDevice, StationJobs
from sce.web.pos.idempotency import web_kitchen_bumps

if TYPE_CHECKING:
    from sce.fiscal.port import FiscalEvent, FiscalReceipt
    from sce.pos.service import Pos

log = logging.getLogger(__name__)
metadata = MetaData()

#: Created by migration 0005.
course_fires = Table(
    "course_fires",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("course", Integer, primary_key=True),
    Column("table_id", String(64), nullable=False),
    Column("fired_at", String(40), nullable=False),
    Column("employee_id", String(11), nullable=False),
)

MAX_JOBS = 50
#: Printed station jobs are kept this long.
KEEP_PRINTED_JOBS = timedelta(days=31)
BOARD_SIZE = 200
DEFAULT_STATIONS = ({"id": "KITCHEN", "name": "Kitchen", "departments": [], "printer": "screen"},)


class ScreenPrinter:
    """A printer whose tickets are kept as text for the screen (the demo's kitchen and bar printers)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.jobs: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def print_rows(self, rows: Sequence[Row]) -> None:
        self._keep(render_rows(rows, 42))

    def _keep(self, text: str) -> None:
        with self._lock:
            self.jobs.append((utc_now(), text))
            del self.jobs[:-MAX_JOBS]


@dataclass
class Card:
    """One station ticket on the kitchen display."""

    key: str
    station: str
    table: str
    round_number: int
    at: str
    waiter: str
    lines: list[dict[str, Any]]
    training: bool = False
    bumped: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    order_id: str = ""
    fired: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Fired:
    """The answer of a fire: ``new`` is false when the course had been fired before."""

    order_id: str
    table: str
    course: int
    new: bool
    printed: tuple[str, ...] = ()


class KitchenBoard:
    """Stations, their screen printers and the cards of the kitchen display."""

    def __init__(self, pos: Pos, engine: Engine) -> None:
        self.pos = pos
        self.engine = engine
        self.printers: dict[str, ScreenPrinter] = {}
        self.devices: dict[str, QueuedDevice] = {}
        self.jobs = StationJobs(engine)
        self.cards: list[Card] = []
        self._printed: set[str] = set()
        self._lock = threading.Lock()

    def _printer(self, spec: str, screen: ScreenPrinter) -> RowPrinter:
        """The station's printer (:mod:`sce.tickets.printer_spec`: ``screen``, ``tcp:``, ``serial:``,
        ``usb:``). A device printer is fed by its own thread (:class:`QueuedDevice`, one per address), so a
        round never waits for it, and the screen keeps a copy. An address that is not one prints on the
        screen."""
        queued = self._device(spec)
        return screen if queued is None else _Both(queued, screen)

    def _device(self, spec: str) -> QueuedDevice | None:
        """The queued device of a printer address (one per address); None for the screen or a bad one."""
        try:
            parsed = parse_printer(spec)
        except DomainError:
            log.warning("station printer %r is not a printer address: printing on the screen", spec)
            return None
        with self._lock:
            queued = self.devices.get(parsed.text)
            if queued is None:
                device = open_printer(parsed)
                if device is None:
                    return None
                queued = self.devices[parsed.text] = QueuedDevice(parsed.text, device, jobs=self.jobs)
        return queued

    def device_status(self) -> list[dict[str, Any]]:
        """Each station device printer: the jobs waiting for it and its last error."""
        with self._lock:
            devices = list(self.devices.values())
        return [device.status() for device in devices]

    def close(self) -> None:
        with self._lock:
            devices, self.devices = list(self.devices.values()), {}
        for device in devices:
            device.close()

    def stations(self) -> list[dict[str, Any]]:
        with self.pos.store.tx() as tx:
            found = list(tx.items("station").values())
        return found or [dict(s) for s in DEFAULT_STATIONS]

    def _router(self) -> KitchenRouter:
        departments: dict[str, Station] = {}
        default: Station | None = None
        for body in self.stations():
            name = str(body.get("name") or body["id"])
            screen = self.printers.setdefault(name, ScreenPrinter(name))
            station = Station(name, self._printer(str(body.get("printer") or "screen"), screen))
            for department in body.get("departments", ()):
                departments[str(department)] = station
            if default is None or not body.get("departments"):
                default = station
        return KitchenRouter(departments, default, self._printed)

    def load(self) -> None:
        """Rebuild the board from the latest ORDER events of the journal (no printing), and hand the
        station jobs a stopped server left waiting back to their printers."""
        self.jobs.prune(KEEP_PRINTED_JOBS)
        for printer in dict.fromkeys(printer for printer, _seq, _rows in self.jobs.waiting()):
            self._device(printer)
        with self.engine.begin() as c:
            bumped = {str(r[0]) for r in c.execute(select(web_kitchen_bumps.c.item_key)).all()}
            rows = c.execute(
                select(t.journal.c.body)
                .where(t.journal.c.event_kind == "ORDER", t.journal.c.record_type == "event")
                .order_by(t.journal.c.seq.desc())
                .limit(BOARD_SIZE)
            ).all()
        records = [json.loads(r[0]) for r in reversed(rows)]
        for record in records:
            if not record.get("fdm"):
                continue
            event = event_from_json(record["event"])
            receipt = receipt_from_json(record["fdm"])
            pos = record.get("pos") or {}
            self._add(
                event,
                receipt,
                int(pos.get("round") or 0),
                None,
                print_it=False,
                order_id=str(pos.get("order_id") or ""),
            )
        with self._lock:
            for card in self.cards:
                card.bumped = card.key in bumped
                self._printed.add(card.key)

    def on_round(self, signed: Signed, notes: dict[int, Sequence[str]] | None = None) -> list[str]:
        """Print the station tickets of a signed round and put its cards on the board."""
        if signed.receipt is None:
            return []
        pos = signed.record.get("pos") or {}
        return self._add(
            signed.event,
            signed.receipt,
            int(pos.get("round") or 0),
            notes,
            print_it=True,
            order_id=str(pos.get("order_id") or ""),
        )

    def _order_courses(self, order_id: str, round_number: int) -> tuple[dict[int, int | None], set[int]]:
        """The course of each line of a round (by index) and every course of the order."""
        if not order_id:
            return {}, set()
        try:
            order = self.pos.order(order_id).order
        except DomainError:
            return {}, set()
        courses: dict[int, int | None] = {}
        if 1 <= round_number <= len(order.rounds):
            courses = {i: line.course for i, line in enumerate(order.rounds[round_number - 1].lines)}
        return courses, set(order.courses())

    def fired(self, order_ids: Collection[str]) -> dict[str, set[int]]:
        """The courses fired per order (from the database: they survive a restart)."""
        found: dict[str, set[int]] = {order_id: set() for order_id in order_ids}
        if not found:
            return found
        with self.engine.begin() as c:
            rows = c.execute(
                select(course_fires.c.order_id, course_fires.c.course).where(
                    course_fires.c.order_id.in_(list(found))
                )
            ).all()
        for order_id, course in rows:
            found[str(order_id)].add(int(course))
        return found

    def fire(self, order_id: str, course: int, employee_id: str) -> Fired:
        """Fire a course of an order: stored once; the first fire prints a FIRE ticket on the stations
        that have lines of that course on the board. Firing it again changes nothing."""
        if isinstance(course, bool) or not isinstance(course, int) or not 1 <= course <= MAX_COURSE:
            raise DomainError("course", "OUT_OF_RANGE", f"a course is 1 to {MAX_COURSE}")
        order = self.pos.order(order_id).order
        if course not in order.courses():
            raise DomainError("course", "NOT_ON_ORDER", f"order {order_id} has no course {course}")
        table = order.cost_centre.id
        try:
            with self.engine.begin() as c:
                c.execute(
                    insert(course_fires).values(
                        order_id=order_id,
                        course=course,
                        table_id=table,
                        fired_at=utc_now(),
                        employee_id=employee_id,
                    )
                )
        except IntegrityError:
            return Fired(order_id, table, course, new=False)
        return Fired(order_id, table, course, new=True, printed=self._print_fire(order_id, table, course))

    def _print_fire(self, order_id: str, table: str, course: int) -> tuple[str, ...]:
        with self._lock:
            stations = list(
                dict.fromkeys(
                    card.station
                    for card in self.cards
                    if card.order_id == order_id and any(line.get("course") == course for line in card.lines)
                )
            )
        if not stations:
            return ()
        router = self._router()
        printers = {s.name: s for s in (*router.departments.values(), router.default) if s is not None}
        try:
            language = parse_language(self.pos.site().language.value)
        except ValueError:
            language = "nl"
        printed = []
        for name in stations:
            station = printers.get(name)
            if station is None:
                continue
            try:
                station.printer.print_rows(
                    fire_rows(name, table, course, self.pos.now(), self._waiter_of(order_id), language)
                )
            except Exception:
                log.warning("fire ticket for %s not printed on %s", order_id, name, exc_info=True)
                continue
            printed.append(name)
        return tuple(printed)

    def _waiter_of(self, order_id: str) -> str:
        with self._lock:
            waiters = [card.waiter for card in self.cards if card.order_id == order_id]
        return waiters[-1] if waiters else "?"

    def _alias(self, employee_id: str) -> str:
        try:
            with self.pos.store.tx() as tx:
                return self.pos.employee(tx, employee_id).alias
        except Exception:
            return "?"

    def _add(
        self,
        event: FiscalEvent,
        receipt: FiscalReceipt,
        round_number: int,
        notes: dict[int, Sequence[str]] | None,
        *,
        print_it: bool,
        order_id: str = "",
    ) -> list[str]:
        courses, order_courses = self._order_courses(order_id, round_number)
        held = held_courses(order_courses, self.fired([order_id]).get(order_id, set())) if courses else ()
        try:
            language = parse_language(event.language or "NL")
            made = order_round(
                event,
                receipt,
                round_number=round_number,
                waiter_alias=self._alias(event.employee_id),
                language=language,
                notes=notes,
                courses=courses,
                held=held,
            )
            router = self._router()
            routed = router.route(made)
        except (KitchenError, ValueError):
            return []
        printed: list[str] = []
        with self._lock:
            if print_it:
                printed = list(router.print_round(made).printed)
            known = {card.key for card in self.cards}
            for name, (_station, lines) in routed.items():
                key = KitchenRouter.key(made, name)
                if key in known:
                    continue
                self.cards.append(
                    Card(
                        key,
                        name,
                        made.table,
                        round_number,
                        made.ordered_at.isoformat(timespec="seconds"),
                        made.waiter_alias,
                        [
                            {
                                "quantity": str(line.quantity),
                                "name": line.description,
                                "notes": list(line.notes),
                                "course": line.course,
                                "held": line.course in made.held,
                            }
                            for _course, group in by_course(lines)
                            for line in group
                        ],
                        training=event.training,
                        order_id=order_id,
                    )
                )
            del self.cards[:-BOARD_SIZE]
        return printed

    def preview(self, made: Any, station: str) -> str:
        return render_rows(kitchen_rows(made, station, made.lines), 42)

    def bump(self, key: str, employee_id: str) -> Card:
        with self._lock:
            card = next((c for c in self.cards if c.key == key), None)
        if card is None:
            raise DomainError("key", "NOT_FOUND", "no such kitchen ticket")
        try:
            with self.engine.begin() as c:
                c.execute(
                    insert(web_kitchen_bumps).values(
                        item_key=key, bumped_at=utc_now(), employee_id=employee_id
                    )
                )
        except IntegrityError:
            pass
        card.bumped = True
        return card

    def board(self, station: str | None = None, *, include_bumped: bool = False) -> list[Card]:
        """The cards of a station (all by default), with the HOLD state of their courses as it is now."""
        with self._lock:
            cards = [
                c
                for c in self.cards
                if (station is None or c.station == station) and (include_bumped or not c.bumped)
            ]
        coursed = [c for c in cards if c.order_id and any(line.get("course") for line in c.lines)]
        fired = self.fired({c.order_id for c in coursed})
        order_courses: dict[str, set[int]] = {}
        for card in coursed:
            if card.order_id not in order_courses:
                order_courses[card.order_id] = self._order_courses(card.order_id, 0)[1]
            held = held_courses(order_courses[card.order_id], fired[card.order_id])
            with self._lock:
                for line in card.lines:
                    line["held"] = line.get("course") in held
                card.fired = sorted(
                    {int(line["course"]) for line in card.lines if line.get("course") in fired[card.order_id]}
                )
        return cards

    def fire_notices(self, station: str | None = None) -> list[dict[str, Any]]:
        """The notices to show: one "FIRE course N - table X" per fired course with open cards here."""
        seen: dict[tuple[str, int], dict[str, Any]] = {}
        for card in self.board(station):
            for course in card.fired:
                seen.setdefault(
                    (card.order_id, course),
                    {
                        "order_id": card.order_id,
                        "table": card.table,
                        "course": course,
                        "text": fire_notice(course, card.table),
                    },
                )
        return list(seen.values())


def fire_notice(course: int, table: str) -> str:
    """What the kitchen display says when a course is fired."""
    return f"FIRE course {course} \u2013 table {table}"


def course_groups(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A card's lines by course (no course first, no heading), with their HOLD state."""
    groups: dict[int | None, list[dict[str, Any]]] = {}
    for line in lines:
        groups.setdefault(line.get("course"), []).append(line)
    ordered = sorted(groups, key=lambda course: -1 if course is None else course)
    return [
        {
            "course": course,
            "held": any(line.get("held") for line in groups[course]),
            "lines": groups[course],
        }
        for course in ordered
    ]


class _Both:
    """Hands the job to the device's queue and keeps the screen copy."""

    def __init__(self, device: RowPrinter, screen: ScreenPrinter) -> None:
        self.device = device
        self.screen = screen

    def print_rows(self, rows: Sequence[Row]) -> None:
        self.device.print_rows(rows)
        self.screen.print_rows(rows)


def minutes_since(iso: str, now: datetime | None = None) -> int:
    moment = datetime.fromisoformat(iso)
    current = now or datetime.now(moment.tzinfo)
    return max(0, int((current - moment).total_seconds() // 60))
