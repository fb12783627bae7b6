"""Decommissioning and transfers: definitive defect, sale to another operator, return to a distributor.

The FDM may never change operator (its data stay part of the bookkeeping): a transfer of an FDM is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from sce.eservice import history
from sce.eservice.errors import ConflictError, InvalidInputError
from sce.eservice.kbo import vat_number
from sce.eservice.operator import owned_component
from sce.eservice.tables import components, distributors, links, vsc_cards

REASONS = ("defect", "ceased", "sold_to_operator", "returned_to_distributor")


def decommission(
    conn: Connection, vat: str, serial: str, reason: str, to_vat: str | None, actor: str
) -> dict[str, Any]:
    found = owned_component(conn, vat, serial)
    if reason not in REASONS:
        raise InvalidInputError("reason", "UNKNOWN_REASON", f"one of {', '.join(REASONS)}")
    if found["status"] == "decommissioned":
        raise ConflictError("serial", "ALREADY_DECOMMISSIONED", f"{serial} is already decommissioned")
    if found["kind"] == "FDM" and reason in ("sold_to_operator", "returned_to_distributor"):
        raise ConflictError(
            "reason", "FDM_TRANSFER_BAN", "an FDM never changes operator and is never resold: keep it"
        )
    conn.execute(links.delete().where((links.c.pos_serial == serial) | (links.c.fdm_serial == serial)))
    if found["kind"] == "FDM":
        conn.execute(vsc_cards.update().where(vsc_cards.c.fdm_serial == serial).values(status="deactivated"))
    values: dict[str, Any] = {"status": "decommissioned"}
    detail = reason
    if reason in ("sold_to_operator", "returned_to_distributor"):
        if not to_vat:
            raise InvalidInputError("to_vat", "REQUIRED", "the VAT number of the new owner")
        to_vat = vat_number(to_vat, "to_vat")
        if reason == "returned_to_distributor":
            if not conn.execute(select(distributors.c.vat).where(distributors.c.vat == to_vat)).first():
                raise InvalidInputError(
                    "to_vat", "NOT_REGISTERED", f"{to_vat} is not a registered distributor"
                )
            values = {
                "status": "at_distributor",
                "distributor_vat": to_vat,
                "operator_vat": None,
                "establishment": None,
                "room": None,
            }
        detail = f"{reason} {to_vat}"
    conn.execute(components.update().where(components.c.serial == serial).values(**values))
    history.record(conn, serial, "decommissioned", actor, to_vat or vat, detail)
    return history.component(conn, serial)
