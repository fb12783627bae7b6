"""The dealer's support desk: maintenance contracts per customer and support tickets with their status."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from sce.eservice.db import now
from sce.eservice.errors import InvalidInputError, NotFoundError
from sce.eservice.kbo import vat_number
from sce.eservice.tables import contracts, tickets

STATUSES = ("open", "in_progress", "waiting_for_customer", "resolved", "closed")


def add_contract(
    conn: Connection, dealer: str, operator_vat: str, level: str, starts: date, ends: date, fee_cents: int
) -> dict[str, Any]:
    operator_vat = vat_number(operator_vat, "operator_vat")
    if ends < starts:
        raise InvalidInputError("ends_on", "BEFORE_START", "a contract ends on or after its start")
    if fee_cents < 0:
        raise InvalidInputError("monthly_fee_cents", "NEGATIVE", "the fee is zero or more euro cents")
    if not level.strip():
        raise InvalidInputError("level", "REQUIRED", "the service level (e.g. next business day)")
    result = conn.execute(
        contracts.insert().values(
            distributor_vat=dealer,
            operator_vat=operator_vat,
            level=level.strip(),
            starts_on=starts,
            ends_on=ends,
            monthly_fee_cents=fee_cents,
        )
    )
    return {"id": result.inserted_primary_key[0] if result.inserted_primary_key else None}


def _row(row: Any) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in dict(row).items()}


def list_contracts(
    conn: Connection, *, dealer: str | None = None, operator: str | None = None
) -> list[dict[str, Any]]:
    query = select(contracts).order_by(contracts.c.id)
    if dealer:
        query = query.where(contracts.c.distributor_vat == dealer)
    if operator:
        query = query.where(contracts.c.operator_vat == operator)
    return [_row(r) for r in conn.execute(query).mappings()]


def open_ticket(conn: Connection, dealer: str, operator_vat: str, subject: str, body: str) -> dict[str, Any]:
    if not subject.strip():
        raise InvalidInputError("subject", "REQUIRED", "say in a few words what is wrong")
    stamp = now()
    result = conn.execute(
        tickets.insert().values(
            distributor_vat=dealer,
            operator_vat=operator_vat,
            subject=subject.strip(),
            body=body,
            status="open",
            created_at=stamp,
            updated_at=stamp,
        )
    )
    return ticket(conn, int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0)


def ticket(conn: Connection, ticket_id: int) -> dict[str, Any]:
    row = conn.execute(select(tickets).where(tickets.c.id == ticket_id)).mappings().first()
    if row is None:
        raise NotFoundError("ticket_id", "UNKNOWN_TICKET", f"no support ticket {ticket_id}")
    return _row(row)


def set_status(conn: Connection, ticket_id: int, status: str) -> dict[str, Any]:
    if status not in STATUSES:
        raise InvalidInputError("status", "UNKNOWN_STATUS", f"one of {', '.join(STATUSES)}")
    ticket(conn, ticket_id)
    conn.execute(tickets.update().where(tickets.c.id == ticket_id).values(status=status, updated_at=now()))
    return ticket(conn, ticket_id)


def list_tickets(
    conn: Connection, *, dealer: str | None = None, operator: str | None = None
) -> list[dict[str, Any]]:
    query = select(tickets).order_by(tickets.c.id)
    if dealer:
        query = query.where(tickets.c.distributor_vat == dealer)
    if operator:
        query = query.where(tickets.c.operator_vat == operator)
    return [_row(r) for r in conn.execute(query).mappings()]
