"""The verifier's fast JSON path never decides a finding: where orjson reads or writes a value otherwise
than the standard library (which defines the format), the check is repeated the standard way."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sce.journal.format import GENESIS, JOURNAL_FORMAT, line_of, seal
from sce.verifier import fastjson
from sce.verifier.run import SLIM_FIELDS, analyse_line
from sce.verifier.signatures import KeyRing

#: Values orjson writes or reads differently from ``json``: exponents, big integers, NaN.
AWKWARD: list[Any] = [1e-05, 1e16, 2**70, -(2**65), float("nan"), "\u2028 \x7f \x00 é €", 0.1 + 0.2]

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def _sealed_line(extra: Any) -> bytes:
    record = {
        "format": JOURNAL_FORMAT,
        "seq": 1,
        "type": "incident",
        "recorded_at": "2026-01-01T10:00:00+01:00",
    }
    record["pos"] = {"note": extra}
    return line_of(seal(record, GENESIS)).encode("utf-8")


def test_awkward_values_are_hashed_the_format_s_way() -> None:
    ring = KeyRing()
    for value in AWKWARD:
        found, slim = analyse_line(_sealed_line(value), 1, ring)
        assert [f for f in found if f.check == "hash"] == [], value
        assert slim is not None and dict(zip(SLIM_FIELDS, slim, strict=True))["seq"] == 1


def test_a_changed_awkward_value_is_still_found() -> None:
    raw = _sealed_line(2**70).replace(str(2**70).encode(), str(2**70 + 1).encode())
    found, _ = analyse_line(raw, 1, KeyRing())
    assert [f.field for f in found if f.check == "hash"] == ["hash"]


@given(JSON_VALUES)
def test_any_json_value_in_a_sealed_record_passes_the_hash_check(value: Any) -> None:
    found, slim = analyse_line(_sealed_line(value), 1, KeyRing())
    assert [f for f in found if f.check == "hash"] == []
    assert slim is not None
    assert dict(zip(SLIM_FIELDS, slim, strict=True))["hash"] == json.loads(_sealed_line(value))["hash"]


def test_fast_canonical_form_is_the_format_s_for_ordinary_values() -> None:
    record = {"b": [1, "x", None, True], "a": {"é": 24.5, "z": -3}, "€": ""}
    assert fastjson.canonical(record) == fastjson.exact_canonical(record)
    assert fastjson.loads(fastjson.canonical(record)) == record
