"""The representative append-only tables a site sends to head office, and the hash-chained append.

These are representative tables keyed by site (the real POS tables, one schema per site, are
replicated by :mod:`sce.chain.sites`); the replication functions in :mod:`sce.chain.replication` take
table names as parameters and only rely on what these tables show:

* every row carries the ``site_id`` of the site that wrote it, and the primary key starts with it
  (``(site_id, seq)``, ``(site_id, z_number)``), so head office holds every site's rows in one table
  without key collisions: two sites both have a record number 1, never the same key;
* rows are only inserted, never updated or deleted (the journal is append-only by law);
* each journal record carries the hash of the previous record of the same site (the chain).

Journal payload, as far as the consolidated reports read it::

    {"event": "sale", "booking_date": "2026-11-23",
     "vat": {"A": {"net_cents": 1000, "vat_cents": 210}, "C": {"net_cents": 500, "vat_cents": 30}}}

Refunds carry negative amounts. Other events (work in, drawer opening...) have no ``vat`` key.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

__all__ = [
    "GENESIS_HASH",
    "AppendMode",
    "ChainBreak",
    "append_record",
    "create_tables",
    "journal_records",
    "metadata",
    "quote_table",
    "record_hash",
    "sale_payload",
    "verify_chain",
    "z_reports",
]

GENESIS_HASH = "0" * 64

metadata = sa.MetaData()

journal_records = sa.Table(
    "journal_records",
    metadata,
    sa.Column("site_id", sa.Text, primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("prev_hash", sa.Text, nullable=False),
    sa.Column("hash", sa.Text, nullable=False),
    sa.Column("payload", postgresql.JSONB, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

z_reports = sa.Table(
    "z_reports",
    metadata,
    sa.Column("site_id", sa.Text, primary_key=True),
    sa.Column("z_number", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("booking_date", sa.Date, nullable=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
    sa.Column("totals", postgresql.JSONB, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)


class AppendMode(StrEnum):
    """How concurrent writers of one site's chain are kept in line."""

    LOCK = "lock"  # a transaction-scoped advisory lock per site, READ COMMITTED
    SERIALIZABLE = "serializable"  # SERIALIZABLE transactions, retried on conflict


@dataclass(frozen=True)
class ChainBreak:
    """The first place where a site's chain does not hold."""

    site_id: str
    seq: int
    reason: str


def create_tables(engine: sa.Engine) -> None:
    """Create the representative tables (same definition at a site and at head office)."""
    metadata.create_all(engine)


def canonical_json(payload: Mapping[str, Any]) -> str:
    """The payload as hashed: sorted keys, no spaces, UTF-8 text kept."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(site_id: str, seq: int, prev_hash: str, payload: Mapping[str, Any]) -> str:
    """SHA-256 over site, number, previous hash and canonical payload."""
    text = f"{site_id}|{seq}|{prev_hash}|{canonical_json(payload)}"
    return hashlib.sha256(text.encode()).hexdigest()


def append_record(
    engine: sa.Engine,
    site_id: str,
    payload: Mapping[str, Any],
    *,
    mode: AppendMode = AppendMode.LOCK,
    table: str = "journal_records",
    attempts: int = 200,
) -> int:
    """Append one record to ``site_id``'s chain in its own durable transaction; its number.

    Several writers (terminals) may call this at once: with ``LOCK`` they queue on an advisory lock
    held until commit; with ``SERIALIZABLE`` a loser of a race gets a serialization failure (or a
    duplicate key) and tries again. Either way numbers have no gap and no double, and each record
    carries the hash of its predecessor.
    """
    last = sa.text(
        f"SELECT seq, hash FROM {quote_table(table)} WHERE site_id = :site_id ORDER BY seq DESC LIMIT 1"
    )
    insert = sa.text(
        f"INSERT INTO {quote_table(table)} (site_id, seq, prev_hash, hash, payload) "
        "VALUES (:site_id, :seq, :prev_hash, :hash, CAST(:payload AS jsonb))"
    )
    isolation = "SERIALIZABLE" if mode is AppendMode.SERIALIZABLE else "READ COMMITTED"
    for attempt in range(attempts):
        try:
            with (
                engine.connect().execution_options(isolation_level=isolation) as connection,
                connection.begin(),
            ):
                if mode is AppendMode.LOCK:
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                        {"key": f"{table}:{site_id}"},
                    )
                row = connection.execute(last, {"site_id": site_id}).first()
                seq, prev_hash = (row[0] + 1, row[1]) if row else (1, GENESIS_HASH)
                connection.execute(
                    insert,
                    {
                        "site_id": site_id,
                        "seq": seq,
                        "prev_hash": prev_hash,
                        "hash": record_hash(site_id, seq, prev_hash, payload),
                        "payload": canonical_json(payload),
                    },
                )
            return int(seq)
        except DBAPIError as error:
            if mode is AppendMode.SERIALIZABLE and _is_retryable(error):
                time.sleep(random.uniform(0, min(0.02, 0.0005 * 2**attempt)))  # jittered back-off
                continue
            raise
    raise RuntimeError(f"could not append to {site_id}'s chain after {attempts} attempts")


def verify_chain(
    connection: sa.Connection, site_id: str, *, table: str = "journal_records"
) -> ChainBreak | None:
    """Walk ``site_id``'s chain in ``table``: numbers from 1 without gap, hashes linked and right."""
    rows = connection.execute(
        sa.text(
            f"SELECT seq, prev_hash, hash, payload FROM {quote_table(table)}"
            " WHERE site_id = :site_id ORDER BY seq"
        ),
        {"site_id": site_id},
    )
    expected_seq, prev_hash = 1, GENESIS_HASH
    for seq, stored_prev, stored_hash, payload in rows:
        if seq != expected_seq:
            return ChainBreak(site_id, expected_seq, f"record {expected_seq} missing (next is {seq})")
        if stored_prev != prev_hash:
            return ChainBreak(site_id, seq, "previous hash does not match")
        if stored_hash != record_hash(site_id, seq, stored_prev, payload):
            return ChainBreak(site_id, seq, "hash does not match the record")
        expected_seq, prev_hash = seq + 1, stored_hash
    return None


def sale_payload(booking_date: date, vat: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    """A sale event payload: per VAT letter, (net cents, VAT cents)."""
    return {
        "event": "sale",
        "booking_date": booking_date.isoformat(),
        "vat": {letter: {"net_cents": net, "vat_cents": tax} for letter, (net, tax) in vat.items()},
    }


def _is_retryable(error: DBAPIError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in {"40001", "40P01", "23505"}  # serialization failure, deadlock, duplicate key


def quote_table(name: str) -> str:
    """A possibly schema-qualified table name, checked and quoted."""
    parts = name.split(".")
    if not 1 <= len(parts) <= 2 or not all(part.isidentifier() and part.islower() for part in parts):
        raise ValueError(f"not a plain lower-case table name: {name!r}")
    return ".".join(f'"{part}"' for part in parts)
