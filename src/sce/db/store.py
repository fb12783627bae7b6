"""Reading and writing the POS tables inside one transaction: numbers, journal, log, pending, orders.

Every write of the application goes through :class:`Tx`, opened by :meth:`PosStore.tx`; a commit is
durable when :meth:`PosStore.tx` returns (SQLite WAL with synchronous FULL, PostgreSQL defaults).
Counter rows are updated first in a transaction, which serialises writers on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, Engine, insert, select, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.sql.dml import UpdateBase

from sce.db import tables as t
from sce.domain.errors import DomainError
from sce.journal.format import CONFIG_FORMAT, GENESIS, JOURNAL_FORMAT, line_of, seal

#: The client request (its idempotency key) on whose behalf this thread or task writes, if any.
_request: ContextVar[str | None] = ContextVar("sce_request", default=None)


@contextmanager
def on_behalf_of(key: str | None) -> Iterator[None]:
    """Every transaction that writes inside this block records ``key`` with its effect, so that after a
    crash the outcome of the request can be told from the database alone (``None``: on nobody's)."""
    token = _request.set(key)
    try:
        yield
    finally:
        _request.reset(token)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class ConflictError(DomainError):
    """Someone else changed the same document since it was read (optimistic versioning)."""


@dataclass(frozen=True, slots=True)
class StoredOrder:
    order_id: str
    version: int
    status: str
    body: dict[str, Any]
    ticket_number: int | None = None


@dataclass(frozen=True, slots=True)
class Pending:
    ticket_number: int
    created_at: str
    event: dict[str, Any]
    effect: dict[str, Any]
    token: str | None
    attempts: int
    last_error: str


class Tx:
    """One open transaction."""

    def __init__(self, connection: Connection) -> None:
        self.c = connection
        self.wrote = False
        self.orders_touched: list[str] = []
        self.tickets_touched: list[int] = []

    def _write(self, statement: UpdateBase) -> CursorResult[Any]:
        self.wrote = True
        return self.c.execute(statement)

    def _touch(self, order_id: Any = None, ticket_number: Any = None) -> None:
        if order_id and str(order_id) not in self.orders_touched:
            self.orders_touched.append(str(order_id))
        if ticket_number is not None and int(ticket_number) not in self.tickets_touched:
            self.tickets_touched.append(int(ticket_number))

    def record_request_effect(self, key: str) -> None:
        """Note that this transaction carried out (part of) the client request ``key``."""
        self._write(
            insert(t.request_effects).values(
                key=key,
                recorded_at=utc_now(),
                order_ids=json.dumps(self.orders_touched),
                ticket_numbers=json.dumps(self.tickets_touched),
            )
        )

    # ----- counters -----

    def _bump(self, name: str, text: str | None = None) -> tuple[int, str]:
        values: dict[str, Any] = {"value": t.counters.c.value + 1}
        if text is not None:
            values["text"] = text
        self.wrote = True
        row = self.c.execute(
            update(t.counters)
            .where(t.counters.c.name == name)
            .values(**values)
            .returning(t.counters.c.value, t.counters.c.text)
        ).first()
        if row is None:
            self._write(insert(t.counters).values(name=name, value=1, text=text or ""))
            return 1, text or ""
        return int(row[0]), str(row[1])

    def next_number(self, series: str) -> int:
        """The next number of a continuous series (``ticket``, ``invoice``, ``z``...)."""
        return self._bump(f"n:{series}")[0]

    def peek_number(self, series: str) -> int:
        row = self.c.execute(select(t.counters.c.value).where(t.counters.c.name == f"n:{series}")).first()
        return int(row[0]) if row else 0

    def _head(self, log: str) -> tuple[int, str]:
        row = self.c.execute(
            select(t.counters.c.value, t.counters.c.text).where(t.counters.c.name == f"head:{log}")
        ).first()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def _advance(self, log: str, seq: int, digest: str) -> None:
        done = self._write(
            update(t.counters).where(t.counters.c.name == f"head:{log}").values(value=seq, text=digest)
        ).rowcount
        if not done:
            self._write(insert(t.counters).values(name=f"head:{log}", value=seq, text=digest))

    # ----- journal -----

    def append_journal(self, record: dict[str, Any], **columns: Any) -> dict[str, Any]:
        """Seal ``record`` onto the chain and store it; ``columns`` fill the search columns."""
        # Lock the head first (an UPDATE), so concurrent writers queue here.
        self._bump("lock:journal")
        seq, prev = self._head("journal")
        seq += 1
        at = utc_now()
        sealed = seal({"format": JOURNAL_FORMAT, "seq": seq, "recorded_at": at, **record}, prev)
        self._touch(columns.get("order_id"), columns.get("ticket_number"))
        self._write(
            insert(t.journal).values(
                seq=seq,
                recorded_at=at,
                record_type=record["type"],
                prev_hash=prev,
                hash=sealed["hash"],
                body=line_of(sealed),
                training=bool(columns.pop("training", False)),
                **columns,
            )
        )
        self._advance("journal", seq, sealed["hash"])
        return sealed

    def append_config(
        self, employee_id: str, entity: str, entity_id: str, action: str, before: Any, after: Any
    ) -> dict[str, Any]:
        self._bump("lock:config")
        seq, prev = self._head("config")
        seq += 1
        at = utc_now()
        record = {
            "format": CONFIG_FORMAT,
            "seq": seq,
            "recorded_at": at,
            "employee_id": employee_id,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "before": before,
            "after": after,
        }
        sealed = seal(record, prev)
        self._write(
            insert(t.config_log).values(
                seq=seq,
                recorded_at=at,
                employee_id=employee_id,
                entity=entity,
                entity_id=entity_id,
                action=action,
                prev_hash=prev,
                hash=sealed["hash"],
                body=line_of(sealed),
            )
        )
        self._advance("config", seq, sealed["hash"])
        return sealed

    # ----- pending signatures -----

    def add_pending(self, ticket_number: int, event: dict[str, Any], effect: dict[str, Any]) -> None:
        self._touch((effect.get("pos") or {}).get("order_id"), ticket_number)
        self._write(
            insert(t.pending_sign).values(
                ticket_number=ticket_number,
                created_at=utc_now(),
                event=json.dumps(event, sort_keys=True),
                effect=json.dumps(effect, sort_keys=True),
                token=None,
                attempts=0,
                last_error="",
            )
        )

    def set_pending_token(self, ticket_number: int, token: str) -> None:
        self._write(
            update(t.pending_sign)
            .where(t.pending_sign.c.ticket_number == ticket_number)
            .values(token=token, attempts=t.pending_sign.c.attempts + 1)
        )

    def note_pending_error(self, ticket_number: int, error: str) -> None:
        self._write(
            update(t.pending_sign)
            .where(t.pending_sign.c.ticket_number == ticket_number)
            .values(last_error=error)
        )

    def drop_pending(self, ticket_number: int) -> None:
        self._write(sql_delete(t.pending_sign).where(t.pending_sign.c.ticket_number == ticket_number))

    def pending(self) -> list[Pending]:
        rows = self.c.execute(select(t.pending_sign).order_by(t.pending_sign.c.ticket_number)).all()
        return [
            Pending(
                int(r.ticket_number),
                str(r.created_at),
                json.loads(r.event),
                json.loads(r.effect),
                r.token,
                int(r.attempts),
                str(r.last_error),
            )
            for r in rows
        ]

    # ----- orders -----

    def insert_order(self, order_id: str, cost_center_id: str, opened_by: str, body: dict[str, Any]) -> None:
        self._touch(order_id)
        self._write(
            insert(t.orders).values(
                order_id=order_id,
                cost_center_id=cost_center_id,
                status="open",
                version=1,
                opened_by=opened_by,
                updated_at=utc_now(),
                body=json.dumps(body, sort_keys=True),
            )
        )

    def order(self, order_id: str) -> StoredOrder:
        row = self.c.execute(select(t.orders).where(t.orders.c.order_id == order_id)).first()
        if row is None:
            raise DomainError("order_id", "UNKNOWN_ORDER", order_id)
        return StoredOrder(
            row.order_id, int(row.version), row.status, json.loads(row.body), row.ticket_number
        )

    def save_order(
        self,
        order_id: str,
        version: int,
        body: dict[str, Any],
        *,
        status: str | None = None,
        cost_center_id: str | None = None,
        ticket_number: int | None = None,
    ) -> int:
        """Write ``body`` if the stored version is still ``version``; returns the new version."""
        self._touch(order_id)
        values: dict[str, Any] = {
            "body": json.dumps(body, sort_keys=True),
            "version": version + 1,
            "updated_at": utc_now(),
        }
        if status is not None:
            values["status"] = status
        if cost_center_id is not None:
            values["cost_center_id"] = cost_center_id
        if ticket_number is not None:
            values["ticket_number"] = ticket_number
        done = self._write(
            update(t.orders)
            .where(t.orders.c.order_id == order_id, t.orders.c.version == version)
            .values(**values)
        ).rowcount
        if not done:
            current = self.order(order_id)
            raise ConflictError(
                "version",
                "STALE_VERSION",
                f"order {order_id} was changed on another terminal (version {current.version}, "
                f"you had {version}): reload it and repeat your change",
            )
        return version + 1

    def open_orders(self) -> list[StoredOrder]:
        rows = self.c.execute(
            select(t.orders)
            .where(t.orders.c.status.in_(("open", "signing")))
            .order_by(t.orders.c.cost_center_id)
        ).all()
        return [
            StoredOrder(r.order_id, int(r.version), r.status, json.loads(r.body), r.ticket_number)
            for r in rows
        ]

    def order_for_ticket(self, ticket_number: int) -> StoredOrder | None:
        row = self.c.execute(select(t.orders).where(t.orders.c.ticket_number == ticket_number)).first()
        if row is None:
            return None
        return StoredOrder(
            row.order_id, int(row.version), row.status, json.loads(row.body), row.ticket_number
        )

    # ----- configuration documents -----

    def item(self, kind: str, item_id: str) -> tuple[int, dict[str, Any]] | None:
        row = self.c.execute(
            select(t.config_items.c.version, t.config_items.c.body).where(
                t.config_items.c.kind == kind, t.config_items.c.item_id == item_id
            )
        ).first()
        return (int(row[0]), json.loads(row[1])) if row else None

    def items(self, kind: str) -> dict[str, dict[str, Any]]:
        rows = self.c.execute(
            select(t.config_items.c.item_id, t.config_items.c.body)
            .where(t.config_items.c.kind == kind)
            .order_by(t.config_items.c.item_id)
        ).all()
        return {str(r[0]): json.loads(r[1]) for r in rows}

    def put_item(self, kind: str, item_id: str, body: dict[str, Any], version: int | None = None) -> int:
        """Create (``version`` None) or replace a document at ``version``; returns the new version."""
        text = json.dumps(body, sort_keys=True)
        if version is None:
            self._write(insert(t.config_items).values(kind=kind, item_id=item_id, version=1, body=text))
            return 1
        done = self._write(
            update(t.config_items)
            .where(
                t.config_items.c.kind == kind,
                t.config_items.c.item_id == item_id,
                t.config_items.c.version == version,
            )
            .values(body=text, version=version + 1)
        ).rowcount
        if not done:
            raise ConflictError("version", "STALE_VERSION", f"{kind} {item_id} was changed meanwhile")
        return version + 1

    # ----- presence -----

    def presence(self) -> dict[str, tuple[str, str]]:
        rows = self.c.execute(select(t.presence)).all()
        return {r.employee_id: (r.since, r.terminal_id) for r in rows}

    def clock_in(self, employee_id: str, since: str, terminal_id: str) -> None:
        self._write(insert(t.presence).values(employee_id=employee_id, since=since, terminal_id=terminal_id))

    def clock_out(self, employee_id: str) -> None:
        self._write(sql_delete(t.presence).where(t.presence.c.employee_id == employee_id))

    # ----- opening periods -----

    def current_period(self) -> dict[str, Any] | None:
        row = self.c.execute(
            select(t.periods).where(t.periods.c.ended_at.is_(None)).order_by(t.periods.c.started_at.desc())
        ).first()
        return dict(row._mapping) if row else None

    def periods_missing_z(self) -> list[dict[str, Any]]:
        rows = self.c.execute(
            select(t.periods)
            .where(t.periods.c.ended_at.is_not(None))
            .where((t.periods.c.z_turnover.is_(None)) | (t.periods.c.z_user.is_(None)))
            .order_by(t.periods.c.started_at)
        ).all()
        return [dict(r._mapping) for r in rows]

    def open_period(self, period_id: str, started_at: str, booking_date: str) -> None:
        self._write(
            insert(t.periods).values(period_id=period_id, started_at=started_at, booking_date=booking_date)
        )

    def end_period(self, period_id: str, ended_at: str) -> None:
        self._write(update(t.periods).where(t.periods.c.period_id == period_id).values(ended_at=ended_at))

    def set_period_z(self, period_id: str, column: str, number: int) -> None:
        self._write(update(t.periods).where(t.periods.c.period_id == period_id).values({column: number}))

    def period(self, period_id: str) -> dict[str, Any]:
        row = self.c.execute(select(t.periods).where(t.periods.c.period_id == period_id)).first()
        if row is None:
            raise DomainError("period_id", "UNKNOWN_PERIOD", period_id)
        return dict(row._mapping)

    # ----- reading the journal -----

    def journal_head(self) -> int:
        """The ``seq`` of the last journal record (0 when empty)."""
        return self._head("journal")[0]

    def journal_bodies(self, *, after_seq: int = 0, **where: Any) -> Iterator[dict[str, Any]]:
        query = select(t.journal.c.body).where(t.journal.c.seq > after_seq).order_by(t.journal.c.seq)
        for name, value in where.items():
            query = query.where(getattr(t.journal.c, name) == value)
        for (body,) in self.c.execute(query):
            yield json.loads(body)

    def journal_record(self, **where: Any) -> dict[str, Any] | None:
        for body in self.journal_bodies(**where):
            return body
        return None


class PosStore:
    """The database of one site."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def tx(self) -> Iterator[Tx]:
        """One transaction; when it wrote on behalf of a client request (:func:`on_behalf_of`), the
        request's key is recorded in ``request_effects`` in the same transaction."""
        with self.engine.begin() as connection:
            tx = Tx(connection)
            yield tx
            key = _request.get()
            if key is not None and tx.wrote:
                tx.record_request_effect(key)

    def read(self) -> Any:
        return self.tx()
