"""The published format of journal and configuration-log records: canonical bytes and the chain hash.

A record is a JSON object. Its ``hash`` is the SHA-256 (hex) of the record's canonical form without the
``hash`` member: UTF-8, keys sorted, no insignificant white space, no ASCII escaping. ``prev`` holds the
hash of the previous record of the same log (``GENESIS`` for the first), so deleting, inserting,
reordering or editing a record breaks the chain. Amounts are decimal strings, never binary floats.

This module is the only code the writer and an outside verifier need to share.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

JOURNAL_FORMAT = "sce-journal/1"
CONFIG_FORMAT = "sce-config/1"
GENESIS = "0" * 64

#: Record types of the event journal.
EVENT = "event"  # an event, signed by the FDM or journaled only (SCE 1.0 F/I/R events)
REFUSED = "refused"  # the FDM refused the event: request and reply kept, the number is used
VOID = "void"  # a number given to an attempt that was never sent, with the reason
INCIDENT = "incident"  # FDM failure: start/end, manual receipt numbers (fallback procedure)
RECORD_TYPES = (EVENT, REFUSED, VOID, INCIDENT)


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes the hash is computed over: ``record`` without ``hash``, canonical JSON."""
    body = {key: value for key, value in record.items() if key != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def seal(record: dict[str, Any], prev: str) -> dict[str, Any]:
    """``record`` with ``prev`` and its ``hash`` set (a new dict; the input is not changed)."""
    sealed = {key: value for key, value in record.items() if key != "hash"}
    sealed["prev"] = prev
    sealed["hash"] = record_hash(sealed)
    return sealed


def line_of(record: dict[str, Any]) -> str:
    """One JSON Lines line of a sealed record (canonical member order, hash last is not required)."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
