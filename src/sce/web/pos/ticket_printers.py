"""Each terminal's ticket printer behind a :class:`~sce.tickets.printing.PrintQueue`: the VAT ticket,
refund, copy and provisional bill are queued after the FDM signed them and printed once (a replayed
request never prints twice; a second print is a registered copy).

A terminal's ``printer`` setting (:mod:`sce.tickets.printer_spec`) is ``screen`` (the paper is shown under
Tickets → printers, as in the demo) or an ESC/POS printer on the network, a serial port or USB, whose
prints the screen also keeps. Only a background thread writes to a device, so a sale never waits for a
printer; a ticket the printer could not take (offline, paper out) waits in its terminal's queue, in
order, and the thread tries again every few seconds; the printers page and
:meth:`TerminalPrinters.status` show what waits and why. The cash drawer hangs on the printer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

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


class TerminalPrinters:
    """One print queue per terminal, on the printer its configuration names.

    Screen printers print at once. A device printer is only ever written by the background thread
    (:meth:`retry`), so a request never waits for a printer that is slow or off: the request puts the
    ticket in the terminal's inbox and wakes the thread.
    """

    def __init__(self) -> None:
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
            if terminal_id not in self.devices:
                try:
                    queue.submit(ticket)
                except (DuplicatePrintError, TicketError):
                    return False
                queue.flush()
                return True
            self._inbox[terminal_id].append(ticket)
        self._wake.set()
        return True

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
                printed += queue.flush()
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
