"""Distributor duties: registration before selling (validated by the FPS), deliveries, resale, XML bulk."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from sce.eservice import delivery_xml, history
from sce.eservice.db import now
from sce.eservice.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from sce.eservice.kbo import establishment_number, vat_number
from sce.eservice.tables import components, distributors, operator_establishments

REQUIRED = ("name", "legal_form", "address", "contact_person", "phone", "email")


def register(conn: Connection, vat: str, details: dict[str, str]) -> dict[str, Any]:
    """Register (or update) the distributor; it waits for the administration's validation."""
    for name in REQUIRED:
        if not str(details.get(name) or "").strip():
            raise InvalidInputError(name, "REQUIRED", f"the distributor's {name.replace('_', ' ')}")
    if "@" not in details["email"]:
        raise InvalidInputError("email", "INVALID_FORMAT", "an e-mail address has an @")
    values = {
        "name": details["name"].strip(),
        "legal_form": details["legal_form"].strip(),
        "address": details["address"].strip(),
        "contact_person": details["contact_person"].strip(),
        "phone": details["phone"].strip(),
        "email": details["email"].strip(),
        "website": str(details.get("website") or "").strip(),
        "points_of_sale": str(details.get("points_of_sale") or "").strip(),
        "products": str(details.get("products") or "").strip(),
    }
    if conn.execute(select(distributors.c.vat).where(distributors.c.vat == vat)).first():
        conn.execute(distributors.update().where(distributors.c.vat == vat).values(**values))
    else:
        conn.execute(distributors.insert().values(vat=vat, status="pending", registered_at=now(), **values))
    return profile(conn, vat)


def validate(conn: Connection, vat: str, accept: bool = True) -> dict[str, Any]:
    profile(conn, vat)
    conn.execute(
        distributors.update()
        .where(distributors.c.vat == vat)
        .values(status="validated" if accept else "refused")
    )
    return profile(conn, vat)


def profile(conn: Connection, vat: str) -> dict[str, Any]:
    row = conn.execute(select(distributors).where(distributors.c.vat == vat)).mappings().first()
    if row is None:
        raise NotFoundError("vat", "NOT_REGISTERED", f"{vat} is not registered as distributor")
    stock = conn.execute(
        select(components).where(components.c.distributor_vat == vat).order_by(components.c.serial)
    ).mappings()
    data = dict(row)
    data["registered_at"] = data["registered_at"].isoformat()
    data["components"] = [
        {**dict(c), "delivered_on": c["delivered_on"].isoformat() if c["delivered_on"] else None}
        for c in stock
    ]
    return data


def pending(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(distributors.c.vat, distributors.c.name, distributors.c.status)).mappings()
    return [dict(r) for r in rows]


def _require_validated(conn: Connection, vat: str) -> None:
    if profile(conn, vat)["status"] != "validated":
        raise ForbiddenError(
            "distributor", "NOT_VALIDATED", "the administration has not validated this distributor yet"
        )


def _in_stock(conn: Connection, vat: str, serials: list[str], field: str = "serials") -> None:
    if not serials:
        raise InvalidInputError(field, "REQUIRED", "list at least one production number")
    for index, serial in enumerate(serials):
        found = history.component(conn, serial, f"{field}[{index}]")
        if found["distributor_vat"] != vat or found["status"] != "at_distributor":
            raise ConflictError(f"{field}[{index}]", "NOT_IN_STOCK", f"{serial} is not in your stock")
        if found["kind"] == "FDM" and found["operator_vat"] is None and _ever_used(conn, serial):
            raise ConflictError(
                f"{field}[{index}]", "FDM_TRANSFER_BAN", f"FDM {serial} was used and may never be resold"
            )


def _ever_used(conn: Connection, serial: str) -> bool:
    return any(item["action"] == "delivered_to_operator" for item in history.history(conn, serial))


def deliver_to_operator(
    conn: Connection,
    vat: str,
    operator_vat: str,
    establishment: str,
    room: str,
    day: date,
    serials: list[str],
    actor: str,
) -> list[str]:
    """Assign components to an operator's establishment; the operator then confirms each one."""
    _require_validated(conn, vat)
    operator_vat = vat_number(operator_vat, "operator_vat")
    establishment = establishment_number(establishment, "establishment")
    selected = conn.execute(
        select(operator_establishments.c.operator_vat).where(
            operator_establishments.c.number == establishment
        )
    ).first()
    if selected is None or selected[0] != operator_vat:
        raise ConflictError(
            "establishment",
            "NOT_SELECTED_BY_OPERATOR",
            f"{operator_vat} has not registered establishment {establishment} for a certified system",
        )
    _in_stock(conn, vat, serials)
    for serial in serials:
        conn.execute(
            components.update()
            .where(components.c.serial == serial)
            .values(
                operator_vat=operator_vat,
                establishment=establishment,
                room=room.strip(),
                delivered_on=day,
                status="delivered",
            )
        )
        detail = f"establishment {establishment}, room {room.strip() or '-'}, {day.isoformat()}"
        history.record(conn, serial, "delivered_to_operator", actor, operator_vat, detail)
    return serials


def resell(
    conn: Connection, vat: str, other_vat: str, day: date, serials: list[str], actor: str
) -> list[str]:
    """Resale to another registered distributor."""
    other_vat = vat_number(other_vat, "distributor_vat")
    profile(conn, other_vat)
    if other_vat == vat:
        raise InvalidInputError("distributor_vat", "SAME_DISTRIBUTOR", "resale goes to another distributor")
    _in_stock(conn, vat, serials)
    for serial in serials:
        conn.execute(
            components.update().where(components.c.serial == serial).values(distributor_vat=other_vat)
        )
        history.record(conn, serial, "resold_to_distributor", actor, other_vat, day.isoformat())
    return serials


def upload_xml(conn: Connection, vat: str, document: bytes, actor: str) -> dict[str, Any]:
    """Validate the whole file against the XSD, then register every delivery (all or nothing)."""
    distributor, deliveries = delivery_xml.parse(document)
    if distributor != vat:
        raise ForbiddenError("file/deliveries/@distributor", "NOT_YOUR_VAT", f"the file is for {distributor}")
    done: list[str] = []
    for index, item in enumerate(deliveries):
        try:
            done += deliver_to_operator(
                conn, vat, item.operator_vat, item.establishment, item.room, item.day, item.serials, actor
            )
        except (InvalidInputError, ConflictError, NotFoundError) as error:
            raise type(error)(f"delivery[{index}].{error.field}", error.rule, error.detail) from None
    return {"deliveries": len(deliveries), "serials": done}
