"""POS-side driver for an SCE 1.0 FDM on a serial link (pyserial): handshake, retries, typed errors.

Decisions (i), (j): wait 1.0 s for the ACK after sending and 3.0 s for the reply after the ACK; at most 3
sends of one request (a re-send keeps the sequence number, bumps the retry digit, recomputes the BCC);
at most 3 NACKs for a damaged reply. Sequence numbers (00-99, wrapping) survive restarts. The PIN is
only sent after the FDM asked for it (202) or refused one (204).
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import serial

from sce.fiscal.errors import (
    CardBlockedError,
    FiscalProtocolError,
    FiscalRefusedError,
    FiscalUnreachableError,
    InvalidFiscalRequestError,
    InvalidPinError,
    MemoryFullError,
    NoCardError,
    NotOperationalError,
    PinNotRequestedError,
    PinRequiredError,
)
from sce.fiscal.v1.errors import FdmCode, Severity
from sce.fiscal.v1.framing import ACK, NACK, BadFrame, Control, Frame, FrameParser, ParsedItem, encode_frame
from sce.fiscal.v1.messages import (
    HashSignReply,
    HashSignRequest,
    IdentificationReply,
    IdentificationRequest,
    PinReply,
    PinRequest,
    Reply,
    Request,
    StatusReply,
    StatusRequest,
    parse_reply,
    with_retry,
)

#: Longest single blocking read; deadlines are checked between reads.
READ_SLICE = 0.05


class SerialPort(Protocol):
    """The part of ``serial.Serial`` the driver uses."""

    timeout: float | None

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes, /) -> int | None: ...

    def flush(self) -> None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class DriverSettings:
    ack_timeout: float = 1.0
    reply_timeout: float = 3.0
    max_sends: int = 3
    max_nacks: int = 3


# FDM error code -> exception raised by the driver.
REFUSALS: dict[FdmCode, type[FiscalRefusedError]] = {
    FdmCode.NO_VSC: NoCardError,
    FdmCode.PIN_REQUIRED: PinRequiredError,
    FdmCode.VSC_BLOCKED: CardBlockedError,
    FdmCode.INVALID_PIN: InvalidPinError,
    FdmCode.MEMORY_FULL: MemoryFullError,
    FdmCode.NOT_OPERATIONAL: NotOperationalError,
    FdmCode.CLOCK_CORRUPT: NotOperationalError,
    FdmCode.VSC_INCOMPATIBLE: NoCardError,
}


_R = TypeVar("_R", StatusReply, IdentificationReply, PinReply, HashSignReply)


def _expect(reply: Reply, kind: type[_R]) -> _R:
    """The reply matched the request's identifier, so it is of the request's kind; say so if not."""
    if not isinstance(reply, kind):
        raise FiscalProtocolError(f"FDM answered with {type(reply).__name__}, expected {kind.__name__}")
    return reply


class SequenceStore:
    """The last sequence number used, kept in a small file so a restarted POS does not reuse it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._last = 99
        self._fd = -1
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            text = os.pread(self._fd, 2, 0).decode("ascii", errors="replace")
            if len(text) == 2 and text.isdigit():
                self._last = int(text)

    def next(self) -> int:
        self._last = (self._last + 1) % 100
        if self._fd >= 0:
            os.pwrite(self._fd, f"{self._last:02d}".encode("ascii"), 0)
        return self._last

    @property
    def last(self) -> int:
        return self._last

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


@dataclass(slots=True)
class Exchange:
    """One request/reply as it went over the wire (kept for the journal)."""

    request: str
    reply: str
    sends: int


def open_port(url: str, baudrate: int = 19200) -> serial.Serial:
    """Open a device path or pyserial URL (``/dev/ttyUSB0``, ``socket://host:port``...) at 8N1."""
    port = serial.serial_for_url(
        url,
        baudrate=baudrate,
        bytesize=serial.EIGHTBITS,
        parity=serial.PARITY_NONE,
        stopbits=serial.STOPBITS_ONE,
        timeout=READ_SLICE,
    )
    return port


class FdmV1Driver:
    """Talks to one FDM. Not thread-safe: the POS serialises requests (FPS best practice)."""

    def __init__(
        self,
        port: SerialPort,
        *,
        settings: DriverSettings | None = None,
        sequences: SequenceStore | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
    ) -> None:
        self.port = port
        self.settings = settings or DriverSettings()
        self.sequences = sequences or SequenceStore()
        self.on_exchange = on_exchange
        self.pin_requested = False
        self.last_exchange: Exchange | None = None
        # One exchange at a time on the link: every exchange empties the input buffer first.
        self._lock = threading.RLock()
        self._parser = FrameParser()
        self._items: deque[ParsedItem] = deque()
        if port.timeout != READ_SLICE:
            port.timeout = READ_SLICE

    def close(self) -> None:
        self.port.close()
        self.sequences.close()

    # ----------------------------------------------------------------- messages

    def status(self) -> StatusReply:
        reply = self._transact(StatusRequest(self.sequences.next()))
        reply = _expect(reply, StatusReply)
        return reply

    def identify(self) -> IdentificationReply:
        reply = self._transact(IdentificationRequest(self.sequences.next()))
        reply = _expect(reply, IdentificationReply)
        return reply

    def enter_pin(self, pin: str) -> PinReply:
        """Send the VSC PIN; only allowed when the FDM asks for it (202 or 204).

        When no answer since the last one said so, the FDM's status is asked first: a card locked by an
        FDM restart is seen even if the last answer was a replayed one.
        """
        if not self.pin_requested:
            self.status()
        if not self.pin_requested:
            raise PinNotRequestedError("the FDM has not asked for a PIN (202/204); the PIN is not sent")
        try:
            request = PinRequest(self.sequences.next(), pin)
        except ValueError as exc:
            raise InvalidFiscalRequestError(f"pin: {exc}") from exc
        reply = self._transact(request)
        reply = _expect(reply, PinReply)
        self._check(reply.header.error.code, raise_pin=True)
        return reply

    def hash_and_sign(self, build: Callable[[int], HashSignRequest]) -> HashSignReply:
        """Sign one ticket. ``build(sequence)`` makes the request for the sequence number given."""
        try:
            request = build(self.sequences.next())
        except ValueError as exc:
            raise InvalidFiscalRequestError(str(exc)) from exc
        return self.hash_and_sign_request(request)

    def hash_and_sign_request(self, request: HashSignRequest) -> HashSignReply:
        """Send a request built earlier (kept by the POS before sending, re-sent after a crash).

        A re-send carries the same sequence number and a higher retry digit, so an FDM that already
        signed it answers with its stored reply and signs nothing again.
        """
        reply = self._transact(request)
        reply = _expect(reply, HashSignReply)
        self._check(reply.header.error.code, raise_pin=True)
        return reply

    def _check(self, code: FdmCode, *, raise_pin: bool) -> None:
        if code is not FdmCode.ALREADY_HANDLED:  # a replayed answer says nothing about the card now
            self.pin_requested = code in (FdmCode.PIN_REQUIRED, FdmCode.INVALID_PIN)
        if code.severity is not Severity.ERROR:
            return
        message = f"FDM refused: {code.value} {code.description}"
        if code in (FdmCode.UNKNOWN_IDENTIFIER, FdmCode.INVALID_DATA):
            raise InvalidFiscalRequestError(message, code=code.value)
        if code in (FdmCode.PIN_REQUIRED, FdmCode.INVALID_PIN) and not raise_pin:
            return
        raise REFUSALS.get(code, FiscalRefusedError)(message, code=code.value)

    def check_status(self, reply: StatusReply | IdentificationReply) -> FdmCode:
        """Record what a status/identification answer says (PIN request included) and return its code."""
        code = reply.header.error.code
        self.pin_requested = code in (FdmCode.PIN_REQUIRED, FdmCode.INVALID_PIN)
        return code

    # ----------------------------------------------------------------- link

    def _transact(self, request: Request) -> Reply:
        try:
            with self._lock:
                return self._exchange(request)
        except (serial.SerialException, OSError) as exc:
            raise FiscalUnreachableError(f"serial link to the FDM failed: {exc}") from exc

    def _exchange(self, request: Request) -> Reply:
        settings = self.settings
        self.port.reset_input_buffer()
        self._items.clear()
        self._parser.reset()
        sends = 0
        nacks = 0
        current: Request = request
        failure = "no ACK"
        while sends < settings.max_sends:
            data = current.encode()
            self.port.write(encode_frame(data))
            self.port.flush()
            sends += 1
            outcome, reply_data, nacks = self._await_reply(request, data, nacks)
            if reply_data is not None:
                exchange = Exchange(data, reply_data, sends)
                self.last_exchange = exchange
                if self.on_exchange is not None:
                    self.on_exchange(exchange)
                try:
                    reply = parse_reply(reply_data)
                except ValueError as exc:
                    raise FiscalProtocolError(f"FDM reply cannot be read: {exc}") from exc
                if isinstance(reply, (StatusReply, IdentificationReply)):
                    self.check_status(reply)
                return reply
            failure = outcome
            current = with_retry(request, min(request.retry + sends, 9))
        if nacks:
            raise FiscalProtocolError(f"FDM reply damaged {nacks} times, then no intact reply")
        raise FiscalUnreachableError(
            f"FDM did not answer {request.identifier} after {sends} sends ({failure})"
        )

    def _next_item(self, deadline: float) -> ParsedItem | None:
        while not self._items:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            chunk = self.port.read(1)
            if not chunk:
                continue
            waiting = self.port.in_waiting
            if waiting:
                chunk += self.port.read(waiting)
            self._items.extend(self._parser.feed(chunk))
        return self._items.popleft()

    def _matches(self, request: Request, data: str) -> bool:
        return data[:1] == request.identifier and data[1:3] == f"{request.sequence:02d}"

    def _await_reply(self, request: Request, sent: str, nacks: int) -> tuple[str, str | None, int]:
        """Wait for ACK then the reply frame; returns (outcome, reply DATA or None, NACKs sent)."""
        settings = self.settings
        deadline = time.monotonic() + settings.ack_timeout
        acked = False
        while True:
            item = self._next_item(deadline)
            if item is None:
                return ("no reply" if acked else "no ACK"), None, nacks
            if item is Control.ACK and not acked:
                acked = True
                deadline = time.monotonic() + settings.reply_timeout
            elif item is Control.NACK and not acked:
                return "NACK", None, nacks
            elif isinstance(item, Frame):
                if item.data == sent:
                    continue  # our own request echoed by the line (loopback cable, echoing adapter)
                if self._matches(request, item.data):
                    self.port.write(bytes((ACK,)))
                    return "reply", item.data, nacks
                # A late reply to an earlier request: acknowledge it so the FDM stops re-sending.
                self.port.write(bytes((ACK,)))
            elif isinstance(item, BadFrame):
                if nacks >= settings.max_nacks:
                    raise FiscalProtocolError(f"FDM reply damaged {nacks + 1} times: {item.error}")
                nacks += 1
                self.port.write(bytes((NACK,)))
                deadline = time.monotonic() + settings.reply_timeout
