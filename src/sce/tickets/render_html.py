"""HTML tickets (Jinja2): the same rows as the printed ticket, with the QR code as an embedded PNG."""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, Template, select_autoescape

from sce.tickets.i18n import Lang, TicketLanguage
from sce.tickets.layout import Row, RowKind, ticket_rows
from sce.tickets.model import Ticket
from sce.tickets.qr import qr_png


@dataclass(frozen=True, slots=True)
class _Block:
    kind: RowKind
    cells: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    image: str = ""


@dataclass(slots=True)
class _Blocks:
    items: list[_Block] = field(default_factory=list)

    def add(self, row: Row) -> None:
        if row.kind == "columns":
            last = self.items[-1] if self.items else None
            if last is not None and last.kind == "columns":
                self.items[-1] = _Block("columns", rows=(*last.rows, row.cells))
            else:
                self.items.append(_Block("columns", rows=(row.cells,)))
        elif row.kind == "qr":
            data = base64.b64encode(qr_png(row.cells[0])).decode("ascii")
            self.items.append(_Block("qr", row.cells, image=f"data:image/png;base64,{data}"))
        else:
            self.items.append(_Block(row.kind, row.cells))


@functools.cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("sce.tickets", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("ticket.html")


def render_rows_html(rows: Iterable[Row], lang: Lang, title: str) -> str:
    """Rows (of a ticket or report) as a self-contained HTML page in ``lang``."""
    blocks = _Blocks()
    for row in rows:
        blocks.add(row)
    return _template().render(lang=lang, title=title, blocks=blocks.items)


def render_html(ticket: Ticket) -> str:
    """The ticket as a self-contained HTML page (for the screen and the body of a digital ticket)."""
    t = TicketLanguage(ticket.language)
    title = t.title(ticket.labels[0], ticket.generation) if ticket.labels else ""
    return render_rows_html(ticket_rows(ticket), ticket.language, title)
