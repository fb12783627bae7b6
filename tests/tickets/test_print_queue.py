"""The print queue: a printer that is offline is tried again, and no ticket is printed twice."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

import pytest

from sce.tickets.model import Ticket
from sce.tickets.printing import (
    DuplicatePrintError,
    PrinterUnavailableError,
    PrintQueue,
    network_printer,
    ticket_key,
)
from tests.tickets.support import ticket
from tests.tickets.test_printing import _FakePrinter, _printed


@dataclass
class _FlakyPrinter:
    """Offline for the first ``failures`` prints, then prints by remembering the tickets."""

    failures: int
    printed: list[Ticket] = field(default_factory=list)

    def print_ticket(self, printed_ticket: Ticket) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise PrinterUnavailableError("offline")
        self.printed.append(printed_ticket)

    def open_drawer(self) -> None:
        raise AssertionError("not used")


def test_offline_printer_is_retried_and_prints_each_ticket_once() -> None:
    printer = _FlakyPrinter(failures=2)
    queue = PrintQueue(printer)
    sale, order = ticket("vat", 2, "nl"), ticket("pro_forma", 1, "nl")
    queue.submit(sale)
    queue.submit(order)
    assert queue.flush() == 0
    assert queue.flush() == 0
    assert queue.pending == (sale, order)
    assert queue.flush() == 2
    assert printer.printed == [sale, order]
    assert queue.flush() == 0
    assert printer.printed == [sale, order]


def test_a_ticket_is_never_queued_twice() -> None:
    queue = PrintQueue(_FlakyPrinter(failures=0))
    sale = ticket("vat", 2, "nl")
    queue.submit(sale)
    with pytest.raises(DuplicatePrintError):
        queue.submit(sale)
    queue.flush()
    with pytest.raises(DuplicatePrintError, match="registered copy"):
        queue.submit(sale)


def test_a_registered_copy_is_another_print() -> None:
    sale, copy = ticket("vat", 2, "nl"), ticket("copy", 2, "nl")
    assert ticket_key(sale) != ticket_key(copy)
    printer = _FlakyPrinter(failures=0)
    queue = PrintQueue(printer, printed={ticket_key(sale)})
    queue.submit(copy)
    assert queue.flush() == 1
    assert printer.printed == [copy]


def test_network_printer_that_comes_back_gets_the_ticket_once() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    queue = PrintQueue(network_printer("127.0.0.1", port=port, timeout=1.0))
    queue.submit(ticket("vat", 1, "de"))
    assert queue.flush() == 0
    server = _FakePrinter(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert queue.flush() == 1
        for _ in range(100):
            if server.received:
                break
            threading.Event().wait(0.05)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert server.received == [_printed("vat", 1, "de")]
    assert queue.pending == ()
