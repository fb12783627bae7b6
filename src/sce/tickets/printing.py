"""Printing tickets on ESC/POS receipt printers (python-escpos) behind a small printer interface.

:class:`EscposPrinter` draws the rows of a ticket (or of a report or kitchen ticket) on any python-escpos
device: a network printer (TCP port 9100), a USB printer, a serial printer or the in-memory dummy. Text
goes out in code page 858, which has the euro sign; the QR code of an SCE 2.0 VAT ticket is sent as the
printer's native QR command (or as a raster image for printers without one); the paper is cut after each
ticket and the cash drawer can be kicked. Before a job the paper sensor can be read with the real-time
status command ``DLE EOT 4``: a printer without paper gets no byte of the ticket.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from escpos.constants import QR_ECLEVEL_M  # type: ignore[import-untyped]
from escpos.escpos import Escpos  # type: ignore[import-untyped]
from escpos.exceptions import Error as EscposError  # type: ignore[import-untyped]
from escpos.printer import Network, Serial, Usb  # type: ignore[import-untyped]

from sce.tickets.layout import Row, ticket_rows
from sce.tickets.model import Ticket
from sce.tickets.render_text import WIDTHS, render_row

CODE_PAGE = "CP858"
QR_MODULE_SIZE = 6
NETWORK_PORT = 9100
#: USB bulk end points of most ESC/POS receipt printers.
USB_IN_ENDPOINT = 0x82
USB_OUT_ENDPOINT = 0x01
#: ``paper_status()`` of python-escpos: 0 no paper, 1 near end, 2 adequate.
PAPER_OUT = 0


class PrinterUnavailableError(Exception):
    """The printer could not be reached or refused the data; nothing can be assumed printed."""


class PaperOutError(PrinterUnavailableError):
    """The printer answered the paper status query with "paper out"; nothing of the job was sent."""


class RowPrinter(Protocol):
    """A printer that prints finished rows (tickets, reports, kitchen tickets) as one cut job."""

    def print_rows(self, rows: Sequence[Row]) -> None:
        """Print ``rows`` once, then cut the paper."""
        ...


class Printer(Protocol):
    """What the POS needs from a ticket printer."""

    def print_ticket(self, ticket: Ticket) -> None:
        """Print ``ticket`` once, then cut the paper."""
        ...

    def open_drawer(self) -> None:
        """Kick the cash drawer connected to the printer."""
        ...


class EscposPrinter:
    """A :class:`Printer` on python-escpos devices, ``width`` columns of font A (42 or 48).

    ``connect`` returns a device (network, USB, serial, dummy) for one job; it is closed after the job, so
    a printer that was offline is simply connected again for the next one. ``check_paper`` reads the
    paper sensor (``DLE EOT 4``) before sending anything and raises :class:`PaperOutError` when the roll is
    empty; ``native_qr=False`` sends the QR code as a raster image for printers without the QR command.
    """

    def __init__(
        self,
        connect: Callable[[], Escpos],
        width: int = 42,
        *,
        cut: bool = True,
        check_paper: bool = False,
        native_qr: bool = True,
    ) -> None:
        if width not in WIDTHS:
            raise ValueError(f"width: {width} is not one of {WIDTHS}")
        self.connect = connect
        self.width = width
        self.cut = cut
        self.check_paper = check_paper
        self.native_qr = native_qr

    def _job(self, work: Callable[[Escpos], None]) -> None:
        try:
            device = self.connect()
            try:
                work(device)
            finally:
                device.close()
        except (EscposError, OSError) as error:
            raise PrinterUnavailableError(f"printer unavailable: {error}") from error

    def print_ticket(self, ticket: Ticket) -> None:
        self.print_rows(ticket_rows(ticket))

    def print_rows(self, rows: Sequence[Row]) -> None:
        self._job(lambda device: self._print(device, rows))

    def _print(self, device: Escpos, rows: Sequence[Row]) -> None:
        if self.check_paper and device.paper_status() == PAPER_OUT:
            raise PaperOutError("printer unavailable: paper out")
        device.hw("INIT")
        device.charcode(CODE_PAGE)
        for row in rows:
            if row.kind == "qr":
                device.set(align="center")
                if self.native_qr:
                    device.qr(row.cells[0], ec=QR_ECLEVEL_M, native=True, size=QR_MODULE_SIZE)
                else:
                    device.qr(row.cells[0], ec=QR_ECLEVEL_M, size=QR_MODULE_SIZE)
                device.set(align="left")
                continue
            device.set(bold=row.kind in ("title", "notice", "total"))
            for line in render_row(row, self.width):
                device.textln(line)
        device.set(bold=False)
        if self.cut:
            device.cut()

    def open_drawer(self) -> None:
        self._job(lambda device: device.cashdraw(2))


def _opened(device: Escpos) -> Escpos:
    """``device`` with its connection open, so an unreachable printer fails before the job starts."""
    device.open()
    return device


def network_printer(
    host: str, port: int = NETWORK_PORT, width: int = 42, timeout: float = 5.0, *, check_paper: bool = False
) -> EscposPrinter:
    """A printer reached over TCP (raw port 9100), connected for each job."""
    return EscposPrinter(lambda: Network(host, port=port, timeout=timeout), width, check_paper=check_paper)


def usb_printer(
    vendor_id: int,
    product_id: int,
    width: int = 42,
    *,
    timeout: int = 5000,
    in_ep: int = USB_IN_ENDPOINT,
    out_ep: int = USB_OUT_ENDPOINT,
    check_paper: bool = False,
) -> EscposPrinter:
    """A printer on USB found by its vendor and product id (pyusb), opened for each job.

    ``timeout`` is the USB transfer time limit in milliseconds; ``in_ep``/``out_ep`` are the bulk end
    points of the printer's interface.
    """
    return EscposPrinter(
        lambda: _opened(Usb(vendor_id, product_id, timeout=timeout, in_ep=in_ep, out_ep=out_ep)),
        width,
        check_paper=check_paper,
    )


def serial_printer(
    devfile: str, baudrate: int = 9600, width: int = 42, *, dsrdtr: bool = True, check_paper: bool = False
) -> EscposPrinter:
    """A printer on a serial port (``/dev/ttyS0``, ``/dev/ttyUSB0``), opened for each job.

    ``dsrdtr`` selects DSR/DTR hardware flow control; ``False`` selects RTS/CTS.
    """
    return EscposPrinter(
        lambda: Serial(devfile=devfile, baudrate=baudrate, dsrdtr=dsrdtr), width, check_paper=check_paper
    )


class DuplicatePrintError(Exception):
    """The ticket was already printed or is waiting; a second print must be a registered copy."""


def ticket_key(ticket: Ticket) -> str:
    """What makes a print unique: the FDM's reference of a signed ticket, else POS, terminal and number.

    A registered copy is signed as its own event, so its key differs from the original's.
    """
    control = ticket.control
    if control is not None:
        return f"{control.fdm_id}/{control.event_label}/{control.event_counter}/{control.total_counter}"
    settings = ticket.settings
    return (
        f"{settings.pos_production_number}/{settings.terminal_id}/{ticket.kind.value}/{ticket.ticket_number}"
    )


class PrintQueue:
    """Tickets waiting for one printer, printed in order and each at most once.

    A print that fails because the printer is offline stays first in the queue and is tried again by the
    next :meth:`flush`; ``printed`` holds the keys already printed (give the journal's set to keep it
    across restarts).
    """

    def __init__(self, printer: Printer, printed: set[str] | None = None) -> None:
        self.printer = printer
        self.printed: set[str] = printed if printed is not None else set()
        self._pending: list[tuple[str, Ticket]] = []

    @property
    def pending(self) -> tuple[Ticket, ...]:
        return tuple(ticket for _key, ticket in self._pending)

    def submit(self, ticket: Ticket) -> None:
        """Queue ``ticket``; raises :class:`DuplicatePrintError` if it was printed or queued before."""
        key = ticket_key(ticket)
        if key in self.printed or any(key == queued for queued, _ticket in self._pending):
            raise DuplicatePrintError(f"ticket {key} is printed once; print a registered copy instead")
        self._pending.append((key, ticket))

    def flush(self) -> int:
        """Print the waiting tickets in order until the printer fails; the number printed."""
        done = 0
        while self._pending:
            key, ticket = self._pending[0]
            try:
                self.printer.print_ticket(ticket)
            except PrinterUnavailableError:
                return done
            self.printed.add(key)
            self._pending.pop(0)
            done += 1
        return done
