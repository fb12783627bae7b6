"""PDF tickets (fpdf2) on an 80 mm roll-sized page with a built-in font and the QR code as an image.

The built-in PDF fonts use the Windows-1252 encoding, which has the euro sign and the accented letters
of NL, FR and DE; any other character is reduced to its base letter, else to ``?``.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from fpdf import FPDF

from sce.tickets.i18n import TicketLanguage
from sce.tickets.layout import Row, ticket_rows
from sce.tickets.model import Ticket
from sce.tickets.qr import qr_png

ENCODING = "windows-1252"
PAGE_WIDTH = 80.0
MARGIN = 4.0
LINE = 4.0
QR_SIZE = 36.0
FONT = "Helvetica"


def to_core_font(text: str) -> str:
    """``text`` with what Windows-1252 lacks reduced to a base letter or ``?`` (``€`` is kept)."""
    out: list[str] = []
    for char in text.replace("\u00a0", " ").replace("\u202f", " "):
        try:
            char.encode(ENCODING)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
            out.append(base or "?")
        else:
            out.append(char)
    return "".join(out)


def _height(rows: tuple[Row, ...]) -> float:
    lines = sum(3 if row.kind in ("title", "notice") else 2 if row.kind == "pair" else 1 for row in rows)
    qr = sum(QR_SIZE for row in rows if row.kind == "qr")
    return 2 * MARGIN + lines * LINE + qr + 20


def _draw(pdf: FPDF, row: Row, width: float) -> None:
    cells = tuple(to_core_font(cell) for cell in row.cells)
    if row.kind == "rule":
        y = pdf.get_y() + LINE / 2
        pdf.set_dash_pattern(dash=1, gap=1)
        pdf.line(MARGIN, y, MARGIN + width, y)
        pdf.set_dash_pattern()
        pdf.ln(LINE)
    elif row.kind in ("title", "notice"):
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(width, LINE + 1, cells[0], align="C", new_x="LMARGIN", new_y="NEXT")
    elif row.kind == "center":
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(width, LINE, cells[0], align="C", new_x="LMARGIN", new_y="NEXT")
    elif row.kind == "text":
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(width, LINE, cells[0], new_x="LMARGIN", new_y="NEXT")
    elif row.kind in ("pair", "total"):
        pdf.set_font(FONT, "B" if row.kind == "total" else "", 8)
        left, right = cells
        if pdf.get_string_width(left) + pdf.get_string_width(right) + 2 > width:
            pdf.multi_cell(width, LINE, left, new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(width, LINE, right, align="R", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.cell(width / 2, LINE, left)
            pdf.cell(width / 2, LINE, right, align="R", new_x="LMARGIN", new_y="NEXT")
    elif row.kind == "columns":
        pdf.set_font(FONT, "", 8)
        first = width * 0.12
        size = (width - first) / (len(cells) - 1)
        pdf.cell(first, LINE, cells[0])
        for cell in cells[1:]:
            pdf.cell(size, LINE, cell, align="R")
        pdf.ln(LINE)
    else:
        x = MARGIN + (width - QR_SIZE) / 2
        pdf.image(io.BytesIO(qr_png(row.cells[0])), x=x, w=QR_SIZE, h=QR_SIZE)
        pdf.set_font(FONT, "", 6)
        pdf.multi_cell(width, LINE - 1, cells[0], align="C", new_x="LMARGIN", new_y="NEXT")


def render_rows_pdf(rows: Sequence[Row], title: str, created: datetime, *, compress: bool = True) -> bytes:
    """Rows (of a ticket or report) as a one-page PDF, 80 mm wide, with ``title`` and creation date."""
    pdf = FPDF(unit="mm", format=(PAGE_WIDTH, _height(tuple(rows))))
    pdf.core_fonts_encoding = ENCODING
    pdf.set_compression(compress)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_page()
    width = PAGE_WIDTH - 2 * MARGIN
    for row in rows:
        _draw(pdf, row, width)
    pdf.set_title(to_core_font(title))
    pdf.set_creation_date(created if created.tzinfo else created.astimezone())
    return bytes(pdf.output())


def render_pdf(ticket: Ticket, *, compress: bool = True) -> bytes:
    """The ticket as a one-page PDF, 80 mm wide; ``compress=False`` leaves the text readable in the file."""
    t = TicketLanguage(ticket.language)
    title = t.title(ticket.labels[0], ticket.generation) if ticket.labels else ""
    return render_rows_pdf(
        ticket_rows(ticket), f"{title} {ticket.ticket_number}", ticket.pos_datetime, compress=compress
    )


__all__ = ["render_pdf", "render_rows_pdf", "to_core_font"]
