"""SCE 1.0 messages: typed S, I, P and H requests and their 21/59/35/109-character replies.

Offsets, padding and amount formats follow ``fdm-v1-serial.md`` sections 2-3 and 6 and its Decisions:
amounts are euro cents, absolute, at least three digits, right-aligned with spaces in 11 characters
(more than 11 digits is refused, never truncated); ticket numbers keep their last six digits; error
replies always have the full length of their identifier, text fields blank and numeric fields zero.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import Enum

from sce.fiscal.v1.errors import OK, ErrorField, FdmCode, Severity

AMOUNT_WIDTH = 11
TICKET_NUMBER_WIDTH = 6
HEADER_LENGTH = 21
RATE_FIELDS = ("2100", "1200", " 600", " 000")
VAT_LETTERS = ("A", "B", "C", "D")

REQUEST_LENGTHS = {"S": 4, "I": 4, "P": 9, "H": 162}
REPLY_LENGTHS = {"S": 21, "I": 59, "P": 35, "H": 109}


class EventLabel(Enum):
    """Two-letter event label: type (Normal, Pro forma, Training, Copy) + direction (Sale, Refund)."""

    NS = "NS"
    NR = "NR"
    PS = "PS"
    PR = "PR"
    TS = "TS"
    TR = "TR"
    CS = "CS"
    CR = "CR"

    @property
    def is_vat_ticket(self) -> bool:
        return self in (EventLabel.NS, EventLabel.NR)


class AmountOverflowError(ValueError):
    """An amount that does not fit in its field; the ticket must be refused, not truncated."""


class MessageError(ValueError):
    """A request the FDM refuses: 206 (unknown identifier) or 207 (invalid data, with the field offset)."""

    def __init__(self, code: FdmCode, message: str, *, offset: int = 0) -> None:
        self.code = code
        self.offset = offset
        super().__init__(f"{code.value} {code.description}: {message}")

    @property
    def error_field(self) -> ErrorField:
        return ErrorField(self.code, self.offset if self.code is FdmCode.INVALID_DATA else 0)


# --------------------------------------------------------------------------- field formatting


def format_amount(cents: int) -> str:
    """Amount field: absolute euro cents, at least 3 digits, right-aligned with spaces in 11."""
    digits = f"{abs(cents):03d}"
    if len(digits) > AMOUNT_WIDTH:
        raise AmountOverflowError(f"amount {cents} cents does not fit in {AMOUNT_WIDTH} digits")
    return digits.rjust(AMOUNT_WIDTH)


def format_ticket_number(number: int) -> str:
    """Ticket number field: last six digits, right-aligned with spaces."""
    if number < 0:
        raise ValueError(f"ticket number {number} is negative")
    return str(number)[-TICKET_NUMBER_WIDTH:].rjust(TICKET_NUMBER_WIDTH)


def format_sequence(sequence: int) -> str:
    if not 0 <= sequence <= 99:
        raise ValueError(f"sequence number {sequence} is outside 0-99")
    return f"{sequence:02d}"


def format_retry(retry: int) -> str:
    if not 0 <= retry <= 9:
        raise ValueError(f"retry counter {retry} is outside 0-9")
    return str(retry)


def _header(identifier: str, sequence: int, retry: int) -> str:
    return identifier + format_sequence(sequence) + format_retry(retry)


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True, slots=True)
class StatusRequest:
    sequence: int
    retry: int = 0
    identifier = "S"

    def encode(self) -> str:
        return _header("S", self.sequence, self.retry)


@dataclass(frozen=True, slots=True)
class IdentificationRequest:
    sequence: int
    retry: int = 0
    identifier = "I"

    def encode(self) -> str:
        return _header("I", self.sequence, self.retry)


@dataclass(frozen=True, slots=True)
class PinRequest:
    sequence: int
    pin: str
    retry: int = 0
    identifier = "P"

    def __post_init__(self) -> None:
        if len(self.pin) != 5 or not (self.pin.isascii() and self.pin.isdigit()):
            raise ValueError("PIN must be exactly 5 digits")

    def encode(self) -> str:
        return _header("P", self.sequence, self.retry) + self.pin


@dataclass(frozen=True, slots=True)
class HashSignRequest:
    """H request. ``amounts`` are the four per-rate amounts in cents (A, B, C, D), sign ignored.

    ``plu`` is the PLU field exactly as sent: 40 hex characters, or 32 spaces + 8 hex.
    """

    sequence: int
    ticket_datetime: datetime
    insz: str
    pos_production_number: str
    ticket_number: int
    label: EventLabel
    total_cents: int
    amounts: tuple[int, int, int, int]
    plu: str
    retry: int = 0
    identifier = "H"

    def __post_init__(self) -> None:
        if len(self.insz) != 11 or not (self.insz.isascii() and self.insz.isdigit()):
            raise ValueError("insz: the INSZ/BIS field must be 11 digits")
        if len(self.pos_production_number) != 14 or not _printable(self.pos_production_number):
            raise ValueError("pos_production_number: must be 14 printable ASCII characters")
        if not _PLU_FIELD.fullmatch(self.plu):
            raise ValueError("plu: must be 40 hex characters or 32 spaces + 8 hex characters")

    def encode(self) -> str:
        parts = [
            _header("H", self.sequence, self.retry),
            self.ticket_datetime.strftime("%Y%m%d%H%M%S"),
            self.insz,
            self.pos_production_number,
            format_ticket_number(self.ticket_number),
            self.label.value,
            format_amount(self.total_cents),
        ]
        for rate, amount in zip(RATE_FIELDS, self.amounts, strict=True):
            parts += [rate, format_amount(amount)]
        parts.append(self.plu)
        return "".join(parts)


Request = StatusRequest | IdentificationRequest | PinRequest | HashSignRequest


def with_retry(request: Request, retry: int) -> Request:
    """The same request with another retry digit (a re-send keeps the sequence number)."""
    if isinstance(request, HashSignRequest):
        return replace(request, retry=retry)
    if isinstance(request, PinRequest):
        return replace(request, retry=retry)
    if isinstance(request, IdentificationRequest):
        return replace(request, retry=retry)
    return replace(request, retry=retry)


_PLU_FIELD = re.compile(r"[0-9A-Fa-f]{40}| {32}[0-9A-Fa-f]{8}")
_AMOUNT_FIELD = re.compile(r" *[0-9]{3,}")
_TICKET_FIELD = re.compile(r" *[0-9]+")
_DIGITS = re.compile(r"[0-9]+")


def _printable(text: str) -> bool:
    return all(0x20 <= ord(ch) <= 0x7E for ch in text)


# H request layout: (offset, length, field name)
H_REQUEST_LAYOUT: tuple[tuple[int, int, str], ...] = (
    (0, 1, "identifier"),
    (1, 2, "sequence"),
    (3, 1, "retry"),
    (4, 8, "ticket_date"),
    (12, 6, "ticket_time"),
    (18, 11, "insz"),
    (29, 14, "pos_production_number"),
    (43, 6, "ticket_number"),
    (49, 2, "event_label"),
    (51, 11, "total_amount"),
    (62, 4, "vat_rate_1"),
    (66, 11, "amount_rate_1"),
    (77, 4, "vat_rate_2"),
    (81, 11, "amount_rate_2"),
    (92, 4, "vat_rate_3"),
    (96, 11, "amount_rate_3"),
    (107, 4, "vat_rate_4"),
    (111, 11, "amount_rate_4"),
    (122, 40, "plu"),
)


def split_fields(data: str, layout: tuple[tuple[int, int, str], ...]) -> dict[str, str]:
    """Cut ``data`` into its named fields."""
    return {name: data[offset : offset + length] for offset, length, name in layout}


def _valid_date(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y%m%d")
    except ValueError:
        return False
    return _DIGITS.fullmatch(text) is not None


def _valid_time(text: str) -> bool:
    try:
        datetime.strptime(text, "%H%M%S")
    except ValueError:
        return False
    return _DIGITS.fullmatch(text) is not None


_AMOUNT_RULE = (
    lambda text: _AMOUNT_FIELD.fullmatch(text) is not None,
    "at least 3 digits right-aligned with spaces",
)
_H_FIELD_RULES: dict[str, tuple[Callable[[str], bool], str]] = {
    "ticket_date": (_valid_date, "a valid date YYYYMMDD"),
    "ticket_time": (_valid_time, "a valid time HHMMSS"),
    "insz": (lambda text: _DIGITS.fullmatch(text) is not None, "11 digits"),
    "pos_production_number": (_printable, "14 printable characters"),
    "ticket_number": (
        lambda text: _TICKET_FIELD.fullmatch(text) is not None,
        "digits right-aligned with spaces",
    ),
    "event_label": (lambda text: text in EventLabel.__members__, "one of NS NR PS PR TS TR CS CR"),
    "total_amount": _AMOUNT_RULE,
    "plu": (lambda text: _PLU_FIELD.fullmatch(text) is not None, "40 hex characters or 32 spaces + 8 hex"),
}
for _number, _rate in enumerate(RATE_FIELDS, start=1):
    _H_FIELD_RULES[f"vat_rate_{_number}"] = (_rate.__eq__, f"exactly {_rate!r}")
    _H_FIELD_RULES[f"amount_rate_{_number}"] = _AMOUNT_RULE


def parse_request(data: str) -> Request:
    """Parse request DATA as the FDM does: 206 for an unknown identifier, 207 for anything invalid.

    A 207 carries the 0-based offset of the first invalid field (0 when the length is wrong).
    """
    if not data:
        raise MessageError(FdmCode.UNKNOWN_IDENTIFIER, "empty message")
    identifier = data[0]
    expected = REQUEST_LENGTHS.get(identifier)
    if expected is None:
        raise MessageError(FdmCode.UNKNOWN_IDENTIFIER, f"identifier {identifier!r} is not S, I, P or H")
    if len(data) != expected:
        raise MessageError(
            FdmCode.INVALID_DATA, f"{identifier} request has {len(data)} characters, expected {expected}"
        )
    if not _printable(data):
        bad = next(i for i, ch in enumerate(data) if not 0x20 <= ord(ch) <= 0x7E)
        raise MessageError(FdmCode.INVALID_DATA, f"character at offset {bad} is not printable", offset=bad)
    if not _DIGITS.fullmatch(data[1:3]):
        raise MessageError(FdmCode.INVALID_DATA, "sequence number at offset 1 is not 2 digits", offset=1)
    if not _DIGITS.fullmatch(data[3]):
        raise MessageError(FdmCode.INVALID_DATA, "retry counter at offset 3 is not a digit", offset=3)
    sequence, retry = int(data[1:3]), int(data[3])
    if identifier == "S":
        return StatusRequest(sequence, retry)
    if identifier == "I":
        return IdentificationRequest(sequence, retry)
    if identifier == "P":
        if not _DIGITS.fullmatch(data[4:9]):
            raise MessageError(FdmCode.INVALID_DATA, "PIN at offset 4 is not 5 digits", offset=4)
        return PinRequest(sequence, data[4:9], retry)
    return _parse_hash_sign(data, sequence, retry)


def _parse_hash_sign(data: str, sequence: int, retry: int) -> HashSignRequest:
    for offset, length, name in H_REQUEST_LAYOUT[3:]:
        check, rule = _H_FIELD_RULES[name]
        if not check(data[offset : offset + length]):
            raise MessageError(
                FdmCode.INVALID_DATA, f"{name} at offset {offset} must be {rule}", offset=offset
            )
    f = split_fields(data, H_REQUEST_LAYOUT)
    return HashSignRequest(
        sequence=sequence,
        retry=retry,
        ticket_datetime=datetime.strptime(f["ticket_date"] + f["ticket_time"], "%Y%m%d%H%M%S"),
        insz=f["insz"],
        pos_production_number=f["pos_production_number"],
        ticket_number=int(f["ticket_number"]),
        label=EventLabel(f["event_label"]),
        total_cents=int(f["total_amount"]),
        amounts=(
            int(f["amount_rate_1"]),
            int(f["amount_rate_2"]),
            int(f["amount_rate_3"]),
            int(f["amount_rate_4"]),
        ),
        plu=f["plu"],
    )


# --------------------------------------------------------------------------- replies


@dataclass(frozen=True, slots=True)
class ReplyHeader:
    """The 21 characters every reply starts with."""

    identifier: str
    sequence: int
    retry: int
    error: ErrorField
    fdm_id: str

    def encode(self) -> str:
        return (
            _header(self.identifier, self.sequence, self.retry) + str(self.error) + self.fdm_id.ljust(11)[:11]
        )

    @classmethod
    def parse(cls, data: str) -> ReplyHeader:
        if len(data) < HEADER_LENGTH:
            raise ValueError(f"reply has {len(data)} characters, less than the {HEADER_LENGTH} of the header")
        if not (_DIGITS.fullmatch(data[1:4])):
            raise ValueError(f"reply sequence/retry {data[1:4]!r} are not digits")
        return cls(data[0], int(data[1:3]), int(data[3]), ErrorField.parse(data[4:10]), data[10:21])

    @property
    def severity(self) -> Severity:
        return self.error.severity


@dataclass(frozen=True, slots=True)
class StatusReply:
    header: ReplyHeader

    def encode(self) -> str:
        return self.header.encode()


@dataclass(frozen=True, slots=True)
class IdentificationReply:
    header: ReplyHeader
    firmware_version: str
    protocol_version: str
    vsc_id: str
    vsc_version: str

    def encode(self) -> str:
        return (
            self.header.encode()
            + self.firmware_version.ljust(20)[:20]
            + self.protocol_version.ljust(1)[:1]
            + self.vsc_id.ljust(14)[:14]
            + self.vsc_version.rjust(3, "0")[:3]
        )


@dataclass(frozen=True, slots=True)
class PinReply:
    header: ReplyHeader
    vsc_id: str

    def encode(self) -> str:
        return self.header.encode() + self.vsc_id.ljust(14)[:14]


@dataclass(frozen=True, slots=True)
class HashSignReply:
    """H reply. On an error every data field is padded: text with spaces, numbers with zeros."""

    header: ReplyHeader
    vsc_id: str = ""
    fdm_datetime: datetime | None = None
    label: EventLabel | None = None
    event_counter: int = 0
    total_counter: int = 0
    signature: str = ""

    def encode(self) -> str:
        stamp = self.fdm_datetime.strftime("%Y%m%d%H%M%S") if self.fdm_datetime else "0" * 14
        return (
            self.header.encode()
            + self.vsc_id.ljust(14)[:14]
            + stamp
            + (self.label.value if self.label else "  ")
            + f"{self.event_counter:09d}"
            + f"{self.total_counter:09d}"
            + self.signature.ljust(40)[:40]
        )

    @property
    def fdm_date(self) -> date | None:
        return self.fdm_datetime.date() if self.fdm_datetime else None

    @property
    def fdm_time(self) -> time | None:
        return self.fdm_datetime.time() if self.fdm_datetime else None

    @property
    def printed_counters(self) -> str:
        """Counters as printed on the ticket: ``12/345 NS``."""
        label = self.label.value if self.label else ""
        return f"{self.event_counter}/{self.total_counter} {label}".rstrip()


Reply = StatusReply | IdentificationReply | PinReply | HashSignReply

H_REPLY_LAYOUT: tuple[tuple[int, int, str], ...] = (
    (21, 14, "vsc_id"),
    (35, 8, "fdm_date"),
    (43, 6, "fdm_time"),
    (49, 2, "event_label"),
    (51, 9, "event_counter"),
    (60, 9, "total_counter"),
    (69, 40, "signature"),
)


def parse_reply(data: str) -> Reply:
    """Parse reply DATA on the POS side.

    A reply whose error level is 2 may be only the 21-character header (some devices answer errors
    short); otherwise the length must be the one of its identifier.
    """
    header = ReplyHeader.parse(data)
    expected = REPLY_LENGTHS.get(header.identifier)
    if expected is None:
        raise ValueError(f"reply identifier {header.identifier!r} is not S, I, P or H")
    if len(data) != expected:
        if len(data) == HEADER_LENGTH and header.severity is Severity.ERROR:
            data = data.ljust(expected)
        else:
            raise ValueError(f"{header.identifier} reply has {len(data)} characters, expected {expected}")
    if header.identifier == "S":
        return StatusReply(header)
    if header.identifier == "I":
        return IdentificationReply(header, data[21:41], data[41], data[42:56], data[56:59])
    if header.identifier == "P":
        return PinReply(header, data[21:35])
    return _parse_hash_sign_reply(header, data)


def _parse_hash_sign_reply(header: ReplyHeader, data: str) -> HashSignReply:
    f = split_fields(data, H_REPLY_LAYOUT)
    if header.severity is Severity.ERROR:
        return HashSignReply(header, vsc_id=f["vsc_id"].strip())
    try:
        fdm_datetime = datetime.strptime(f["fdm_date"] + f["fdm_time"], "%Y%m%d%H%M%S")
    except ValueError:
        raise ValueError(f"H reply FDM date/time {f['fdm_date']} {f['fdm_time']} is not valid") from None
    if not (_DIGITS.fullmatch(f["event_counter"]) and _DIGITS.fullmatch(f["total_counter"])):
        raise ValueError("H reply counters are not 9 digits")
    try:
        label = EventLabel(f["event_label"])
    except ValueError:
        raise ValueError(f"H reply event label {f['event_label']!r} is unknown") from None
    return HashSignReply(
        header,
        vsc_id=f["vsc_id"],
        fdm_datetime=fdm_datetime,
        label=label,
        event_counter=int(f["event_counter"]),
        total_counter=int(f["total_counter"]),
        signature=f["signature"],
    )


def error_reply(request_data: str, error: ErrorField, fdm_id: str) -> str:
    """The FDM's answer to a refused request, at the full length of its identifier (Decision e).

    An unknown identifier (206) gets the bare header echoing the first four request characters.
    """
    echo = (request_data[:4] + "0000")[:4]
    identifier = echo[0]
    sequence = int(echo[1:3]) if _DIGITS.fullmatch(echo[1:3]) else 0
    retry = int(echo[3]) if _DIGITS.fullmatch(echo[3]) else 0
    head = ReplyHeader(identifier, sequence, retry, error, fdm_id)
    if identifier not in REPLY_LENGTHS or error.code is FdmCode.UNKNOWN_IDENTIFIER:
        return echo + str(error) + fdm_id.ljust(11)[:11]
    if identifier == "H":
        return HashSignReply(head).encode()
    return head.encode().ljust(REPLY_LENGTHS[identifier])


__all__ = [
    "OK",
    "AmountOverflowError",
    "EventLabel",
    "HashSignReply",
    "HashSignRequest",
    "IdentificationReply",
    "IdentificationRequest",
    "MessageError",
    "PinReply",
    "PinRequest",
    "Reply",
    "ReplyHeader",
    "Request",
    "StatusReply",
    "StatusRequest",
    "error_reply",
    "format_amount",
    "format_ticket_number",
    "parse_reply",
    "parse_request",
    "with_retry",
]
