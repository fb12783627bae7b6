"""Each terminal's ticket printer behind a :class:`~sce.tickets.printing.PrintQueue`: the VAT ticket,
refund, copy and provisional bill are queued after the FDM signed them and printed once (a replayed
request never prints twice; a second print is a registered copy). In the demo, the printers are
"screen" printers whose paper is shown under Tickets → printers."""

from __future__ import annotations

import logging
import threading

from sce.tickets.model import Ticket, TicketError
from sce.tickets.printing import DuplicatePrintError, PrintQueue
from sce.tickets.render_text import render_text
from sce.web.pos.kitchen_board import ScreenPrinter

log = logging.getLogger(__name__)


class ScreenTicketPrinter(ScreenPrinter):
    """A screen printer that also takes whole tickets and kicks a (virtual) cash drawer."""

    def print_ticket(self, ticket: Ticket) -> None:
        self._keep(render_text(ticket))

    def open_drawer(self) -> None:
        self._keep("[cash drawer opened]")


class TerminalPrinters:
    """One print queue per terminal."""

    def __init__(self) -> None:
        self.queues: dict[str, PrintQueue] = {}
        self.printers: dict[str, ScreenTicketPrinter] = {}
        self._lock = threading.Lock()

    def _queue(self, terminal_id: str) -> PrintQueue:
        with self._lock:
            if terminal_id not in self.queues:
                printer = ScreenTicketPrinter(f"Terminal {terminal_id}")
                self.printers[terminal_id] = printer
                self.queues[terminal_id] = PrintQueue(printer)
            return self.queues[terminal_id]

    def print_ticket(self, terminal_id: str, ticket: Ticket) -> bool:
        """Queue and print; False when it was printed before (or cannot be printed)."""
        queue = self._queue(terminal_id)
        try:
            queue.submit(ticket)
        except (DuplicatePrintError, TicketError):
            return False
        queue.flush()
        return True

    def open_drawer(self, terminal_id: str) -> None:
        self._queue(terminal_id)
        self.printers[terminal_id].open_drawer()
