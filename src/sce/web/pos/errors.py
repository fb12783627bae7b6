"""Turning the core's errors into HTTP answers with plain words and the action the user must take."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sce.domain.errors import DomainError
from sce.fiscal.errors import FiscalError, InvalidPinError, UserAction
from sce.pos.errors import FiscalBlockedError
from sce.web.pos.i18n import N_

#: What the person at the till reads for each action the FDM asks for.
ACTION_WORDS: dict[UserAction, str] = {
    UserAction.NONE: N_("Try again."),
    UserAction.ENTER_PIN: N_(
        "The fiscal data module is locked: enter the PIN of the VAT signing card (VSC) on the PIN pad; "
        "the waiting ticket is then sent again."
    ),
    UserAction.CHECK_CONNECTION: N_(
        "The fiscal data module does not answer: check its cable or network and its power, then press "
        "Retry. Nothing was signed."
    ),
    UserAction.CALL_SUPPORT: N_(
        "The fiscal data module refused the ticket: call your POS support. Meanwhile give the customer a "
        "manual receipt and record the incident."
    ),
    UserAction.INSERT_CARD: N_("No VAT signing card in the fiscal data module: insert it, then press Retry."),
    UserAction.RESTART_FDM: N_(
        "The fiscal data module answered wrongly: switch it off and on, then press Retry."
    ),
    UserAction.UPLOAD_BUFFER: N_(
        "The fiscal data module's buffer is full: it must send its data to the tax administration. Check "
        "its internet connection; selling is blocked until the buffer has room again."
    ),
}

WRONG_PIN = N_("Wrong VSC PIN: try again.")

#: Rules that mean "someone else changed it": HTTP 409.
CONFLICT_RULES = frozenset({"STALE_VERSION", "NOT_OPEN", "IN_PROGRESS", "ALREADY_CLOCKED_IN"})
NOT_FOUND_RULES = frozenset({"UNKNOWN_ORDER", "UNKNOWN_TICKET", "UNKNOWN_EMPLOYEE", "NOT_FOUND"})

STATUS_OF = {"FORBIDDEN": 403, "BAD_PIN": 401, "UNAUTHENTICATED": 401, "TOO_MANY_ATTEMPTS": 429}

#: Plain words for the rules a user meets most at the till.
RULE_WORDS: dict[str, str] = {
    "NOT_CLOCKED_IN": N_("You are clocked out: clock in on the login screen before selling."),
    "STALE_VERSION": N_(
        "This table was changed on another terminal meanwhile: it is reloaded, repeat your change."
    ),
    "NOT_OPEN": N_("This order is already closed or being paid on another terminal."),
    "COPY_NOT_ALLOWED": N_("An SCE 1.0 register may not print a copy of a ticket."),
    "BAD_PIN": N_("Unknown PIN or badge code."),
    "FORBIDDEN": N_("Your role may not do this."),
    "USERS_CLOCKED_IN": N_("Everybody clocks out (WORK OUT) before the Z report closes the day."),
    "OPEN_TABLES": N_("Tables still have unpaid rounds: pay or transfer them before the Z report."),
    "REQUIRED": N_("Something required is missing."),
    "INVALID_FORMAT": N_("This value is not written in the expected form."),
    "ZERO_AMOUNT": N_("Enter an amount other than zero."),
    "UNDERPAID": N_("Not enough cash for what is due in cash."),
    "SUM_MISMATCH": N_("The amounts do not add up to what is due."),
    "EMPTY": N_("This order has nothing to pay."),
    "NOTHING_TO_SIGN": N_("Nothing new since the last round: there is nothing to send."),
    "PENDING_LINES": N_("Send the new round before printing the provisional bill."),
    "ORDER_CLOSED": N_("This order is already paid and closed."),
    "NOTHING_LEFT": N_("This line was already taken back in full."),
    "EXCEEDS_REMAINING": N_("That is more than what is left on the line."),
    "EXCEEDS_LINE_VALUE": N_("The discount is more than the line is worth."),
    "NOT_A_SALE": N_("This is not a paid sale (VAT ticket)."),
    "NOT_PAID": N_("Only a paid order can be refunded."),
    "UNKNOWN_TICKET": N_("There is no ticket with this number."),
    "UNKNOWN_PRODUCT": N_("This product is not on the menu."),
    "NOTHING_ON_SEAT": N_("Nothing was ordered for this seat."),
    "SAME_ORDER": N_("Choose another table: a transfer needs two different tables."),
    "TOO_MANY_ATTEMPTS": N_("Too many wrong PINs: wait before trying again."),
    "INVALID_ADDRESS": N_("This is not a valid e-mail address."),
    "SCE_2_ONLY": N_("E-mailed tickets need an SCE 2.0 fiscal data module: print the ticket."),
    "NO_MAIL_SERVER": N_("No mail server is set up: print the ticket."),
    "NOT_PAIRED": N_(
        "This POS is not linked to this fiscal data module in the e-service: selling is refused until "
        "the linked module is connected."
    ),
}


#: Rules met on many fields: their words name the field too.
FIELD_RULES = frozenset({"REQUIRED", "INVALID_FORMAT"})


def _worded(words: str, rule: str, field: str, detail: str) -> str:
    """Plain words, then in brackets the field (for a rule met on many fields) and the detail."""
    inside = f"{field}: {detail}" if rule in FIELD_RULES and field else detail
    return f"{words} ({inside})" if inside else words


class HttpError(Exception):
    """An answer other than success, with its JSON body."""

    def __init__(self, status: int, field: str, rule: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": {"field": field, "rule": rule, "message": message, **extra}}


def from_domain(error: DomainError) -> HttpError:
    rule = error.rule
    detail = error.detail or ""
    words = RULE_WORDS.get(rule)
    message = (
        _worded(words, rule, error.field, detail) if words else f"{error.field}: {rule} {detail}".strip()
    )
    if rule in STATUS_OF:
        status = STATUS_OF[rule]
    elif rule in CONFLICT_RULES:
        status = 409
    elif rule in NOT_FOUND_RULES:
        status = 404
    else:
        status = 422
    return HttpError(status, error.field, rule, message, detail=detail)


def from_fiscal(error: FiscalBlockedError) -> HttpError:
    action = error.action
    return HttpError(
        503,
        "fdm",
        "FDM_BLOCKED",
        ACTION_WORDS.get(action, ACTION_WORDS[UserAction.CALL_SUPPORT]),
        action=action.value,
        pending=error.pending,
        ticket_number=error.ticket_number,
        detail=error.message,
    )


def to_http(error: Exception) -> HttpError:
    if isinstance(error, HttpError):
        return error
    if isinstance(error, FiscalBlockedError):
        return from_fiscal(error)
    if isinstance(error, DomainError):
        return from_domain(error)
    if isinstance(error, FiscalError):
        if isinstance(error, InvalidPinError):
            return HttpError(422, "pin", "INVALID_PIN", WRONG_PIN, action=error.action.value)
        return HttpError(
            503,
            "fdm",
            "FDM_BLOCKED",
            ACTION_WORDS.get(error.action, ACTION_WORDS[UserAction.CALL_SUPPORT]),
            action=error.action.value,
            pending=False,
            detail=str(error),
        )
    raise error


def localized(body: dict[str, Any], gettext: Callable[[str], str]) -> dict[str, Any]:
    """An error answer for the screens: its plain words in the screen's language (the JSON API and the
    stored answer of a request keep the English words; ``field``, ``rule`` and ``action`` never change)."""
    error = body.get("error")
    if not isinstance(error, dict):
        return body
    rule = str(error.get("rule", ""))
    words: str | None = None
    if rule == "FDM_BLOCKED":
        try:
            words = gettext(ACTION_WORDS[UserAction(str(error.get("action")))])
        except (ValueError, KeyError):
            return body
    elif rule == "INVALID_PIN":
        words = gettext(WRONG_PIN)
    elif rule in RULE_WORDS:
        detail, field = str(error.get("detail") or ""), str(error.get("field") or "")
        words = _worded(gettext(RULE_WORDS[rule]), rule, field, detail)
    if words is None:
        return body
    return {**body, "error": {**error, "message": words}}


#: Everything :func:`to_http` turns into an answer.
HANDLED = (DomainError, FiscalBlockedError, FiscalError, HttpError)
