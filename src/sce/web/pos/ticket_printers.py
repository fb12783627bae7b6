"""Each terminal's ticket printer behind a :class:`~sce.tickets.printing.PrintQueue`: the VAT ticket,
refund, copy, provisional bill and invoice are queued after the FDM signed them (an SCE 1.0 invoice once
journaled) and printed once (a replayed request never prints twice; a second print is a registered copy).

A terminal's ``printer`` setting (:mod:`sce.tickets.printer_spec`) is ``screen`` (the paper is shown under
Tickets → printers, as in the demo) or an ESC/POS printer on the network, a serial port or USB, whose
prints the screen also keeps. Only a background thread writes to a device, so a sale never waits for a
printer; a ticket the printer could not take (offline, paper out) waits in its terminal's queue, in
order, and the thread tries again every few seconds; the printers page and
:meth:`TerminalPrinters.status` show what waits and why. Each job is recorded (``ticket_print_jobs``):
a ticket prints once even across restarts, and what waited when the server stopped is printed after the
start (:meth:`TerminalPrinters.resume`). The cash drawer hangs on the printer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import BigInteger, Column, Engine, MetaData, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from sce.db.store import utc_now
from sce.domain.errors import DomainError
from sce.tickets.model import Ticket, TicketError
from sce.tickets.printer_spec import SCREEN, PrinterSpec, open_printer, parse_printer
from sce.tickets.printing import (
    DuplicatePrintError,
    EscposPrinter,
    PrinterUnavailableError,
    PrintQueue,
    ticket_key,
)
from sce.tickets.render_text import render_text
from sce.web.pos.device_queue import prune_printed
from sce.web.pos.kitchen_board import ScreenPrinter

log = logging.getLogger(__name__)
RETRY_SECONDS = 3.0


class ScreenTicketPrinter(ScreenPrinter):
    """A screen printer that also takes whole tickets and kicks a (virtual) cash drawer."""

    def print_ticket(self, ticket: Ticket) -> None:
        self._keep(render_text(ticket))

    def open_drawer(self) -> None:
        self._keep("[cash drawer opened]")


class DeviceTicketPrinter:
    """The terminal's ESC/POS printer; the screen keeps a copy of each ticket the device printed."""

    def __init__(self, device: EscposPrinter, screen: ScreenTicketPrinter) -> None:
        self.device = device
        self.screen = screen
        self.last_error = ""

    def print_ticket(self, ticket: Ticket) -> None:
        try:
            self.device.print_ticket(ticket)
        except PrinterUnavailableError as error:
            self.last_error = str(error)
            raise
        self.last_error = ""
        self.screen.print_ticket(ticket)

    def open_drawer(self) -> None:
        try:
            self.device.open_drawer()
        except PrinterUnavailableError as error:
            self.last_error = str(error)
            raise
        self.screen.open_drawer()


metadata = MetaData()

#: Created by migration 0006.
ticket_print_jobs = Table(
    "ticket_print_jobs",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("terminal_id", String(40), nullable=False),
    Column("ticket_number", BigInteger, nullable=False),
    Column("queued_at", String(40), nullable=False),
    Column("printed_at", String(40)),
)


class PrintJobs:
    """The ``ticket_print_jobs`` table: each ticket handed to a terminal printer (by its print key) and
    when it printed. It keeps "printed once" across restarts and the waiting tickets of a printer that
    was off when the server stopped."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, key: str, terminal_id: str, ticket_number: int) -> bool:
        """Record a new job; False when the key was handed over before."""
        try:
            with self.engine.begin() as c:
                c.execute(
                    insert(ticket_print_jobs).values(
                        key=key, terminal_id=terminal_id, ticket_number=ticket_number, queued_at=utc_now()
                    )
                )
        except IntegrityError:
            return False
        return True

    def mark_printed(self, keys: Collection[str]) -> None:
        if not keys:
            return
        with self.engine.begin() as c:
            c.execute(
                update(ticket_print_jobs)
                .where(ticket_print_jobs.c.key.in_(list(keys)))
                .values(printed_at=utc_now())
            )

    def waiting(self) -> list[tuple[str, int]]:
        """(terminal, ticket number) of every job not printed, oldest first."""
        with self.engine.begin() as c:
            rows = c.execute(
                select(ticket_print_jobs.c.terminal_id, ticket_print_jobs.c.ticket_number)
                .where(ticket_print_jobs.c.printed_at.is_(None))
                .order_by(ticket_print_jobs.c.queued_at)
            ).all()
        return [(str(r[0]), int(r[1])) for r in rows]

    def prune(self, older_than: timedelta) -> int:
        """Forget printed jobs older than ``older_than`` (their tickets stay in the journal)."""
        return prune_printed(self.engine, ticket_print_jobs, older_than)


class TerminalPrinters:
    """One print queue per terminal, on the printer its configuration names.

    Screen printers print at once. A device printer is only ever written by the background thread
    (:meth:`retry`), so a request never waits for a printer that is slow or off: the request puts the
    ticket in the terminal's inbox and wakes the thread.
    """

    def __init__(
        self, jobs: PrintJobs | None = None, load_ticket: Callable[[int], Ticket] | None = None
    ) -> None:
        self.jobs = jobs
        self.load_ticket = load_ticket
        self.queues: dict[str, PrintQueue] = {}
        self.printers: dict[str, ScreenTicketPrinter] = {}
        self.devices: dict[str, DeviceTicketPrinter] = {}
        self.specs: dict[str, PrinterSpec] = {}
        self._inbox: dict[str, list[Ticket]] = {}
        self._seen: dict[str, set[str]] = {}
        self._lock = threading.RLock()  # the dictionaries and the screen printers
        self._flushing = threading.Lock()  # device I/O and printer changes, one at a time
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ----- configuration -----

    def configure(self, terminals: Mapping[str, Mapping[str, Any]]) -> list[str]:
        """Printers of the terminals' documents (``{"printer": ...}``); a terminal whose printer changed
        keeps its waiting tickets. The problems found (a bad address falls back to the screen)."""
        problems = []
        with self._flushing, self._lock:
            for terminal_id, body in terminals.items():
                try:
                    text = str(body.get("printer") or SCREEN)
                    spec = parse_printer(text, f"terminals.{terminal_id}.printer")
                except DomainError as error:
                    problems.append(str(error))
                    spec = parse_printer(SCREEN)
                if self.specs.get(terminal_id) != spec:
                    self._install(terminal_id, spec)
        for problem in problems:
            log.warning("ticket printer: %s", problem)
        return problems

    def _install(self, terminal_id: str, spec: PrinterSpec) -> None:
        screen = self.printers.setdefault(terminal_id, ScreenTicketPrinter(f"Terminal {terminal_id}"))
        device = open_printer(spec)
        printer: ScreenTicketPrinter | DeviceTicketPrinter = screen
        self.devices.pop(terminal_id, None)
        if device is not None:
            printer = self.devices[terminal_id] = DeviceTicketPrinter(device, screen)
        old = self.queues.get(terminal_id)
        queue = PrintQueue(printer, old.printed if old else None)
        for waiting in old.pending if old else ():
            queue.submit(waiting)
        self.queues[terminal_id] = queue
        self.specs[terminal_id] = spec
        self._inbox.setdefault(terminal_id, [])
        self._seen.setdefault(terminal_id, set())

    def _queue(self, terminal_id: str) -> PrintQueue:
        with self._lock:
            if terminal_id not in self.queues:
                self._install(terminal_id, parse_printer(SCREEN))
            return self.queues[terminal_id]

    # ----- printing -----

    def print_ticket(self, terminal_id: str, ticket: Ticket) -> bool:
        """Print (screen) or hand to the printer thread (device); False when the ticket was printed or
        handed over before: a second print is a registered copy."""
        key = ticket_key(ticket)
        with self._lock:
            queue = self._queue(terminal_id)
            if key in self._seen[terminal_id]:
                return False
            self._seen[terminal_id].add(key)
            if self.jobs is not None and not self.jobs.add(key, terminal_id, ticket.ticket_number):
                return False
            if terminal_id not in self.devices:
                try:
                    queue.submit(ticket)
                except (DuplicatePrintError, TicketError):
                    return False
                queue.flush()
                if self.jobs is not None and key in queue.printed:
                    self.jobs.mark_printed([key])
                return True
            self._inbox[terminal_id].append(ticket)
        self._wake.set()
        return True

    def resume(self) -> int:
        """Hand the jobs a stopped server left waiting back to their printers; the number resumed."""
        if self.jobs is None or self.load_ticket is None:
            return 0
        resumed = 0
        for terminal_id, ticket_number in self.jobs.waiting():
            try:
                ticket = self.load_ticket(ticket_number)
            except (DomainError, TicketError, KeyError, ValueError):
                log.warning(
                    "waiting ticket %s of %s cannot be rebuilt", ticket_number, terminal_id, exc_info=True
                )
                continue
            with self._lock:
                self._queue(terminal_id)
                key = ticket_key(ticket)
                if key in self._seen[terminal_id]:
                    continue
                self._seen[terminal_id].add(key)
                self._inbox[terminal_id].append(ticket)
                resumed += 1
        if resumed:
            self._wake.set()
        return resumed

    def retry(self) -> int:
        """Print what waits on every terminal's device printer, in order; the number printed."""
        printed = 0
        with self._flushing:
            with self._lock:
                work = []
                for terminal_id, queue in self.queues.items():
                    for ticket in self._inbox.get(terminal_id, []):
                        try:
                            queue.submit(ticket)
                        except DuplicatePrintError:
                            continue
                    self._inbox[terminal_id] = []
                    if queue.pending:
                        work.append(queue)
            for queue in work:  # device I/O, without holding the requests' lock
                before = set(queue.printed)
                printed += queue.flush()
                if self.jobs is not None:
                    self.jobs.mark_printed(queue.printed - before)
        return printed

    def open_drawer(self, terminal_id: str) -> None:
        """Kick the drawer on the terminal's printer; raises PrinterUnavailableError when it is offline."""
        with self._lock:
            self._queue(terminal_id)
            device = self.devices.get(terminal_id)
            if device is None:
                self.printers[terminal_id].open_drawer()
                return
        with self._flushing:
            device.open_drawer()

    def status(self) -> list[dict[str, Any]]:
        """Per terminal: the printer, the tickets waiting for it and the last error."""
        with self._lock:
            return [
                {
                    "terminal_id": terminal_id,
                    "printer": self.specs[terminal_id].text,
                    "waiting": [t.ticket_number for t in (*queue.pending, *self._inbox.get(terminal_id, []))],
                    "error": self.devices[terminal_id].last_error if terminal_id in self.devices else "",
                }
                for terminal_id, queue in sorted(self.queues.items())
            ]

    # ----- the printer thread -----

    def start(self, interval: float = RETRY_SECONDS) -> None:
        """The thread that writes to device printers: at once when a ticket comes, else every
        ``interval`` seconds while tickets wait."""
        if self._thread is not None:
            return
        self._stop.clear()

        def run() -> None:
            while not self._stop.is_set():
                self._wake.wait(interval)
                self._wake.clear()
                if self._stop.is_set():
                    return
                try:
                    printed = self.retry()
                except Exception:  # a printer problem must never stop the printing
                    log.exception("ticket printer failed")
                    continue
                if printed:
                    log.info("ticket printers: %d tickets printed", printed)

        self._thread = threading.Thread(target=run, name="ticket-printers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
