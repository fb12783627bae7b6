"""The software SCE 1.0 FDM with its VSC: answers request DATA with reply DATA, signs, counts, journals.

Behaviour follows ``fdm-v1-serial.md`` section 12 and Decisions (d)-(s): error priority for H
206 > 207 > 208 > 209 > 201 > 210 > 203 > 202 > 205; the S reply reports the most severe state; a
repeated H (same sequence, higher retry digit, same content) gets the stored reply with 102 and is
never signed twice; memory warns at 90 % and refuses when full; the FDM clock is its own.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sce.fiscal.v1.emulator_store import Counters, EmulatorStore
from sce.fiscal.v1.errors import ErrorField, FdmCode, Severity
from sce.fiscal.v1.faults import Fault, FaultKind
from sce.fiscal.v1.messages import (
    HashSignReply,
    HashSignRequest,
    IdentificationReply,
    IdentificationRequest,
    MessageError,
    PinReply,
    PinRequest,
    ReplyHeader,
    StatusReply,
    StatusRequest,
    error_reply,
    parse_request,
)
from sce.fiscal.v1.vsc import PinLock, PinOutcome, PinState, signature_message

BRUSSELS = ZoneInfo("Europe/Brussels")
Clock = Callable[[], datetime]


def brussels_now() -> datetime:
    """Local time in Belgium, without tzinfo, as the FDM's real-time clock shows it."""
    return datetime.now(BRUSSELS).replace(tzinfo=None, microsecond=0)


class FdmEmulator:
    """One FDM + VSC pair. Thread-safe: one request is handled at a time."""

    def __init__(self, store: EmulatorStore, *, clock: Clock = brussels_now) -> None:
        self.store = store
        self.device = store.device
        self.card = store.device.card
        self._clock = clock
        self._lock = threading.Lock()
        self._state = store.load_state()
        recovered = store.recovered
        self.counters: Counters = recovered.counters.copy()
        self.signed = recovered.signed
        self._last_h = recovered.last_h
        self.pin = PinLock(
            PinState.BLOCKED if self._state.blocked else PinState.LOCKED, self._state.wrong_pins
        )

    # ----------------------------------------------------------------- device state

    def now(self) -> datetime:
        return (self._clock() + timedelta(seconds=self._state.clock_offset_s)).replace(microsecond=0)

    @property
    def memory_used(self) -> int:
        return self.signed + self._state.fill_records

    @property
    def memory_full(self) -> bool:
        return self.memory_used >= self.device.capacity

    @property
    def memory_near_full(self) -> bool:
        return self.memory_used * 10 >= self.device.capacity * 9

    def card_condition(self) -> FdmCode | None:
        """The card's blocking condition, most severe first (201, 203, 202), or None when usable."""
        if not self._state.card_present:
            return FdmCode.NO_VSC
        if self.pin.state is PinState.BLOCKED:
            return FdmCode.VSC_BLOCKED
        if self.pin.state is PinState.LOCKED:
            return FdmCode.PIN_REQUIRED
        return None

    def status_code(self, forced: FdmCode | None = None) -> FdmCode:
        """Decision (k): injected 208/209/210, then 201, 203, 202, 205, 101, else 000."""
        if forced is not None:
            return forced
        card = self.card_condition()
        if card is not None:
            return card
        if self.memory_full:
            return FdmCode.MEMORY_FULL
        if self.memory_near_full:
            return FdmCode.MEMORY_NEAR_FULL
        return FdmCode.OK

    def _save_state(self) -> None:
        self._state.wrong_pins = self.pin.wrong_count
        self._state.blocked = self.pin.state is PinState.BLOCKED
        self.store.save_state(self._state)

    # ----------------------------------------------------------------- administration (not on the wire)

    def apply_device_fault(self, fault: Fault) -> None:
        with self._lock:
            if fault.kind is FaultKind.PULL_VSC:
                self._state.card_present = False
            elif fault.kind is FaultKind.INSERT_VSC:
                self._state.card_present = True
                self.pin.lock()
            elif fault.kind is FaultKind.FILL_MEMORY:
                percent = int(fault.arg or "100")
                target = math.ceil(self.device.capacity * percent / 100)
                self._state.fill_records = max(0, target - self.signed)
            else:
                raise ValueError(f"{fault.kind.value} is not a device fault")
            self._save_state()
            self.store.append({"kind": "admin", "action": str(fault), "at": self.now().isoformat()})

    def unblock(self, puk: str) -> bool:
        """Reset a blocked card with its PUK (administration interface)."""
        with self._lock:
            ok = self.pin.unblock(self.card, puk)
            self._save_state()
            self.store.append({"kind": "admin", "action": "unblock", "ok": ok, "at": self.now().isoformat()})
            return ok

    def set_clock_offset(self, seconds: float) -> None:
        with self._lock:
            self._state.clock_offset_s = seconds
            self._save_state()
            self.store.append(
                {"kind": "admin", "action": f"clock-offset={seconds}", "at": self.now().isoformat()}
            )

    # ----------------------------------------------------------------- the wire

    def handle(self, data: str, *, forced_error: FdmCode | None = None) -> str:
        """Answer one request DATA with reply DATA; the exchange is journaled before returning."""
        with self._lock:
            reply, signed_counters = self._answer(data, forced_error)
            record: dict[str, object] = {"at": self.now().isoformat(), "request": data, "reply": reply}
            if signed_counters is not None:
                record["signed"] = True
                record["counters"] = signed_counters.to_json()
            self.store.append(record)
            if signed_counters is not None:
                self.counters = signed_counters
                self.signed += 1
                self._last_h = (data, reply)
            return reply

    def _answer(self, data: str, forced: FdmCode | None) -> tuple[str, Counters | None]:
        fdm_id = self.device.fdm_id
        try:
            request = parse_request(data)
        except MessageError as exc:
            if data[:1] in ("S", "I", "P") and exc.code is FdmCode.INVALID_DATA:
                return self._short_reply(data, exc.error_field), None
            return error_reply(data, exc.error_field, fdm_id), None
        if isinstance(request, StatusRequest):
            head = self._header(request.identifier, request.sequence, request.retry, self.status_code(forced))
            return StatusReply(head).encode(), None
        if isinstance(request, IdentificationRequest):
            head = self._header(request.identifier, request.sequence, request.retry, self.status_code(forced))
            return self._identification(head).encode(), None
        if isinstance(request, PinRequest):
            return self._pin(request, forced), None
        return self._hash_sign(request, data, forced)

    def _header(
        self, identifier: str, sequence: int, retry: int, code: FdmCode, detail: int = 0
    ) -> ReplyHeader:
        return ReplyHeader(identifier, sequence, retry, ErrorField(code, detail), self.device.fdm_id)

    def _vsc_id(self) -> str:
        return self.card.vsc_id if self._state.card_present else ""

    def _identification(self, head: ReplyHeader) -> IdentificationReply:
        present = self._state.card_present
        return IdentificationReply(
            head,
            firmware_version=self.device.firmware,
            protocol_version=self.device.protocol_version,
            vsc_id=self._vsc_id(),
            vsc_version=self.card.version if present else "000",
        )

    def _short_reply(self, data: str, error: ErrorField) -> str:
        """An S/I/P request with invalid data: the full-length reply of its identifier with the error."""
        sequence = int(data[1:3]) if data[1:3].isdigit() else 0
        retry = int(data[3]) if data[3:4].isdigit() else 0
        head = ReplyHeader(data[0], sequence, retry, error, self.device.fdm_id)
        if data[0] == "S":
            return StatusReply(head).encode()
        if data[0] == "I":
            return self._identification(head).encode()
        return PinReply(head, self._vsc_id()).encode()

    def _pin(self, request: PinRequest, forced: FdmCode | None) -> str:
        def reply(code: FdmCode) -> str:
            return PinReply(self._header("P", request.sequence, request.retry, code), self._vsc_id()).encode()

        if forced is not None:
            return reply(forced)
        if not self._state.card_present:
            return reply(FdmCode.NO_VSC)
        outcome = self.pin.enter(self.card, request.pin)
        self._save_state()
        if outcome is PinOutcome.ACCEPTED:
            return reply(FdmCode.PIN_ACCEPTED)
        if outcome is PinOutcome.WRONG:
            return reply(FdmCode.INVALID_PIN)
        return reply(FdmCode.VSC_BLOCKED)

    def _is_repeat(self, request: HashSignRequest, data: str) -> str | None:
        if self._last_h is None:
            return None
        last_request, last_reply = self._last_h
        if (
            last_request[1:3] == data[1:3]
            and int(data[3]) > int(last_request[3])
            and last_request[4:] == data[4:]
        ):
            return last_reply
        return None

    def _hash_sign(
        self, request: HashSignRequest, data: str, forced: FdmCode | None
    ) -> tuple[str, Counters | None]:
        def refuse(code: FdmCode) -> tuple[str, None]:
            head = self._header("H", request.sequence, request.retry, code)
            return HashSignReply(head).encode(), None

        if forced is not None and forced.severity is Severity.ERROR:
            return refuse(forced)
        stored = self._is_repeat(request, data)
        if stored is not None:
            # Decision (f): the stored reply, retry digit of the repeat, warning 102; nothing signed.
            replay = stored[:3] + data[3] + str(ErrorField(FdmCode.ALREADY_HANDLED)) + stored[10:]
            return replay, None
        card = self.card_condition()
        if card is not None:
            return refuse(card)
        if self.memory_full:
            return refuse(FdmCode.MEMORY_FULL)
        counters = self.counters.copy()
        label = request.label.value
        counters.per_label[label] += 1
        counters.total += 1
        stamp = self.now()
        fdm_date, fdm_time = stamp.strftime("%Y%m%d"), stamp.strftime("%H%M%S")
        event_counter, total_counter = f"{counters.per_label[label]:09d}", f"{counters.total:09d}"
        signature = self.card.sign(signature_message(data, fdm_date, fdm_time, event_counter, total_counter))
        near_full = (self.memory_used + 1) * 10 >= self.device.capacity * 9
        code = FdmCode.MEMORY_NEAR_FULL if near_full else (forced or FdmCode.OK)
        reply = HashSignReply(
            self._header("H", request.sequence, request.retry, code),
            vsc_id=self.card.vsc_id,
            fdm_datetime=stamp,
            label=request.label,
            event_counter=counters.per_label[label],
            total_counter=counters.total,
            signature=signature,
        )
        return reply.encode(), counters
