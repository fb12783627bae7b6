"""Operator steps 1, 2 and 4: identify, register the company and its establishments, confirm deliveries,
link FDMs and cash registers per establishment (one result per link, with its reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from sce.eservice import history, kbo
from sce.eservice.db import now
from sce.eservice.deadlines import deadlines
from sce.eservice.errors import ConflictError, InvalidInputError, NotFoundError
from sce.eservice.tables import components, first_boots, links, operator_establishments, operators, vsc_cards

MIN_LAST_DIGITS = 4


@dataclass(frozen=True, slots=True)
class Selection:
    number: str
    generation: str
    activity_start: date


def register(
    conn: Connection, vat: str, contact_email: str, phone: str, selections: list[Selection]
) -> dict[str, Any]:
    """Step 2: company contact data and the KBO establishment units where a system will be installed."""
    company = kbo.company(conn, vat)
    if "@" not in contact_email:
        raise InvalidInputError("contact_email", "INVALID_FORMAT", "an e-mail address has an @")
    if not selections:
        raise InvalidInputError("establishments", "REQUIRED", "select at least one establishment unit")
    own = {unit["number"] for unit in company["establishments"]}
    for index, item in enumerate(selections):
        field = f"establishments[{index}]"
        number = kbo.establishment_number(item.number, f"{field}.number")
        if number not in own:
            raise InvalidInputError(
                f"{field}.number", "NOT_YOUR_ESTABLISHMENT", f"{number} is not a unit of {vat} in the KBO"
            )
        if item.generation not in ("1.0", "2.0"):
            raise InvalidInputError(f"{field}.generation", "UNKNOWN_GENERATION", "1.0 or 2.0")
    values = {"contact_email": contact_email.strip(), "phone": phone.strip()}
    if conn.execute(select(operators.c.vat).where(operators.c.vat == vat)).first():
        conn.execute(operators.update().where(operators.c.vat == vat).values(**values))
    else:
        conn.execute(operators.insert().values(vat=vat, registered_at=now(), **values))
    for item in selections:
        conn.execute(operator_establishments.delete().where(operator_establishments.c.number == item.number))
        conn.execute(
            operator_establishments.insert().values(
                number=item.number,
                operator_vat=vat,
                generation=item.generation,
                activity_start=item.activity_start,
                selected_at=now(),
            )
        )
    return overview(conn, vat)


def overview(conn: Connection, vat: str) -> dict[str, Any]:
    """Everything the operator sees: company, establishments with deadlines, components, links, cards."""
    company = kbo.company(conn, vat)
    row = conn.execute(select(operators).where(operators.c.vat == vat)).mappings().first()
    selected = {
        r["number"]: r
        for r in conn.execute(
            select(operator_establishments).where(operator_establishments.c.operator_vat == vat)
        ).mappings()
    }
    units = []
    for unit in company["establishments"]:
        chosen = selected.get(unit["number"])
        entry: dict[str, Any] = {**unit, "selected": chosen is not None}
        if chosen is not None:
            due = deadlines(chosen["activity_start"])
            entry.update(
                generation=chosen["generation"],
                activity_start=chosen["activity_start"].isoformat(),
                register_by=due.register_by.isoformat(),
                use_by=due.use_by.isoformat(),
            )
        units.append(entry)
    owned = conn.execute(
        select(components).where(components.c.operator_vat == vat).order_by(components.c.serial)
    ).mappings()
    serials = []
    for c in owned:
        item = {**dict(c), "delivered_on": c["delivered_on"].isoformat() if c["delivered_on"] else None}
        serials.append(item)
    mine = [c["serial"] for c in serials]
    linked = conn.execute(select(links).where(links.c.pos_serial.in_(mine))).mappings()
    cards = conn.execute(
        select(vsc_cards.c.vsc_id, vsc_cards.c.fdm_serial, vsc_cards.c.status).where(
            vsc_cards.c.fdm_serial.in_(mine)
        )
    ).mappings()
    boots = conn.execute(
        select(first_boots.c.fdm_serial, first_boots.c.booted_at).where(first_boots.c.fdm_serial.in_(mine))
    ).mappings()
    return {
        "company": {k: company[k] for k in ("vat", "name", "legal_form", "address", "representatives")},
        "registered": row is not None,
        "contact_email": row["contact_email"] if row else "",
        "phone": row["phone"] if row else "",
        "establishments": units,
        "components": serials,
        "links": [
            {"pos": r["pos_serial"], "fdm": r["fdm_serial"], "establishment": r["establishment"]}
            for r in linked
        ],
        "cards": [dict(c) for c in cards],
        "first_boots": [
            {"fdm": b["fdm_serial"], "booted_at": b["booted_at"].isoformat() if b["booted_at"] else None}
            for b in boots
        ],
    }


def owned_component(conn: Connection, vat: str, serial: str, field: str = "serial") -> dict[str, Any]:
    found = history.component(conn, serial, field)
    if found["operator_vat"] != vat:
        raise NotFoundError(field, "NOT_YOUR_COMPONENT", f"{serial} is not assigned to {vat}")
    return found


def confirm_delivery(conn: Connection, vat: str, serial: str, last_digits: str, actor: str) -> dict[str, Any]:
    """Step 4a: accept a delivery after comparing the serial number on the device with the assigned one."""
    found = owned_component(conn, vat, serial)
    typed = last_digits.strip()
    if len(typed) < MIN_LAST_DIGITS:
        raise InvalidInputError(
            "last_digits", "TOO_SHORT", f"type at least the last {MIN_LAST_DIGITS} characters of the serial"
        )
    if not serial.endswith(typed):
        raise InvalidInputError(
            "last_digits", "SERIAL_MISMATCH", f"{typed} is not the end of the assigned serial number {serial}"
        )
    if found["status"] != "delivered":
        raise ConflictError("serial", "NOT_AWAITING_CONFIRMATION", f"{serial} is {found['status']}")
    conn.execute(components.update().where(components.c.serial == serial).values(status="confirmed"))
    history.record(conn, serial, "delivery_confirmed", actor, vat)
    return history.component(conn, serial)


@dataclass(frozen=True, slots=True)
class LinkResult:
    pos: str
    ok: bool
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"pos": self.pos, "ok": self.ok, "reason": self.reason}


def _link_problem(conn: Connection, fdm: dict[str, Any], pos: dict[str, Any]) -> str:
    if pos["kind"] != "POS":
        return f"{pos['serial']} is not a cash register"
    if pos["status"] not in ("confirmed", "linked"):
        return f"delivery of {pos['serial']} not confirmed (status {pos['status']})"
    if pos["establishment"] != fdm["establishment"]:
        where = f"establishment {pos['establishment']}, the FDM in {fdm['establishment']}"
        return f"{pos['serial']} stands in {where}"
    if pos["generation"] != fdm["generation"]:
        return f"{pos['serial']} is SCE {pos['generation']}, the FDM SCE {fdm['generation']}"
    current = conn.execute(select(links.c.fdm_serial).where(links.c.pos_serial == pos["serial"])).first()
    if current is not None and current[0] != fdm["serial"]:
        return f"{pos['serial']} is already linked to FDM {current[0]}"
    if fdm["generation"] == "1.0":
        others = conn.execute(
            select(links.c.pos_serial).where(
                links.c.fdm_serial == fdm["serial"], links.c.pos_serial != pos["serial"]
            )
        ).first()
        if others is not None:
            return f"an SCE 1.0 FDM serves one cash register (Decision 14); it is linked to {others[0]}"
    return ""


def link(conn: Connection, vat: str, fdm_serial: str, pos_serials: list[str], actor: str) -> list[LinkResult]:
    """Step 4b: link one FDM to cash registers of the same establishment; each link succeeds or says why."""
    fdm = owned_component(conn, vat, fdm_serial, "fdm")
    if fdm["kind"] != "FDM":
        raise InvalidInputError("fdm", "NOT_AN_FDM", f"{fdm_serial} is a {fdm['kind']}")
    if fdm["status"] not in ("confirmed", "linked", "active"):
        raise ConflictError("fdm", "NOT_CONFIRMED", f"confirm the delivery of {fdm_serial} first")
    if not pos_serials:
        raise InvalidInputError("pos", "REQUIRED", "name at least one cash register")
    results = []
    for index, serial in enumerate(pos_serials):
        try:
            pos = owned_component(conn, vat, serial, f"pos[{index}]")
        except NotFoundError as error:
            results.append(LinkResult(serial, False, error.detail))
            continue
        problem = _link_problem(conn, fdm, pos)
        if problem:
            results.append(LinkResult(serial, False, problem))
            continue
        conn.execute(links.delete().where(links.c.pos_serial == serial))
        conn.execute(
            links.insert().values(
                pos_serial=serial, fdm_serial=fdm_serial, establishment=fdm["establishment"], linked_at=now()
            )
        )
        conn.execute(components.update().where(components.c.serial == serial).values(status="linked"))
        history.record(conn, serial, "linked", actor, vat, f"FDM {fdm_serial}")
        history.record(conn, fdm_serial, "linked", actor, vat, f"POS {serial}")
        results.append(LinkResult(serial, True, "linked"))
    if any(r.ok for r in results) and fdm["status"] == "confirmed":
        conn.execute(components.update().where(components.c.serial == fdm_serial).values(status="linked"))
    return results


def linked_pos(conn: Connection, fdm_serial: str) -> list[str]:
    rows = conn.execute(
        select(links.c.pos_serial).where(links.c.fdm_serial == fdm_serial).order_by("pos_serial")
    )
    return [r[0] for r in rows]
