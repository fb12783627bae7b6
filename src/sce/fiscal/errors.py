"""Generation-neutral FDM errors the POS handles: unreachable, protocol, refused, invalid request.

Each refusal carries a stable ``reason`` (for the catalogues that turn it into the user's language) and
says whether the POS may retry and what the user should do.
"""

from __future__ import annotations

from enum import Enum


class UserAction(Enum):
    """What the person at the till must do."""

    NONE = "none"
    ENTER_PIN = "enter_pin"
    CHECK_CONNECTION = "check_connection"
    CALL_SUPPORT = "call_support"
    INSERT_CARD = "insert_card"
    RESTART_FDM = "restart_fdm"
    UPLOAD_BUFFER = "upload_buffer"


class FiscalError(Exception):
    """Base of every error raised through the FiscalModule port."""

    reason = "fiscal_error"
    retryable = False
    action = UserAction.CALL_SUPPORT

    def __init__(self, message: str, *, code: str = "") -> None:
        self.code = code
        super().__init__(message)


class FiscalUnreachableError(FiscalError):
    """No answer from the FDM (cable, power, network). Nothing was signed that the POS knows of."""

    reason = "fdm_unreachable"
    retryable = True
    action = UserAction.CHECK_CONNECTION


class FiscalProtocolError(FiscalError):
    """The FDM answered, but not in a form the protocol allows."""

    reason = "fdm_protocol"
    retryable = True
    action = UserAction.RESTART_FDM


class FiscalRefusedError(FiscalError):
    """The FDM refused the event; nothing was signed."""

    reason = "fdm_refused"


class PinRequiredError(FiscalRefusedError):
    reason = "pin_required"
    action = UserAction.ENTER_PIN


class InvalidPinError(FiscalRefusedError):
    reason = "pin_invalid"
    action = UserAction.ENTER_PIN


class CardBlockedError(FiscalRefusedError):
    reason = "card_blocked"
    action = UserAction.CALL_SUPPORT


class NoCardError(FiscalRefusedError):
    reason = "card_missing"
    action = UserAction.INSERT_CARD


class MemoryFullError(FiscalRefusedError):
    reason = "memory_full"
    action = UserAction.CALL_SUPPORT


class NotOperationalError(FiscalRefusedError):
    reason = "fdm_not_operational"
    action = UserAction.RESTART_FDM


class InvalidFiscalRequestError(FiscalError):
    """The request itself is wrong; it must never be re-sent unchanged."""

    reason = "invalid_request"
    action = UserAction.CALL_SUPPORT


class UnsupportedEventError(FiscalError):
    """This generation does not sign this kind of event (it is journaled only)."""

    reason = "unsupported_event"
    action = UserAction.NONE


class PinNotRequestedError(FiscalError):
    """A PIN may only be sent after the FDM asked for it (202) or refused one (204)."""

    reason = "pin_not_requested"
    action = UserAction.NONE
