"""Tickets: one model of what the customer receives, rendered to text, HTML and PDF in NL, FR, DE or EN.

Also X/Z reports (``reports``), kitchen/bar tickets (``kitchen``), ESC/POS printing (``printing``) and
the e-mailed digital ticket (``mail``).
"""

from sce.tickets.model import (
    ControlData,
    Ticket,
    TicketError,
    TicketKind,
    TicketLine,
    TicketPayment,
    TicketSettings,
    TicketVatRow,
    build_ticket,
)

__all__ = [
    "ControlData",
    "Ticket",
    "TicketError",
    "TicketKind",
    "TicketLine",
    "TicketPayment",
    "TicketSettings",
    "TicketVatRow",
    "build_ticket",
]
