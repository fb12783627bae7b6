"""Printer addresses of the configuration: every form parsed, every mistake named by field and rule."""

from __future__ import annotations

import pytest

from sce.domain.errors import DomainError
from sce.tickets.printer_spec import open_printer, parse_printer
from sce.tickets.printing import EscposPrinter


@pytest.mark.parametrize(
    ("text", "kind", "fields"),
    [
        ("screen", "screen", {"width": 42}),
        ("", "screen", {"width": 42}),
        ("screen/48", "screen", {"width": 48}),
        ("tcp:192.168.1.50", "tcp", {"host": "192.168.1.50", "port": 9100, "width": 42}),
        ("tcp:printer.local:9101/48", "tcp", {"host": "printer.local", "port": 9101, "width": 48}),
        ("tcp:[fe80::1]:9100", "tcp", {"host": "fe80::1", "port": 9100}),
        ("serial:/dev/ttyUSB0", "serial", {"device": "/dev/ttyUSB0", "baudrate": 9600}),
        ("serial:/dev/ttyS1@19200/48", "serial", {"device": "/dev/ttyS1", "baudrate": 19200, "width": 48}),
        ("usb:04b8:0202", "usb", {"vendor_id": 0x04B8, "product_id": 0x0202}),
    ],
)
def test_every_printer_address_is_read(text: str, kind: str, fields: dict[str, object]) -> None:
    spec = parse_printer(text)
    assert spec.kind == kind
    for name, value in fields.items():
        assert getattr(spec, name) == value, name
    printer = open_printer(spec)
    if kind == "screen":
        assert printer is None
    else:
        assert isinstance(printer, EscposPrinter) and printer.width == spec.width


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("lpt1", "INVALID_PRINTER"),
        ("tcp:", "INVALID_PRINTER"),
        ("tcp:host name", "INVALID_PRINTER"),
        ("tcp:printer:99999", "INVALID_PORT"),
        ("serial:COM1", "INVALID_PRINTER"),
        ("usb:4b8:202", "INVALID_PRINTER"),
        ("tcp:printer/40", "PAPER_WIDTH"),
    ],
)
def test_a_wrong_address_names_the_field_and_the_rule(text: str, rule: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_printer(text, "terminals.T1.printer")
    assert refused.value.field == "terminals.T1.printer"
    assert refused.value.rule == rule
