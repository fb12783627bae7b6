"""Step 5 of SCE 1.0: the VSC request (one card per FDM, binding the components to the establishment),
its two letters, and the activation by the PIN entered in the FDM (the emulator)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from sce.eservice import fdm1, history, kbo, letters
from sce.eservice.db import now
from sce.eservice.errors import ConflictError, InvalidInputError, NotFoundError
from sce.eservice.operator import linked_pos, owned_component
from sce.eservice.tables import components, vsc_cards
from sce.fiscal.v1.errors import FdmCode
from sce.fiscal.v1.vsc import CardIdentity


def _card_row(conn: Connection, fdm_serial: str) -> dict[str, Any]:
    row = (
        conn.execute(
            select(vsc_cards).where(vsc_cards.c.fdm_serial == fdm_serial, vsc_cards.c.status != "deactivated")
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFoundError("fdm", "NO_VSC_REQUESTED", f"no VAT Signing Card was requested for {fdm_serial}")
    return dict(row)


def request_vsc(conn: Connection, vat: str, fdm_serial: str, actor: str) -> dict[str, str]:
    fdm = owned_component(conn, vat, fdm_serial, "fdm")
    if fdm["kind"] != "FDM" or fdm["generation"] != "1.0":
        raise InvalidInputError("fdm", "NOT_AN_SCE10_FDM", "a VSC exists only for an SCE 1.0 FDM")
    if fdm["status"] != "linked" or not linked_pos(conn, fdm_serial):
        raise ConflictError("fdm", "NOT_LINKED", f"link {fdm_serial} to its cash register first")
    existing = conn.execute(
        select(vsc_cards.c.vsc_id).where(
            vsc_cards.c.fdm_serial == fdm_serial, vsc_cards.c.status != "deactivated"
        )
    ).first()
    if existing:
        raise ConflictError("fdm", "VSC_ALREADY_REQUESTED", f"card {existing[0]} was already requested")
    card = CardIdentity.generate(vsc_id=f"{secrets.randbelow(10**10):010d}-001")
    conn.execute(
        vsc_cards.insert().values(
            vsc_id=card.vsc_id,
            fdm_serial=fdm_serial,
            card_json=json.dumps(card.to_json()),
            status="requested",
            requested_at=now(),
        )
    )
    for serial in [fdm_serial, *linked_pos(conn, fdm_serial)]:
        history.record(
            conn,
            serial,
            "vsc_requested",
            actor,
            vat,
            f"card {card.vsc_id}, establishment {fdm['establishment']}",
        )
    return {"vsc_id": card.vsc_id, "fdm": fdm_serial}


def letter(conn: Connection, vat: str, fdm_serial: str, kind: str) -> bytes:
    fdm = owned_component(conn, vat, fdm_serial, "fdm")
    row = _card_row(conn, fdm_serial)
    card = CardIdentity.from_json(json.loads(row["card_json"]))
    company = kbo.company(conn, vat)["name"]
    if kind == "card":
        return letters.card_letter(company, vat, fdm["establishment"] or "", fdm_serial, card.vsc_id)
    if kind == "pin":
        return letters.pin_letter(company, vat, fdm_serial, card.vsc_id, card.pin)
    raise InvalidInputError("kind", "UNKNOWN_LETTER", "the letters are 'card' and 'pin'")


def card_of(conn: Connection, fdm_serial: str) -> CardIdentity:
    return CardIdentity.from_json(json.loads(_card_row(conn, fdm_serial)["card_json"]))


def activate(
    conn: Connection, state_root: Path, vat: str, fdm_serial: str, pin: str, actor: str
) -> dict[str, Any]:
    """Insert the card in the emulated FDM and enter the PIN there; accepted, the system is active."""
    owned_component(conn, vat, fdm_serial, "fdm")
    if len(pin) != 5 or not pin.isdigit():
        raise InvalidInputError("pin", "INVALID_FORMAT", "the PIN has 5 digits")
    row = _card_row(conn, fdm_serial)
    card = CardIdentity.from_json(json.loads(row["card_json"]))
    state = state_root / "fdm1" / fdm_serial
    if row["status"] == "requested":
        fdm1.install_card(state, fdm_serial, card)
        conn.execute(vsc_cards.update().where(vsc_cards.c.vsc_id == card.vsc_id).values(status="inserted"))
    code = fdm1.activate(state, pin)
    if code is FdmCode.INVALID_PIN:
        raise InvalidInputError("pin", "WRONG_PIN", "the FDM refused this PIN (3 wrong PINs block the card)")
    if code is FdmCode.VSC_BLOCKED:
        raise ConflictError(
            "pin", "VSC_BLOCKED", "the card is blocked after 3 wrong PINs: ask for an unblock"
        )
    if code is not FdmCode.PIN_ACCEPTED:
        raise ConflictError("fdm", code.name, f"the FDM answered {code.value}")
    conn.execute(vsc_cards.update().where(vsc_cards.c.vsc_id == card.vsc_id).values(status="active"))
    serials = [fdm_serial, *linked_pos(conn, fdm_serial)]
    for serial in serials:
        conn.execute(components.update().where(components.c.serial == serial).values(status="active"))
        history.record(conn, serial, "activated", actor, vat, f"card {card.vsc_id}")
    return {"fdm": fdm_serial, "vsc_id": card.vsc_id, "active": True, "state": str(state)}


def path_of(state_root: Path, fdm_serial: str) -> Path:
    return state_root / "fdm1" / fdm_serial
