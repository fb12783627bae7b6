"""Frame codec and incremental parser: round trips, any BCC byte, damaged frames, arbitrary input."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sce.fiscal.v1.framing import (
    ACK,
    ETX,
    NACK,
    STX,
    BadFrame,
    Control,
    Frame,
    FrameError,
    FrameParser,
    bcc,
    decode_frame,
    encode_frame,
)

printable = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=200)


@given(printable)
def test_encode_decode_round_trip(data: str) -> None:
    frame = encode_frame(data)
    assert frame[0] == STX and frame[-2] == ETX
    assert (sum(frame[1:-2]) + frame[-1]) % 256 == 0
    assert decode_frame(frame) == data
    assert FrameParser().feed(frame) == [Frame(data)]


@given(st.lists(printable, min_size=1, max_size=5), st.data())
def test_parser_handles_any_chunking(messages: list[str], data: st.DataObject) -> None:
    stream = b"".join(encode_frame(m) for m in messages)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    parser = FrameParser()
    items = []
    previous = 0
    for cut in [*cuts, len(stream)]:
        items += parser.feed(stream[previous:cut])
        previous = cut
    assert items == [Frame(m) for m in messages]


@given(st.binary(max_size=600))
def test_parser_never_raises_on_arbitrary_bytes(noise: bytes) -> None:
    parser = FrameParser()
    items = parser.feed(noise)
    for item in items:
        assert isinstance(item, (Frame, BadFrame, Control))
        if isinstance(item, Frame):
            assert all(0x20 <= ord(ch) <= 0x7E for ch in item.data)
    # After any noise, a clean frame is still recognised once the parser is out of a frame.
    parser.reset()
    assert parser.feed(encode_frame("S000")) == [Frame("S000")]


@given(st.binary(max_size=600))
def test_decode_raises_only_frame_error(raw: bytes) -> None:
    try:
        decode_frame(raw)
    except FrameError as exc:
        assert str(exc).startswith("bad frame")


def test_check_values_of_the_spec() -> None:
    assert bcc(b"S000") == 0x1D
    assert encode_frame("S000").hex() == "0253303030031d"
    assert encode_frame("I010").hex() == "02493031300326"


@pytest.mark.parametrize("control_bcc", [0x00, STX, ETX, ACK, NACK])
def test_bcc_may_be_any_byte_even_a_control_byte(control_bcc: int) -> None:
    # Printable DATA whose BCC is the control byte: a run of "~" then one byte that hits the target.
    for run, fill, last in itertools.product(range(1, 9), b"~A ", range(0x20, 0x7F)):
        data = bytes((fill,)) * run + bytes((last,))
        if bcc(data) == control_bcc:
            frame = encode_frame(data)
            assert frame[-1] == control_bcc
            assert FrameParser().feed(frame + encode_frame("S000")) == [Frame(data.decode()), Frame("S000")]
            return
    pytest.fail("no DATA found for this BCC")


def test_bad_bcc_is_reported_with_expected_value() -> None:
    frame = bytearray(encode_frame("S000"))
    frame[-1] ^= 0xFF
    (item,) = FrameParser().feed(bytes(frame))
    assert isinstance(item, BadFrame)
    assert "expected 0x1d" in str(item.error)
    with pytest.raises(FrameError, match="BCC is 0xe2, expected 0x1d"):
        decode_frame(bytes(frame))


def test_non_printable_data_is_refused_with_its_offset() -> None:
    raw = bytes((STX, *b"S0", 0x07, *b"0", ETX, 0))
    (item,) = FrameParser().feed(raw)
    assert isinstance(item, BadFrame)
    assert item.error.offset == 2
    assert "0x07" in str(item.error)
    with pytest.raises(FrameError, match="offset 2"):
        encode_frame("S0\x070")


def test_handshake_bytes_outside_frames_and_stx_restart() -> None:
    stream = bytes((ACK, NACK)) + b"noise" + bytes((STX, *b"S0")) + encode_frame("I010")
    items = FrameParser().feed(stream)
    assert items[:2] == [Control.ACK, Control.NACK]
    assert isinstance(items[2], BadFrame) and "cut short" in str(items[2].error)
    assert items[3] == Frame("I010")


def test_empty_and_overlong_frames_are_bad() -> None:
    (empty,) = FrameParser().feed(bytes((STX, ETX, 0)))
    assert isinstance(empty, BadFrame) and "empty" in str(empty.error)
    (long,) = FrameParser().feed(bytes((STX,)) + b"A" * 600)
    assert isinstance(long, BadFrame) and "longer than" in str(long.error)
    with pytest.raises(FrameError, match="empty"):
        encode_frame("")
