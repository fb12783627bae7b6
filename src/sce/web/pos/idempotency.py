"""Exactly-once client requests: each mutating request's Idempotency-Key and the answer it got.

The first request with a key claims it (a row without an answer), runs, then stores its answer; a repeat
of the key gets the stored answer without running anything again, and a repeat while the first is still
running gets a 409 asking to retry. An action the FDM could not finish releases its key: the order stays
locked in the core (pending event), so a retry cannot create a second sale.

The claim and the answer are two transactions around the action. The action itself runs
:func:`sce.db.store.on_behalf_of` its key, so each of its committed changes records the key in
``request_effects`` in the same transaction. When the server died between claim and answer (kill -9,
power cut), :meth:`IdempotencyStore.resolve_unanswered` at the next start-up answers each orphaned claim
from the database: carried out (it has effects: a "recovered" answer naming the orders and tickets, so
the client reloads them) or never carried out (no effect: the claim is released and the retry runs).
One server process per site database owns the claims.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from sce.db.store import utc_now
from sce.db.tables import request_effects
from sce.domain.errors import DomainError

metadata = MetaData()

#: Created by migration 0002.
web_idempotency = Table(
    "web_idempotency",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("employee_id", String(11), nullable=False),
    Column("method", String(8), nullable=False),
    Column("path", String(300), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("status_code", Integer),
    Column("body", Text),
)

#: Created by migration 0002.
web_kitchen_bumps = Table(
    "web_kitchen_bumps",
    metadata,
    Column("item_key", String(200), primary_key=True),
    Column("bumped_at", String(40), nullable=False),
    Column("employee_id", String(11), nullable=False),
)

_KEY = re.compile(r"[A-Za-z0-9._:-]{8,100}")


@dataclass(frozen=True, slots=True)
class Stored:
    """The answer recorded for a key."""

    status_code: int
    body: dict[str, Any]


def check_key(key: str | None) -> str:
    if not key:
        raise DomainError(
            "Idempotency-Key", "REQUIRED", "every change carries an Idempotency-Key header (8-100 characters)"
        )
    if not _KEY.fullmatch(key):
        raise DomainError("Idempotency-Key", "INVALID", "8 to 100 letters, digits or . _ : -")
    return key


@dataclass
class Resolved:
    """What :meth:`IdempotencyStore.resolve_unanswered` did with the claims a crash left behind."""

    answered: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)


class IdempotencyStore:
    """The ``web_idempotency`` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, key: str, employee_id: str, method: str, path: str) -> Stored | None:
        """None when this request owns the key now; the stored answer when the key was used before."""
        try:
            with self.engine.begin() as c:
                c.execute(
                    insert(web_idempotency).values(
                        key=key, employee_id=employee_id, method=method, path=path, created_at=utc_now()
                    )
                )
            return None
        except IntegrityError:
            pass
        with self.engine.begin() as c:
            row = c.execute(select(web_idempotency).where(web_idempotency.c.key == key)).first()
        if row is None:  # released meanwhile: try once more
            return self.claim(key, employee_id, method, path)
        if row.employee_id != employee_id or row.path != path or row.method != method:
            return Stored(
                422,
                {
                    "error": {
                        "field": "Idempotency-Key",
                        "rule": "KEY_REUSED",
                        "message": "this Idempotency-Key was used for another request",
                    }
                },
            )
        if row.status_code is None:
            return Stored(
                409,
                {
                    "error": {
                        "field": "Idempotency-Key",
                        "rule": "IN_PROGRESS",
                        "message": "the same request is still being processed: wait a moment and retry",
                    }
                },
            )
        return Stored(int(row.status_code), json.loads(row.body or "{}"))

    def complete(self, key: str, status_code: int, body: dict[str, Any]) -> None:
        with self.engine.begin() as c:
            c.execute(
                update(web_idempotency)
                .where(web_idempotency.c.key == key)
                .values(status_code=status_code, body=json.dumps(body, sort_keys=True, default=str))
            )

    def release(self, key: str) -> None:
        with self.engine.begin() as c:
            c.execute(delete(web_idempotency).where(web_idempotency.c.key == key))

    def prune(self, older_than: timedelta) -> int:
        """Forget the keys older than ``older_than`` (a client retries within minutes, not days)."""
        limit = (datetime.now(UTC) - older_than).isoformat(timespec="microseconds")
        with self.engine.begin() as c:
            c.execute(delete(request_effects).where(request_effects.c.recorded_at < limit))
            return int(
                c.execute(delete(web_idempotency).where(web_idempotency.c.created_at < limit)).rowcount
            )

    def resolve_unanswered(self, answer: Callable[[list[str], list[int]], dict[str, Any]]) -> Resolved:
        """At start-up, before any request runs: settle every claim left without an answer by a crash.

        A claim with recorded effects is answered 200 with ``answer(order_ids, ticket_numbers)``; a
        claim without any is released, so the client's retry carries the request out."""
        resolved = Resolved()
        with self.engine.begin() as c:
            keys = [
                str(k)
                for (k,) in c.execute(
                    select(web_idempotency.c.key).where(web_idempotency.c.status_code.is_(None))
                )
            ]
        for key in keys:
            with self.engine.begin() as c:
                rows = c.execute(
                    select(request_effects.c.order_ids, request_effects.c.ticket_numbers)
                    .where(request_effects.c.key == key)
                    .order_by(request_effects.c.seq)
                ).all()
            if not rows:
                self.release(key)
                resolved.released.append(key)
                continue
            orders: list[str] = []
            tickets: list[int] = []
            for row in rows:
                orders += [o for o in json.loads(row.order_ids) if o not in orders]
                tickets += [n for n in json.loads(row.ticket_numbers) if n not in tickets]
            self.complete(key, 200, answer(orders, tickets))
            resolved.answered.append(key)
        return resolved

    def count(self) -> int:
        with self.engine.begin() as c:
            return len(c.execute(select(web_idempotency.c.key)).all())
