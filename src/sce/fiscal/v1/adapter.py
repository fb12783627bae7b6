"""SCE 1.0 adapter of the FiscalModule port: turns POS events into H requests through the driver.

Mapping (fdm-v1-serial.md sections 4, 8, 10 and Decisions a, b, d, o): a sale is N, orders, pre-bills
and cost-centre changes are P, copies C (off by default, regulation Decision 3), training T; the
direction is S for a positive total, R for a negative one (for a zero total, R when the first line's
quantity is negative). Work in/out is an NS ticket with the single reserved line at 0 % (D), preceded by
an identification request. Other events are not signed by a 1.0 FDM and are journaled by the POS.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from zoneinfo import ZoneInfo

from sce.fiscal.errors import InvalidFiscalRequestError, UnsupportedEventError
from sce.fiscal.port import DeviceInfo, EventKind, FiscalEvent, FiscalLine, FiscalReceipt, split_vat
from sce.fiscal.v1.driver import FdmV1Driver
from sce.fiscal.v1.errors import FdmCode, Severity
from sce.fiscal.v1.messages import (
    AmountOverflowError,
    EventLabel,
    HashSignReply,
    HashSignRequest,
    format_amount,
    parse_request,
)
from sce.fiscal.v1.plu import PluLine, plu8, plu_field, plu_sha1


class AmountMode(Enum):
    """What the four per-rate fields carry (Decision a)."""

    BASE = "base"
    VAT = "vat"


class PluForm(Enum):
    """How the PLU hash is sent (Decision b)."""

    FULL = "full"
    SHORT = "short"


@dataclass(frozen=True, slots=True)
class V1Settings:
    pos_production_number: str
    amount_mode: AmountMode = AmountMode.BASE
    plu_form: PluForm = PluForm.FULL
    copies_enabled: bool = False

    def __post_init__(self) -> None:
        if len(self.pos_production_number) != 14:
            raise ValueError("pos_production_number: must be exactly 14 characters")


BRUSSELS = ZoneInfo("Europe/Brussels")
#: Retry digit of a request re-sent after a POS crash: above the digits of the first sends.
RESUME_RETRY = 5

_PRO_FORMA = frozenset({EventKind.ORDER, EventKind.PRE_BILL, EventKind.COST_CENTER_CHANGE})
_SIGNED = frozenset({EventKind.SALE, EventKind.WORK_IN, EventKind.WORK_OUT, EventKind.COPY} | _PRO_FORMA)
WORK_LINES = {
    EventKind.WORK_IN: FiscalLine("WORK IN", Decimal(1), Decimal(0), "D"),
    EventKind.WORK_OUT: FiscalLine("WORK OUT", Decimal(1), Decimal(0), "D"),
}


def event_label(event: FiscalEvent, *, copies_enabled: bool = False) -> EventLabel:
    """The two-letter label of an event (Decisions d, o)."""
    if event.training:
        kind = "T"
    elif event.kind is EventKind.COPY:
        if not copies_enabled:
            raise UnsupportedEventError("copies are not signed in SCE 1.0 mode (enable them in the settings)")
        kind = "C"
    elif event.kind in _PRO_FORMA:
        kind = "P"
    else:
        kind = "N"
    total = event.total_cents
    refund = total < 0 or (total == 0 and bool(event.lines) and event.lines[0].quantity < 0)
    return EventLabel(kind + ("R" if refund else "S"))


def rate_amounts(lines: tuple[FiscalLine, ...], mode: AmountMode) -> tuple[int, int, int, int]:
    """Absolute per-rate base (or VAT) in cents for A, B, C, D."""
    split = split_vat(lines)
    if "X" in split:
        raise InvalidFiscalRequestError("vat: letter X (out of scope) cannot be sold on an SCE 1.0 POS")
    values = []
    for letter in ("A", "B", "C", "D"):
        amounts = split.get(letter)
        value = (
            0 if amounts is None else (amounts.base_cents if mode is AmountMode.BASE else amounts.vat_cents)
        )
        values.append(abs(value))
    return values[0], values[1], values[2], values[3]


class FdmV1Module:
    """FiscalModule over an SCE 1.0 FDM."""

    generation = 1

    def __init__(self, driver: FdmV1Driver, settings: V1Settings) -> None:
        self.driver = driver
        self.settings = settings
        self._fdm_id = ""

    def supports(self, kind: EventKind) -> bool:
        if kind is EventKind.COPY:
            return self.settings.copies_enabled
        return kind in _SIGNED

    def _info(self, code: FdmCode, fdm_id: str, firmware: str = "", vsc_id: str = "") -> DeviceInfo:
        ready = code.severity is not Severity.ERROR
        return DeviceInfo(
            1, fdm_id.strip(), firmware.strip(), ready, f"{code.value} {code.description}", vsc_id
        )

    def start(self) -> DeviceInfo:
        status = self.driver.status()
        ident = self.driver.identify()
        self._fdm_id = ident.header.fdm_id
        code = ident.header.error.code
        status_code = status.header.error.code
        if status_code.severity is Severity.ERROR:
            code = status_code
        return self._info(code, ident.header.fdm_id, ident.firmware_version, ident.vsc_id.strip())

    def status(self) -> DeviceInfo:
        reply = self.driver.status()
        return self._info(reply.header.error.code, reply.header.fdm_id)

    def unlock(self, pin: str) -> None:
        self.driver.enter_pin(pin)

    def build_request(self, event: FiscalEvent, sequence: int) -> tuple[HashSignRequest, str]:
        """The H request for ``event`` and the full PLU SHA-1."""
        lines = event.lines
        if event.kind in WORK_LINES:
            lines = (WORK_LINES[event.kind],)
        elif not self.supports(event.kind):
            raise UnsupportedEventError(f"{event.kind.value} is not signed by an SCE 1.0 FDM")
        event_for_label = FiscalEvent(
            event.kind, event.ticket_number, event.pos_datetime, event.employee_id, lines, event.training
        )
        label = event_label(event_for_label, copies_enabled=self.settings.copies_enabled)
        try:
            plu_lines = [
                PluLine(line.name, line.unit_price, line.quantity, line.vat, line.uom) for line in lines
            ]
        except ValueError as exc:
            raise InvalidFiscalRequestError(str(exc)) from exc
        sha1 = plu_sha1(plu_lines)
        total = sum(line.total_cents for line in lines)
        try:
            format_amount(total)
            amounts = rate_amounts(lines, self.settings.amount_mode)
            for amount in amounts:
                format_amount(amount)
        except AmountOverflowError as exc:
            raise InvalidFiscalRequestError(f"amount: {exc}") from exc
        pos_time = event.pos_datetime
        if pos_time.tzinfo is not None:
            pos_time = pos_time.astimezone(BRUSSELS).replace(tzinfo=None)
        request = HashSignRequest(
            sequence=sequence,
            ticket_datetime=pos_time,
            insz=event.employee_id,
            pos_production_number=self.settings.pos_production_number,
            ticket_number=event.ticket_number,
            label=label,
            total_cents=abs(total),
            amounts=amounts,
            plu=plu_field(sha1, short=self.settings.plu_form is PluForm.SHORT),
        )
        return request, sha1

    def prepare(self, event: FiscalEvent) -> str:
        """The exact H request for ``event`` with the next sequence number, to keep before sending."""
        if event.kind not in WORK_LINES and not self.supports(event.kind):
            raise UnsupportedEventError(f"{event.kind.value} is not signed by an SCE 1.0 FDM")
        request, _sha1 = self.build_request(event, self.driver.sequences.next())
        return request.encode()

    def _prepared(self, event: FiscalEvent, prepared: str) -> tuple[HashSignRequest, str]:
        try:
            sent = parse_request(prepared)
        except ValueError as exc:
            raise InvalidFiscalRequestError(f"prepared request: {exc}") from exc
        if not isinstance(sent, HashSignRequest):
            raise InvalidFiscalRequestError("prepared request: not an H request")
        request, sha1 = self.build_request(event, sent.sequence)
        if request.encode()[4:] != prepared[4:]:
            raise InvalidFiscalRequestError("prepared request: does not match the event")
        return replace(request, retry=sent.retry), sha1

    def resume(self, event: FiscalEvent, prepared: str) -> FiscalReceipt:
        """Send a prepared request again after a crash: the FDM replays its answer if it signed it."""
        request, sha1 = self._prepared(event, prepared)
        return self._receipt(
            event, self.driver.hash_and_sign_request(replace(request, retry=RESUME_RETRY)), sha1
        )

    def sign(self, event: FiscalEvent, prepared: str = "") -> FiscalReceipt:
        if event.kind in WORK_LINES:
            self.driver.identify()  # certified clients ask for identification before a work in/out
        if event.kind not in WORK_LINES and not self.supports(event.kind):
            raise UnsupportedEventError(f"{event.kind.value} is not signed by an SCE 1.0 FDM")
        if prepared:
            request, sha1 = self._prepared(event, prepared)
            return self._receipt(event, self.driver.hash_and_sign_request(request), sha1)
        built: dict[str, str] = {}

        def build(sequence: int) -> HashSignRequest:
            request, sha1 = self.build_request(event, sequence)
            built["sha1"] = sha1
            return request

        return self._receipt(event, self.driver.hash_and_sign(build), built["sha1"])

    def _receipt(self, event: FiscalEvent, reply: HashSignReply, sha1: str) -> FiscalReceipt:
        exchange = self.driver.last_exchange
        assert exchange is not None and reply.fdm_datetime is not None and reply.label is not None
        lines = (WORK_LINES[event.kind],) if event.kind in WORK_LINES else event.lines
        warnings: tuple[str, ...] = ()
        code = reply.header.error.code
        if code.severity is Severity.WARNING:
            warnings = (f"{code.value} {code.description}",)
        return FiscalReceipt(
            generation=1,
            fdm_id=reply.header.fdm_id,
            fdm_datetime=reply.fdm_datetime,
            event_label=reply.label.value,
            event_counter=reply.event_counter,
            total_counter=reply.total_counter,
            signature=reply.signature,
            request=exchange.request,
            reply=exchange.reply,
            vat=split_vat(lines),
            warnings=warnings,
            vsc_id=reply.vsc_id,
            plu_hash=plu8(sha1),
        )
