"""Producer/importer duties: models per certificate, production-number ranges per batch, deliveries."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from sce.eservice import history
from sce.eservice.db import now
from sce.eservice.errors import ConflictError, InvalidInputError, NotFoundError
from sce.eservice.tables import batches, components, distributors, models, producers

MAX_BATCH = 1000
KINDS = ("FDM", "POS")
GENERATIONS = ("1.0", "2.0")


def profile(conn: Connection, vat: str) -> dict[str, Any]:
    row = conn.execute(select(producers).where(producers.c.vat == vat)).mappings().first()
    if row is None:
        raise NotFoundError("vat", "NOT_A_PRODUCER", f"{vat} has no producer account")
    found = conn.execute(select(models).where(models.c.producer_vat == vat).order_by(models.c.id))
    stock = conn.execute(
        select(components.c.serial, components.c.kind, components.c.status)
        .where(components.c.producer_vat == vat)
        .order_by(components.c.serial)
    )
    return {
        **dict(row),
        "models": [dict(m) for m in found.mappings()],
        "components": [dict(c) for c in stock.mappings()],
    }


def add_model(
    conn: Connection, vat: str, kind: str, generation: str, model_number: str, certificate: str
) -> dict[str, Any]:
    maker = profile(conn, vat)
    if kind not in KINDS:
        raise InvalidInputError("kind", "UNKNOWN_KIND", "a component is an FDM or a POS")
    if generation not in GENERATIONS:
        raise InvalidInputError("generation", "UNKNOWN_GENERATION", "the generation is 1.0 or 2.0")
    digits = 2 if kind == "FDM" else 3
    if not re.fullmatch(rf"\d{{{digits}}}", model_number):
        raise InvalidInputError(
            "model_number", "INVALID_FORMAT", f"a {kind} model number has {digits} digits"
        )
    if not (maker["fdm_maker_id"] if kind == "FDM" else maker["pos_maker_id"]):
        raise ConflictError("kind", "NO_MAKER_ID", f"the FPS gave this producer no {kind} maker id")
    if not certificate.strip():
        raise InvalidInputError("certificate", "REQUIRED", "the certificate number of the model")
    result = conn.execute(
        models.insert().values(
            producer_vat=vat,
            kind=kind,
            generation=generation,
            model_number=model_number,
            certificate=certificate.strip(),
        )
    )
    return {"id": result.inserted_primary_key[0] if result.inserted_primary_key else None}


def serial_for(maker: dict[str, Any], model: dict[str, Any], number: int) -> str:
    """FDM: maker id (3) + model (2) + 6 digits; POS: C + maker (3) + model (3) + 7 digits."""
    if model["kind"] == "FDM":
        return f"{maker['fdm_maker_id']}{model['model_number']}{number:06d}"
    return f"{maker['pos_maker_id']}{model['model_number']}{number:07d}"


def register_batch(conn: Connection, vat: str, model_id: int, first: int, last: int, actor: str) -> list[str]:
    """Register the production numbers ``first``..``last`` of one batch; each becomes a component."""
    maker = profile(conn, vat)
    model = next((m for m in maker["models"] if m["id"] == model_id), None)
    if model is None:
        raise NotFoundError("model_id", "NOT_YOUR_MODEL", f"model {model_id} is not one of this producer")
    limit = 999_999 if model["kind"] == "FDM" else 9_999_999
    if not 1 <= first <= last <= limit:
        raise InvalidInputError("last", "INVALID_RANGE", f"need 1 <= first <= last <= {limit}")
    if last - first + 1 > MAX_BATCH:
        raise InvalidInputError("last", "BATCH_TOO_LARGE", f"at most {MAX_BATCH} numbers per batch")
    serials = [serial_for(maker, model, n) for n in range(first, last + 1)]
    taken = conn.execute(select(components.c.serial).where(components.c.serial.in_(serials))).first()
    if taken:
        raise ConflictError("first", "ALREADY_REGISTERED", f"{taken[0]} is already registered")
    conn.execute(
        batches.insert().values(
            model_id=model_id, first_serial=serials[0], last_serial=serials[-1], registered_at=now()
        )
    )
    for serial in serials:
        conn.execute(
            components.insert().values(
                serial=serial,
                kind=model["kind"],
                generation=model["generation"],
                model_id=model_id,
                producer_vat=vat,
                status="produced",
            )
        )
        history.record(conn, serial, "produced", actor, vat, f"model {model['model_number']}")
    return serials


def deliver(
    conn: Connection, vat: str, distributor_vat: str, day: date, serials: list[str], actor: str
) -> list[str]:
    """Delivery to a distributor: date = the earlier of ownership and custody (the caller's choice)."""
    if not conn.execute(select(distributors.c.vat).where(distributors.c.vat == distributor_vat)).first():
        raise InvalidInputError(
            "distributor_vat", "NOT_REGISTERED", f"{distributor_vat} is not registered as distributor"
        )
    if not serials:
        raise InvalidInputError("serials", "REQUIRED", "list at least one production number")
    for index, serial in enumerate(serials):
        found = history.component(conn, serial, f"serials[{index}]")
        if found["producer_vat"] != vat or found["status"] != "produced":
            raise ConflictError(f"serials[{index}]", "NOT_IN_STOCK", f"{serial} is not in your stock")
    for serial in serials:
        conn.execute(
            components.update()
            .where(components.c.serial == serial)
            .values(distributor_vat=distributor_vat, status="at_distributor")
        )
        history.record(conn, serial, "delivered_to_distributor", actor, distributor_vat, day.isoformat())
    return serials
