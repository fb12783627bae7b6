"""Kitchen and bar: stations from the configuration, "screen" printers whose output the web shows, and
the kitchen display board of rounds per station with their bump state.

A signed round (ORDER event) goes through :class:`~sce.tickets.kitchen.KitchenRouter` to one ticket per
station; each station ticket also becomes a card on the board until the kitchen bumps it. Bumps are
stored (``web_kitchen_bumps``); the board is rebuilt from the journal at start-up.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from sce.db import tables as t
from sce.db.store import utc_now
from sce.domain.errors import DomainError
from sce.journal.codec import event_from_json, receipt_from_json
from sce.pos.signer import Signed
from sce.tickets.i18n import parse_language
from sce.tickets.kitchen import KitchenError, KitchenRouter, Station, kitchen_rows, order_round
from sce.tickets.layout import Row
from sce.tickets.printing import RowPrinter, network_printer
from sce.tickets.render_text import render_rows
from sce.web.pos.idempotency import web_kitchen_bumps

if TYPE_CHECKING:
    from sce.fiscal.port import FiscalEvent, FiscalReceipt
    from sce.pos.service import Pos

MAX_JOBS = 50
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


class KitchenBoard:
    """Stations, their screen printers and the cards of the kitchen display."""

    def __init__(self, pos: Pos, engine: Engine) -> None:
        self.pos = pos
        self.engine = engine
        self.printers: dict[str, ScreenPrinter] = {}
        self.cards: list[Card] = []
        self._printed: set[str] = set()
        self._lock = threading.Lock()

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
            station = Station(name, _printer(str(body.get("printer") or "screen"), screen))
            for department in body.get("departments", ()):
                departments[str(department)] = station
            if default is None or not body.get("departments"):
                default = station
        return KitchenRouter(departments, default, self._printed)

    def load(self) -> None:
        """Rebuild the board from the latest ORDER events of the journal (no printing)."""
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
            self._add(event, receipt, int((record.get("pos") or {}).get("round") or 0), None, print_it=False)
        with self._lock:
            for card in self.cards:
                card.bumped = card.key in bumped
                self._printed.add(card.key)

    def on_round(self, signed: Signed, notes: dict[int, Sequence[str]] | None = None) -> list[str]:
        """Print the station tickets of a signed round and put its cards on the board."""
        if signed.receipt is None:
            return []
        round_number = int((signed.record.get("pos") or {}).get("round") or 0)
        return self._add(signed.event, signed.receipt, round_number, notes, print_it=True)

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
    ) -> list[str]:
        try:
            language = parse_language(event.language or "NL")
            made = order_round(
                event,
                receipt,
                round_number=round_number,
                waiter_alias=self._alias(event.employee_id),
                language=language,
                notes=notes,
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
                            }
                            for line in lines
                        ],
                        training=event.training,
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
        with self._lock:
            return [
                c
                for c in self.cards
                if (station is None or c.station == station) and (include_bumped or not c.bumped)
            ]


def _printer(spec: str, screen: ScreenPrinter) -> RowPrinter:
    """``screen`` or ``tcp:HOST:PORT`` (an ESC/POS network printer; the screen keeps a copy)."""
    if spec.startswith("tcp:"):
        host, _, port = spec[4:].rpartition(":")
        if host and port.isdigit():
            return _Both(network_printer(host, int(port)), screen)
    return screen


class _Both:
    """Prints on the device, then keeps the screen copy (only when the device printed)."""

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
