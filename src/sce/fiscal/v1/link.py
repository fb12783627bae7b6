"""The emulator's side of the SCE 1.0 serial link: ACK/NACK handshake, reply re-sends, injected faults.

For each intact request frame the FDM sends ACK, processes, sends the reply frame and waits for the
POS's ACK; without it (1.0 s) or on NACK it re-sends the reply, at most 3 sends in all (Decision i).
A damaged frame gets NACK. A new request frame while waiting for an ACK ends the wait.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from sce.fiscal.v1.emulator import FdmEmulator
from sce.fiscal.v1.errors import FdmCode
from sce.fiscal.v1.faults import DEVICE_FAULTS, FaultKind, FaultPlan, FaultSpecError, parse_fault
from sce.fiscal.v1.framing import ACK, NACK, BadFrame, Control, Frame, FrameParser, ParsedItem, encode_frame
from sce.fiscal.v1.streams import ByteStream, StreamClosedError

log = logging.getLogger(__name__)

REPLY_ACK_TIMEOUT = 1.0
MAX_REPLY_SENDS = 3


class EmulatorLink:
    """Serves one :class:`FdmEmulator` on one byte stream until stopped or the stream closes."""

    def __init__(
        self,
        emulator: FdmEmulator,
        stream: ByteStream,
        *,
        faults: FaultPlan | None = None,
        ack_timeout: float = REPLY_ACK_TIMEOUT,
        max_sends: int = MAX_REPLY_SENDS,
    ) -> None:
        self.emulator = emulator
        self.stream = stream
        self.faults = faults or FaultPlan()
        self.ack_timeout = ack_timeout
        self.max_sends = max_sends
        self._parser = FrameParser()
        self._pending: deque[ParsedItem] = deque()
        self.requests_seen = 0

    def add_fault(self, spec: str) -> None:
        """Queue a fault (``drop-reply@H``...) or apply a device fault (``pull-vsc``) now."""
        fault = parse_fault(spec)
        if fault.kind in DEVICE_FAULTS:
            self.emulator.apply_device_fault(fault)
        else:
            self.faults.add(fault)

    def _collect_remote_faults(self) -> None:
        for spec in self.emulator.store.take_pending_faults():
            if spec.startswith("unblock="):
                self.emulator.unblock(spec.partition("=")[2])
                continue
            if spec.startswith("clock-offset="):
                try:
                    self.emulator.set_clock_offset(float(spec.partition("=")[2]))
                except ValueError:
                    log.warning("ignored clock offset that is not a number: %s", spec)
                continue
            try:
                self.add_fault(spec)
            except FaultSpecError as exc:
                log.warning("ignored fault from the state directory: %s", exc)

    def serve_forever(self, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        try:
            while not stop.is_set():
                item = self._next_item(0.2)
                if item is None:
                    continue
                if isinstance(item, Frame):
                    self._on_request(item.data)
                elif isinstance(item, BadFrame):
                    log.info("NACK for damaged frame: %s", item.error)
                    self.stream.write(bytes((NACK,)))
        except StreamClosedError:
            log.info("link closed by the peer")

    def _next_item(self, timeout: float) -> ParsedItem | None:
        if not self._pending:
            chunk = self.stream.read(timeout)
            if chunk:
                self._pending.extend(self._parser.feed(chunk))
        return self._pending.popleft() if self._pending else None

    def _on_request(self, data: str) -> None:
        self.requests_seen += 1
        self._collect_remote_faults()
        faults = self.faults.take(data[:1])
        if FaultKind.DROP_ACK in faults:
            log.info("fault drop-ack: request %r lost", data[:4])
            return
        if FaultKind.NACK in faults:
            log.info("fault nack: request %r refused with NACK", data[:4])
            self.stream.write(bytes((NACK,)))
            return
        self.stream.write(bytes((ACK,)))
        forced = None
        if FaultKind.ERROR in faults:
            forced = FdmCode(faults[FaultKind.ERROR].arg)
        reply = self.emulator.handle(data, forced_error=forced)
        if FaultKind.DELAY in faults:
            time.sleep(float(faults[FaultKind.DELAY].arg or "0"))
        if FaultKind.DROP_REPLY in faults:
            log.info("fault drop-reply: reply to %r lost", data[:4])
            return
        frame = encode_frame(reply)
        if FaultKind.CORRUPT_BCC in faults:
            frame = frame[:-1] + bytes(((frame[-1] + 1) & 0xFF,))
        self._send_reply(frame)

    def _send_reply(self, frame: bytes) -> None:
        sends = 0
        while sends < self.max_sends:
            self.stream.write(frame)
            sends += 1
            outcome = self._await_ack()
            if outcome in ("ack", "new-frame"):
                return
        log.info("no ACK for the reply after %d sends", sends)

    def _await_ack(self) -> str:
        deadline = time.monotonic() + self.ack_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            item = self._next_item(remaining)
            if item is None:
                continue
            if item is Control.ACK:
                return "ack"
            if item is Control.NACK:
                return "nack"
            if isinstance(item, Frame):
                self._pending.appendleft(item)
                return "new-frame"
            if isinstance(item, BadFrame):
                self.stream.write(bytes((NACK,)))
