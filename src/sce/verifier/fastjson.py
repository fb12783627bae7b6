"""JSON on the verifier's hot path: orjson first, the standard library as the reference.

The published format is defined with Python's ``json`` (canonical form: sorted keys, ``,``/``:``
separators, UTF-8 without escapes). orjson reads and writes the same text several times faster for the
values a journal holds; where it reads or writes a value differently (big integers, NaN, exponents,
lone surrogates), the caller's check fails on the fast result and is repeated with :mod:`json`, so a
finding is only ever reported on the standard library's reading.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["canonical", "exact_canonical", "loads"]


def loads(text: bytes | memoryview | str) -> Any:
    """The JSON value of ``text``; raises ``ValueError`` as :func:`json.loads` does."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(bytes(text) if isinstance(text, memoryview) else text)


def canonical(value: Any) -> bytes:
    """Canonical JSON bytes of ``value`` (sorted keys, compact, UTF-8), fast."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return exact_canonical(value)


def exact_canonical(value: Any) -> bytes:
    """Canonical JSON bytes of ``value`` as the format defines them (the standard library's)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
