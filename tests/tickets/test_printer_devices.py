"""USB printer below the pyusb seam, paper status over a fake TCP printer, raster QR decoded back.

No USB device exists in the test environment: python-escpos's own ``Usb`` class runs unchanged and
``usb.core.find`` returns a fake pyusb device that records the bulk transfers and answers status reads.
The fake network printer answers the real-time paper status query ``DLE EOT 4`` with "paper out" first,
then "paper present".
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import zxingcpp
from escpos.printer import Dummy  # type: ignore[import-untyped]
from PIL import Image, ImageOps

from sce.tickets.printing import (
    EscposPrinter,
    PaperOutError,
    PrinterUnavailableError,
    PrintQueue,
    network_printer,
    usb_printer,
)
from tests.tickets.support import V2_URL, ticket
from tests.tickets.test_printing import CP858, CUT, DRAWER, EURO_CP858, INIT, _printed, _qr_payloads

PAPER_QUERY = b"\x10\x04\x04"
PAPER_OUT = b"\x72"  # bits 2-3 and 5-6 set: roll near end and paper end sensors
PAPER_OK = b"\x12"  # only the fixed bits: paper present
RASTER = b"\x1dv0"


@dataclass
class _FakeUsbDevice:
    """What python-escpos's ``Usb`` printer needs of a pyusb device; bulk writes are recorded."""

    status: list[bytes] = field(default_factory=list)
    written: bytearray = field(default_factory=bytearray)
    endpoints: set[int] = field(default_factory=set)
    configured: bool = False

    class backend:  # noqa: N801 - pyusb's attribute name
        pass

    def set_configuration(self) -> None:
        self.configured = True

    def reset(self) -> None:
        pass

    def write(self, endpoint: int, data: bytes, timeout: int) -> int:
        self.endpoints.add(endpoint)
        self.written.extend(data)
        return len(data)

    def read(self, endpoint: int, size: int) -> bytes:
        self.endpoints.add(endpoint)
        return self.status.pop(0) if self.status else PAPER_OK


@pytest.fixture
def usb_device(monkeypatch: pytest.MonkeyPatch) -> Iterator[_FakeUsbDevice]:
    device = _FakeUsbDevice()
    found: list[dict[str, Any]] = []

    def find(**match: Any) -> _FakeUsbDevice:
        found.append(match)
        return device

    monkeypatch.setattr("usb.core.find", find)
    monkeypatch.setattr("usb.util.dispose_resources", lambda _device: None)
    yield device
    assert found and all(match == {"idVendor": 0x04B8, "idProduct": 0x0202} for match in found)


def test_usb_printer_sends_the_same_bytes_as_any_other_printer(usb_device: _FakeUsbDevice) -> None:
    printer = usb_printer(0x04B8, 0x0202)
    printer.print_ticket(ticket("vat", 2, "nl"))
    data = bytes(usb_device.written)
    assert data == _printed("vat", 2, "nl")
    assert usb_device.configured
    assert usb_device.endpoints == {0x01}
    assert data.startswith(INIT + CP858) and data.endswith(CUT + b"\x00")
    assert EURO_CP858 + b" 52,00" in data
    assert _qr_payloads(data) == [V2_URL.encode("ascii")]


def test_usb_printer_kicks_the_drawer(usb_device: _FakeUsbDevice) -> None:
    usb_printer(0x04B8, 0x0202).open_drawer()
    assert bytes(usb_device.written).startswith(DRAWER)


def test_usb_printer_out_of_paper_gets_no_ticket_byte(usb_device: _FakeUsbDevice) -> None:
    usb_device.status = [PAPER_OUT]
    printer = usb_printer(0x04B8, 0x0202, check_paper=True)
    with pytest.raises(PaperOutError):
        printer.print_ticket(ticket("vat", 2, "nl"))
    assert bytes(usb_device.written) == PAPER_QUERY
    assert usb_device.endpoints == {0x01, 0x82}


def test_usb_printer_not_found_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("usb.core.find", lambda **_match: None)
    with pytest.raises(PrinterUnavailableError):
        usb_printer(0x04B8, 0x0202).print_ticket(ticket("vat", 2, "nl"))


class _StatusPrinter(socketserver.BaseRequestHandler):
    """Records each connection's bytes; answers every paper status query with the next scripted status."""

    def handle(self) -> None:
        server: _FakeStatusPrinter = self.server  # type: ignore[assignment]
        received = bytearray()
        answered = 0
        while chunk := self.request.recv(4096):
            received.extend(chunk)
            while received.count(PAPER_QUERY) > answered:
                answered += 1
                self.request.sendall(server.statuses.pop(0) if server.statuses else PAPER_OK)
        server.connections.append(bytes(received))


class _FakeStatusPrinter(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, statuses: list[bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _StatusPrinter)
        self.statuses = statuses
        self.connections: list[bytes] = []

    def wait_for(self, count: int) -> list[bytes]:
        for _ in range(200):
            if len(self.connections) >= count:
                break
            threading.Event().wait(0.02)
        return self.connections


@pytest.fixture
def status_printer() -> Iterator[_FakeStatusPrinter]:
    server = _FakeStatusPrinter([PAPER_OUT])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_queue_waits_for_paper_and_prints_the_ticket_exactly_once(status_printer: _FakeStatusPrinter) -> None:
    port = status_printer.server_address[1]
    queue = PrintQueue(network_printer("127.0.0.1", port=port, timeout=2.0, check_paper=True))
    sale = ticket("vat", 2, "fr")
    queue.submit(sale)
    assert queue.flush() == 0  # paper out: the ticket stays queued
    assert queue.pending == (sale,)
    assert status_printer.wait_for(1) == [PAPER_QUERY]
    assert queue.flush() == 1  # paper loaded
    assert queue.flush() == 0
    connections = status_printer.wait_for(2)
    expected = _printed("vat", 2, "fr")
    assert connections == [PAPER_QUERY, PAPER_QUERY + expected]
    assert b"".join(connections).count(expected) == 1
    assert EURO_CP858 in connections[1]
    assert _qr_payloads(connections[1]) == [V2_URL.encode("ascii")]


def _raster_image(data: bytes) -> Image.Image:
    """The ``GS v 0`` raster images in ``data``, stacked as one black-on-white picture."""
    parts: list[Image.Image] = []
    start = data.find(RASTER)
    while start >= 0:
        width_bytes = data[start + 4] + 256 * data[start + 5]  # GS v 0 m xL xH yL yH d1...dk
        height = data[start + 6] + 256 * data[start + 7]
        bits = data[start + 8 : start + 8 + width_bytes * height]
        inverted = bytes(255 - byte for byte in bits)  # ESC/POS: 1 prints black; PIL "1": 1 is white
        parts.append(Image.frombytes("1", (width_bytes * 8, height), inverted))
        start = data.find(RASTER, start + 8 + len(bits))
    assert parts, "no raster image in the ESC/POS data"
    picture = Image.new("1", (max(part.width for part in parts), sum(part.height for part in parts)), 1)
    top = 0
    for part in parts:
        picture.paste(part, (0, top))
        top += part.height
    return picture


def test_qr_sent_as_a_raster_image_decodes_back_to_the_verification_url() -> None:
    device = Dummy()
    EscposPrinter(lambda: device, native_qr=False).print_ticket(ticket("vat", 2, "nl"))
    data: bytes = device.output
    assert _qr_payloads(data) == []
    picture = ImageOps.expand(_raster_image(data).convert("L"), border=24, fill=255)
    decoded = zxingcpp.read_barcodes(picture)
    assert [result.text for result in decoded] == [V2_URL]
    assert decoded[0].format == zxingcpp.BarcodeFormat.QRCode
