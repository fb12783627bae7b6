"""Values of the wrong type anywhere in a record (re-sealed, so the deeper checks read it): the verifier
names the record and keeps going; it never stops on what it reads. Run on the pure Python build and on
the compiled one (``make test`` runs this directory again on ``make compiled``'s wheel)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sce.journal.format import line_of, seal
from sce.verifier import verify_export
from tests.verifier.tampering import edit, read_lines, write_lines

ODD_VALUES: list[Any] = [
    *(None, 0, -1, 1.5, 10**30, "", "x", "12.345", [], [1], {}, {"a": 1}, True, False),
    *("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00", "2026-01-01T10:00:00"),  # times
    *(float("inf"), float("-inf"), float("nan")),  # written as Infinity / NaN, which Python's json reads
]
Path_ = tuple[str | int, ...]


def _paths(value: Any, path: Path_ = ()) -> Iterator[Path_]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _put(value: Any, path: Path_, new: Any) -> None:
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


def _embedded(record: dict[str, Any], member: str) -> dict[str, Any] | None:
    """The JSON object an SCE 2.0 record holds as text in ``request`` or ``reply``."""
    try:
        value = json.loads(record[member])
    except (KeyError, TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _mutate(record: dict[str, Any], rng: random.Random) -> str:
    """Put an odd value somewhere in ``record`` (possibly inside its FDM exchange); returns where."""
    for member in ("request", "reply"):
        inner = _embedded(record, member)
        if inner is not None and rng.random() < 0.3:
            path = rng.choice(list(_paths(inner)))
            _put(inner, path, rng.choice(ODD_VALUES))
            record[member] = json.dumps(inner)
            return f"{member}:{path}"
    paths = [p for p in _paths(record) if p[0] not in ("seq", "prev", "hash")]
    path = rng.choice(paths)
    _put(record, path, rng.choice(ODD_VALUES))
    return str(path)


def _cases(count: int, seed: int) -> list[int]:
    return [seed * 1000 + n for n in range(count)]


@pytest.mark.parametrize("generation", [1, 2])
def test_odd_values_are_findings_and_never_stop_the_verifier(
    generation: int,
    v1_export: Path,
    v2_export: Path,
    copy_of: Callable[[Path], Path],
) -> None:
    root = copy_of(v1_export if generation == 1 else v2_export)
    original = read_lines(root)
    checked = 0
    for case in _cases(40, generation):
        rng = random.Random(case)
        index = rng.randrange(1, len(original) - 1)
        record = json.loads(original[index])
        where = _mutate(record, rng)
        previous = json.loads(original[index - 1])["hash"]
        changed = line_of(seal(record, previous))
        if changed == original[index]:
            continue  # the same value was drawn
        lines = list(original)
        lines[index] = changed
        write_lines(root, lines)
        summary = verify_export(root, jobs=0)  # raises if a value stops it
        seq = record["seq"]
        named = {f.seq for f in summary.first}
        assert summary.events == len(lines), where  # nothing lost
        assert not summary.ok, where
        # the changed record itself, or the next one whose prev no longer matches
        assert named & {seq, seq + 1}, (where, sorted(s for s in named if s is not None)[:5])
        checked += 1
    assert checked >= 30
    write_lines(root, original)
    assert verify_export(root, jobs=0).ok


def test_odd_values_read_by_workers_give_the_same_findings(
    v2_export: Path, copy_of: Callable[[Path], Path]
) -> None:
    root = copy_of(v2_export)
    lines = read_lines(root)
    rng = random.Random(7)
    for _ in range(6):
        index = rng.randrange(1, len(lines) - 1)
        record = json.loads(lines[index])
        _mutate(record, rng)
        lines[index] = line_of(seal(record, json.loads(lines[index - 1])["hash"]))
    write_lines(root, lines)
    alone = verify_export(root, jobs=0)
    shared = verify_export(root, jobs=2)
    assert not alone.ok
    assert shared.first == alone.first
    assert shared.events == alone.events == len(lines)


def test_a_time_without_its_utc_offset_is_a_finding(v2_export: Path, copy_of: Callable[[Path], Path]) -> None:
    root = copy_of(v2_export)
    edit(root, 5, lambda record: record.__setitem__("recorded_at", "2026-01-01T10:00:00"), reseal=True)
    summary = verify_export(root, jobs=0)
    assert [(f.check, f.seq, f.field, f.expected) for f in summary.first] == [
        ("time", 5, "recorded_at", "an RFC 3339 time")
    ]


def test_the_first_representable_time_does_not_stop_the_verifier(
    v2_export: Path, copy_of: Callable[[Path], Path]
) -> None:
    root = copy_of(v2_export)
    edit(root, 1, lambda record: record.__setitem__("recorded_at", "0001-01-01T00:00:00+00:00"), reseal=True)
    summary = verify_export(root, jobs=0)
    assert summary.ok, [f.text() for f in summary.first]
    assert summary.events == len(read_lines(root))


def test_an_sce1_fdm_clock_going_back_is_found(v1_export: Path, copy_of: Callable[[Path], Path]) -> None:
    """An SCE 1.0 FDM's clock is local time without offset: its times are still compared."""
    root = copy_of(v1_export)
    seq = 40
    edit(root, seq, lambda r: r["fdm"].__setitem__("fdm_datetime", "2025-12-01T10:00:00"), reseal=True)
    summary = verify_export(root, jobs=0)
    assert ("time", seq, "fdm.fdm_datetime") in [(f.check, f.seq, f.field) for f in summary.first]


ODD_RECORDS: dict[str, Callable[[dict[str, Any]], None]] = {
    "total beyond any decimal": lambda r: r["event"].__setitem__("total", "1e999999"),
    "transfer targets of odd shapes": lambda r: r["event"].__setitem__(
        "details", {"transfer": {"to": [1, {"costCenter": "x"}, None]}, "target_cost_center": []}
    ),
    "transfer to a number": lambda r: r["event"].__setitem__("details", {"transfer": {"to": 5}}),
    "a sequence number of 4300 digits": lambda r: r.__setitem__("seq", int("9" * 4300)),
    "an FDM counter of 4300 digits": lambda r: r["fdm"].__setitem__("total_counter", int("9" * 4300)),
    "a report number no file name can hold": lambda r: r["event"].update(
        kind="REPORT_TURNOVER_Z", report_number=int("7" * 300)
    ),
}


@pytest.mark.parametrize("name", sorted(ODD_RECORDS))
def test_odd_records_are_findings(name: str, v2_export: Path, copy_of: Callable[[Path], Path]) -> None:
    root = copy_of(v2_export)
    lines = read_lines(root)
    record = json.loads(lines[20])
    ODD_RECORDS[name](record)
    lines[20] = line_of(seal(record, json.loads(lines[19])["hash"]))
    write_lines(root, lines)
    summary = verify_export(root, jobs=0)
    assert not summary.ok
    assert summary.events == len(lines)


def test_a_line_nested_too_deep_to_read_is_a_finding(
    v2_export: Path, copy_of: Callable[[Path], Path]
) -> None:
    root = copy_of(v2_export)
    lines = read_lines(root)
    lines[20] = lines[20][:-1] + ',"zz":' + "[" * 100_000 + "]" * 100_000 + "}"
    write_lines(root, lines)
    summary = verify_export(root, jobs=0)
    assert ("json", 21) in [(f.check, f.line) for f in summary.first]
