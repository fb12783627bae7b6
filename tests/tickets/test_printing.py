"""ESC/POS output captured from python-escpos's dummy printer and from a fake network printer on loopback."""

from __future__ import annotations

import os
import select
import socket
import socketserver
import threading
import tty
from collections.abc import Iterator

import pytest
from escpos.printer import Dummy  # type: ignore[import-untyped]

from sce.tickets.printing import EscposPrinter, PrinterUnavailableError, network_printer, serial_printer
from tests.tickets.support import V1_SIGNATURE, V2_SHORT, V2_URL, ticket

INIT = b"\x1b@"
CP858 = b"\x1bt\x13"
EURO_CP858 = b"\xd5"
CUT = b"\x1dV"
DRAWER = b"\x1bp"
QR_STORE = b"\x1d(k"


def _qr_payloads(data: bytes) -> list[bytes]:
    """The data of every native QR 'store' command (GS ( k pL pH 49 80 48 d1...dk) in ``data``."""
    payloads = []
    start = data.find(QR_STORE)
    while start >= 0:
        length = data[start + 3] + 256 * data[start + 4]
        if data[start + 5 : start + 8] == b"1P0":
            payloads.append(data[start + 8 : start + 5 + length])
        start = data.find(QR_STORE, start + 1)
    return payloads


def _printed(kind: str, generation: int, lang: str = "nl", width: int = 42) -> bytes:
    device = Dummy()
    EscposPrinter(lambda: device, width).print_ticket(ticket(kind, generation, lang))  # type: ignore[arg-type]
    output: bytes = device.output
    return output


def test_vat_ticket_bytes_start_with_init_and_code_page_and_end_with_a_cut() -> None:
    data = _printed("vat", 2)
    assert data.startswith(INIT + CP858)
    assert data.endswith(CUT + b"\x00")


def test_euro_sign_and_accents_are_printed_in_code_page_858() -> None:
    nl = _printed("vat", 2, "nl")
    assert EURO_CP858 + b" 52,00" in nl
    fr = _printed("vat", 1, "fr")
    assert "Espèces".encode("cp858") in fr
    assert "CRÈME BRULÉE".encode("cp858") in fr


def test_sce2_vat_ticket_carries_one_qr_code_of_the_verification_url() -> None:
    data = _printed("vat", 2)
    assert _qr_payloads(data) == [V2_URL.encode("ascii")]
    assert b"\x1d(k\x03\x001E1" in data  # error correction level M
    assert V2_SHORT.encode() in data


def test_non_vat_tickets_print_no_qr_and_no_signature() -> None:
    for generation in (1, 2):
        data = _printed("pro_forma", generation)
        assert _qr_payloads(data) == []
        assert V1_SIGNATURE.encode() not in data
        assert V2_SHORT.encode() not in data
        assert b"DIT IS GEEN GELDIG BTW-KASTICKET" in data


def test_sce1_vat_ticket_prints_the_signature_and_no_qr() -> None:
    data = _printed("vat", 1)
    assert V1_SIGNATURE.encode() in data
    assert _qr_payloads(data) == []


def test_48_columns_lines_are_longer() -> None:
    assert b"-" * 48 in _printed("vat", 1, width=48)
    assert b"-" * 43 not in _printed("vat", 1, width=42)


def test_drawer_kick() -> None:
    device = Dummy()
    EscposPrinter(lambda: device).open_drawer()
    assert device.output.startswith(DRAWER)


def test_width_must_fit_the_paper() -> None:
    with pytest.raises(ValueError, match="width"):
        EscposPrinter(Dummy, 32)


class _Collector(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        chunks = []
        while chunk := self.request.recv(4096):
            chunks.append(chunk)
        self.server.received.append(b"".join(chunks))  # type: ignore[attr-defined]


class _FakePrinter(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Collector)
        self.received: list[bytes] = []


@pytest.fixture
def fake_printer() -> Iterator[_FakePrinter]:
    server = _FakePrinter()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_network_printer_receives_exactly_the_ticket_bytes(fake_printer: _FakePrinter) -> None:
    port = fake_printer.server_address[1]
    printer = network_printer("127.0.0.1", port=port)
    printer.print_ticket(ticket("vat", 2, "fr"))
    for _ in range(100):
        if fake_printer.received:
            break
        threading.Event().wait(0.05)
    assert fake_printer.received == [_printed("vat", 2, "fr")]
    assert _qr_payloads(fake_printer.received[0]) == [V2_URL.encode("ascii")]


def test_network_printer_that_is_off_raises_an_os_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printer = network_printer("127.0.0.1", port=port, timeout=1.0)
    with pytest.raises(PrinterUnavailableError, match="printer unavailable"):
        printer.print_ticket(ticket("vat", 2, "nl"))


def test_serial_printer_writes_the_ticket_bytes_to_the_port() -> None:
    controller, port = os.openpty()
    tty.setraw(controller)
    tty.setraw(port)
    received = bytearray()
    expected = _printed("vat", 2, "de")
    try:
        printer = serial_printer(os.ttyname(port), 115200, dsrdtr=False)
        printer.print_ticket(ticket("vat", 2, "de"))
        while len(received) < len(expected) and select.select([controller], [], [], 2.0)[0]:
            received.extend(os.read(controller, 65536))
    finally:
        os.close(port)
        os.close(controller)
    assert bytes(received) == expected
