"""Printer addresses as the configuration writes them, and the ESC/POS printer each one opens.

``screen`` (no device: the web shows the paper), ``tcp:HOST`` or ``tcp:HOST:PORT`` (network printer, raw
port 9100 by default), ``serial:DEVICE`` or ``serial:DEVICE@BAUD`` (9600 by default), ``usb:VID:PID``
(hexadecimal vendor and product ids, as ``lsusb`` shows them). Any of them may end in ``/48`` for a
48-column paper roll (42 otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sce.domain.errors import DomainError
from sce.tickets.printing import NETWORK_PORT, EscposPrinter, network_printer, serial_printer, usb_printer
from sce.tickets.render_text import WIDTHS

SCREEN = "screen"
_TCP = re.compile(r"tcp:(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(?::(?P<port>\d{1,5}))?")
_SERIAL = re.compile(r"serial:(?P<device>/dev/[A-Za-z0-9_./\-]+)(?:@(?P<baud>\d{3,7}))?")
_USB = re.compile(r"usb:(?P<vendor>[0-9A-Fa-f]{4}):(?P<product>[0-9A-Fa-f]{4})")
EXAMPLES = "screen, tcp:HOST[:PORT], serial:/dev/DEVICE[@BAUD] or usb:VID:PID, optionally ending in /48"


@dataclass(frozen=True, slots=True)
class PrinterSpec:
    """One parsed printer address."""

    kind: str  # screen | tcp | serial | usb
    text: str
    width: int = 42
    host: str = ""
    port: int = NETWORK_PORT
    device: str = ""
    baudrate: int = 9600
    vendor_id: int = 0
    product_id: int = 0

    @property
    def is_screen(self) -> bool:
        return self.kind == SCREEN


def parse_printer(text: str, field: str = "printer") -> PrinterSpec:
    """The address ``text``; a :class:`DomainError` naming ``field`` when it is not one."""
    spec = (text or SCREEN).strip()
    address, width = spec, 42
    head, slash, tail = spec.rpartition("/")
    if slash and tail.isdigit() and head:
        address, width = head, int(tail)
        if width not in WIDTHS:
            raise DomainError(field, "PAPER_WIDTH", f"{width} columns: the paper takes {WIDTHS}")
    if address == SCREEN:
        return PrinterSpec(SCREEN, spec, width)
    if found := _TCP.fullmatch(address):
        port = int(found["port"] or NETWORK_PORT)
        if not 0 < port < 65536:
            raise DomainError(field, "INVALID_PORT", f"{port} is not a TCP port")
        return PrinterSpec("tcp", spec, width, host=found["host"].strip("[]"), port=port)
    if found := _SERIAL.fullmatch(address):
        return PrinterSpec("serial", spec, width, device=found["device"], baudrate=int(found["baud"] or 9600))
    if found := _USB.fullmatch(address):
        vendor, product = int(found["vendor"], 16), int(found["product"], 16)
        return PrinterSpec("usb", spec, width, vendor_id=vendor, product_id=product)
    raise DomainError(field, "INVALID_PRINTER", f"{text!r}: expected {EXAMPLES}")


def open_printer(spec: PrinterSpec, *, timeout: float = 5.0) -> EscposPrinter | None:
    """The ESC/POS printer of ``spec`` (connected per job); None for a screen printer."""
    if spec.kind == "tcp":
        return network_printer(spec.host, spec.port, spec.width, timeout, check_paper=False)
    if spec.kind == "serial":
        return serial_printer(spec.device, spec.baudrate, spec.width)
    if spec.kind == "usb":
        return usb_printer(spec.vendor_id, spec.product_id, spec.width, timeout=int(timeout * 1000))
    return None
