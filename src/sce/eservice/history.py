"""The history of every component: one row per thing that happened to it, never updated or deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from sce.eservice.db import now
from sce.eservice.errors import NotFoundError
from sce.eservice.tables import component_history, components


def record(
    conn: Connection, serial: str, action: str, actor: str, party_vat: str | None = None, detail: str = ""
) -> None:
    conn.execute(
        component_history.insert().values(
            serial=serial, at=now(), action=action, actor=actor, party_vat=party_vat, detail=detail
        )
    )


def component(conn: Connection, serial: str, field: str = "serial") -> dict[str, Any]:
    row = conn.execute(select(components).where(components.c.serial == serial)).mappings().first()
    if row is None:
        raise NotFoundError(field, "UNKNOWN_COMPONENT", f"no component with serial number {serial}")
    return dict(row)


def history(conn: Connection, serial: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(component_history).where(component_history.c.serial == serial).order_by(component_history.c.id)
    ).mappings()
    return [
        {
            "at": row["at"].isoformat(),
            "action": row["action"],
            "actor": row["actor"],
            "party_vat": row["party_vat"],
            "detail": row["detail"],
        }
        for row in rows
    ]


def involved_parties(conn: Connection, serial: str) -> set[str]:
    """Every company that ever held, made or used the component (who may read its history)."""
    found = component(conn, serial)
    parties = {found["producer_vat"]}
    parties.update(v for v in (found["distributor_vat"], found["operator_vat"]) if v)
    rows = conn.execute(select(component_history.c.party_vat).where(component_history.c.serial == serial))
    parties.update(row[0] for row in rows if row[0])
    return parties
