"""Plain-text tickets for 42- and 48-column receipt printers (and for the golden test files)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from sce.tickets.layout import Row, ticket_rows
from sce.tickets.model import Ticket

WIDTHS = (42, 48)
_VAT_LETTER_WIDTH = 4


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _pair(left: str, right: str, width: int) -> list[str]:
    if len(left) + 1 + len(right) <= width:
        return [left + " " * (width - len(left) - len(right)) + right]
    lines = _wrap(left, width)
    if len(lines[-1]) + 1 + len(right) <= width:
        last = lines.pop()
        return [*lines, last + " " * (width - len(last) - len(right)) + right]
    return [*lines, *(line.rjust(width) for line in _wrap(right, width))]


def _columns(cells: tuple[str, ...], width: int) -> list[str]:
    """The first cell left, the others right-aligned in equal columns; wrapped rather than cut."""
    first, rest = cells[0], cells[1:]
    size = (width - _VAT_LETTER_WIDTH) // len(rest)
    if len(first) > _VAT_LETTER_WIDTH or any(len(cell) >= size for cell in rest):
        return _wrap("  ".join(cells), width)
    lead = width - size * len(rest)
    return [first.ljust(lead) + "".join(cell.rjust(size) for cell in rest)]


def render_row(row: Row, width: int) -> list[str]:
    """The text lines of one row at ``width`` columns."""
    if row.kind == "rule":
        return ["-" * width]
    if row.kind in ("title", "notice", "center"):
        return [line.center(width).rstrip() for line in _wrap(row.cells[0], width)]
    if row.kind in ("text", "qr"):
        return _wrap(row.cells[0], width)
    if row.kind in ("pair", "total"):
        return _pair(row.cells[0], row.cells[1], width)
    return _columns(row.cells, width)


def render_rows(rows: Iterable[Row], width: int) -> str:
    """Rows (of a ticket, report or kitchen ticket) as text lines of at most ``width`` characters."""
    lines: list[str] = []
    for row in rows:
        lines.extend(render_row(row, width))
    return "\n".join(lines) + "\n"


def render_text(ticket: Ticket, width: int = 42) -> str:
    """The ticket as text lines of at most ``width`` characters, ending with a newline."""
    if width not in WIDTHS:
        raise ValueError(f"width: {width} is not one of {WIDTHS}")
    return render_rows(ticket_rows(ticket), width)
