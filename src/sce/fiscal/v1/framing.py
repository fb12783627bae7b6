"""SCE 1.0 frame codec: STX DATA ETX BCC, with an incremental parser for byte streams.

DATA is printable ASCII (0x20-0x7E); BCC is the two's complement of the byte sum of DATA, so
``sum(DATA) + BCC == 0 (mod 256)``. The BCC may be any byte value, control bytes included: the parser
reads exactly one byte after ETX and never interprets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

STX = 0x02
ETX = 0x03
ACK = 0x06
NACK = 0x15

#: Longest DATA the parser accepts; the longest known message (H request) has 162 characters.
MAX_DATA_LENGTH = 512


class FrameError(ValueError):
    """A frame that cannot be accepted; ``reason`` says which rule it breaks."""

    def __init__(self, reason: str, *, offset: int | None = None) -> None:
        self.reason = reason
        self.offset = offset
        where = f" at DATA offset {offset}" if offset is not None else ""
        super().__init__(f"bad frame{where}: {reason}")


def bcc(data: bytes) -> int:
    """Block check character of ``data``: ``(-sum(data)) & 0xFF``."""
    return -sum(data) & 0xFF


def _check_printable(data: bytes) -> None:
    for offset, byte in enumerate(data):
        if not 0x20 <= byte <= 0x7E:
            raise FrameError(f"DATA byte 0x{byte:02x} is not printable ASCII (0x20-0x7E)", offset=offset)


def encode_frame(data: str | bytes) -> bytes:
    """Build ``STX DATA ETX BCC`` from ``data`` (printable ASCII only)."""
    raw = data.encode("ascii", errors="strict") if isinstance(data, str) else bytes(data)
    if not raw:
        raise FrameError("DATA is empty")
    if len(raw) > MAX_DATA_LENGTH:
        raise FrameError(f"DATA has {len(raw)} bytes, more than {MAX_DATA_LENGTH}")
    _check_printable(raw)
    return bytes((STX, *raw, ETX, bcc(raw)))


def decode_frame(frame: bytes) -> str:
    """Decode one complete frame; raise :class:`FrameError` naming the broken rule."""
    if len(frame) < 4:
        raise FrameError(f"frame has {len(frame)} bytes, at least 4 are needed (STX, DATA, ETX, BCC)")
    if frame[0] != STX:
        raise FrameError(f"first byte is 0x{frame[0]:02x}, expected STX 0x02")
    if frame[-2] != ETX:
        raise FrameError(f"byte before BCC is 0x{frame[-2]:02x}, expected ETX 0x03")
    data = frame[1:-2]
    if len(data) > MAX_DATA_LENGTH:
        raise FrameError(f"DATA has {len(data)} bytes, more than {MAX_DATA_LENGTH}")
    _check_printable(data)
    expected = bcc(data)
    if frame[-1] != expected:
        raise FrameError(f"BCC is 0x{frame[-1]:02x}, expected 0x{expected:02x}")
    return data.decode("ascii")


class Control(Enum):
    """A single handshake byte seen outside a frame."""

    ACK = ACK
    NACK = NACK


@dataclass(frozen=True, slots=True)
class Frame:
    """A frame received intact."""

    data: str


@dataclass(frozen=True, slots=True)
class BadFrame:
    """A frame received damaged; the peer should answer NACK."""

    error: FrameError
    raw: bytes


ParsedItem = Frame | BadFrame | Control


class _State(Enum):
    IDLE = 0
    DATA = 1
    BCC = 2


class FrameParser:
    """Incremental parser: feed any bytes, get frames, damaged frames and handshake bytes in order.

    Outside a frame, bytes other than STX, ACK and NACK are noise and are skipped. Inside a frame a
    non-printable byte marks the frame damaged, but the parser keeps reading up to ETX and the BCC so it
    stays in step with the sender; an STX inside DATA starts a new frame (the previous one was cut).
    """

    def __init__(self) -> None:
        self._state = _State.IDLE
        self._data = bytearray()
        self._bad: FrameError | None = None

    @property
    def in_frame(self) -> bool:
        """True while a frame has started and is not complete yet."""
        return self._state is not _State.IDLE

    def reset(self) -> None:
        self._state = _State.IDLE
        self._data.clear()
        self._bad = None

    def feed(self, chunk: bytes) -> list[ParsedItem]:
        items: list[ParsedItem] = []
        for byte in chunk:
            item = self._step(byte)
            if item is not None:
                items.append(item)
        return items

    def _step(self, byte: int) -> ParsedItem | None:
        if self._state is _State.IDLE:
            if byte == STX:
                self._start()
            elif byte == ACK:
                return Control.ACK
            elif byte == NACK:
                return Control.NACK
            return None
        if self._state is _State.DATA:
            return self._step_data(byte)
        return self._finish(byte)

    def _start(self) -> None:
        self._state = _State.DATA
        self._data.clear()
        self._bad = None

    def _step_data(self, byte: int) -> ParsedItem | None:
        if byte == ETX:
            self._state = _State.BCC
            return None
        if byte == STX:
            raw = bytes((STX, *self._data))
            self._start()
            return BadFrame(FrameError("frame cut short: STX before ETX"), raw)
        if self._bad is None and not 0x20 <= byte <= 0x7E:
            self._bad = FrameError(
                f"DATA byte 0x{byte:02x} is not printable ASCII (0x20-0x7E)", offset=len(self._data)
            )
        self._data.append(byte)
        if len(self._data) > MAX_DATA_LENGTH:
            raw = bytes((STX, *self._data))
            self.reset()
            return BadFrame(FrameError(f"DATA longer than {MAX_DATA_LENGTH} bytes without ETX"), raw)
        return None

    def _finish(self, byte: int) -> ParsedItem:
        data = bytes(self._data)
        raw = bytes((STX, *data, ETX, byte))
        bad = self._bad
        self.reset()
        if bad is not None:
            return BadFrame(bad, raw)
        if not data:
            return BadFrame(FrameError("DATA is empty"), raw)
        expected = bcc(data)
        if byte != expected:
            return BadFrame(FrameError(f"BCC is 0x{byte:02x}, expected 0x{expected:02x}"), raw)
        return Frame(data.decode("ascii"))
