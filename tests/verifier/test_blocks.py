"""The verifier's reading in blocks: whole lines, any line length, line numbers of the whole file."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from sce.verifier import run, verify_export
from sce.verifier.signatures import KeyRing
from tests.verifier.tampering import read_lines, write_lines


@pytest.mark.parametrize("size", [1, 7, 64, 1 << 20])
def test_blocks_cut_at_line_ends_whatever_the_line_length(size: int) -> None:
    text = b"a\n" + b"x" * 100 + b"\n\n" + b"bb\n" + b"last line without a newline"
    blocks = list(run._blocks(io.BytesIO(text), size))
    assert b"".join(bytes(block) for _offset, block in blocks) == text
    offset = 0
    for start, block in blocks:
        assert start == offset
        offset += len(block)
        assert bytes(block).endswith(b"\n") or start + len(block) == len(text)


def test_content_leaves_out_trailing_newlines() -> None:
    assert run._content(memoryview(b"ab\n\n")) == 2
    assert run._content(memoryview(b"\n\n")) == 0
    assert run._content(memoryview(b"ab")) == 2


@pytest.mark.parametrize("jobs", [0, 2])
def test_an_unreadable_line_is_named_by_its_line_in_the_file(
    v1_export: Path, copy_of: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    root = copy_of(v1_export)
    lines = read_lines(root)
    lines[400] = lines[400][: len(lines[400]) // 2]
    lines.insert(200, "")  # a blank line is skipped but counted
    write_lines(root, lines)
    monkeypatch.setattr(run, "BLOCK", 5 << 10)
    summary = verify_export(root, jobs=jobs)
    unreadable = [f for f in summary.first if f.check == "json"]
    assert [f.line for f in unreadable] == [402]


def test_a_block_is_read_line_by_line_as_split_would_cut_it(v2_export: Path) -> None:
    ring = KeyRing.load(v2_export / "keys.json")
    good = [line.encode("utf-8") for line in read_lines(v2_export)[:4]]
    odd = b'{"seq": NaN}'  # orjson refuses it, the standard library reads it (from the view too)
    pieces = [good[0], b"", b"   ", b" " + good[1], b"\t", good[2] + b"\r", b"x{", odd, good[3], b""]
    block = b"\n".join(pieces)
    items, _partials, count = run._analyse_block(block, ring)
    assert count == len(block.split(b"\n")) == len(pieces)
    kept = [number for number, piece in enumerate(pieces, 1) if piece.strip()]
    assert len(items) == len(kept) == 6
    for number, (found, slim, _figures) in zip(kept, items, strict=True):
        if pieces[number - 1] == b"x{":
            assert slim is None and [(f.check, f.line) for f in found] == [("json", number)]
        elif pieces[number - 1] == odd:
            assert slim is not None and slim[0] != slim[0]  # read: seq is NaN
            assert {f.line for f in found} == {number} and any(f.check == "format" for f in found)
        else:
            assert slim is not None and found == [], (number, found)
    # the same lines one by one give the same records
    sound = [piece for piece in pieces if piece.strip() and piece not in (b"x{", odd)]
    assert [item[1] for number, item in zip(kept, items, strict=True) if pieces[number - 1] in sound] == [
        run.analyse_line(piece, 1, ring)[1] for piece in sound
    ]
