"""Errors of the POS services besides the domain's: the FDM did not sign, the user may not act."""

from __future__ import annotations

from sce.fiscal.errors import UserAction


class FiscalBlockedError(Exception):
    """The FDM did not sign, so the action is not finished; the order and anything entered are kept.

    ``pending`` says the event waits (with its number) to be sent again with :meth:`Pos.retry_pending`;
    ``action`` is what the user must do first.
    """

    def __init__(self, message: str, action: UserAction, ticket_number: int | None, *, pending: bool) -> None:
        super().__init__(message)
        self.message = message
        self.action = action
        self.ticket_number = ticket_number
        self.pending = pending
