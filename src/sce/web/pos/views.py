"""Read models for the screens and the API: the floor with table status, an order, the menu, tickets.

Table status: *free* (no open order), *ordering* (lines entered and not yet sent), *waiting* (rounds sent),
*bill* (a provisional bill was made after the last round); with the minutes since the last round.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sce.db import tables as t
from sce.domain.catalogue import Language
from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.orders import Order, held_courses
from sce.pos import demo_data
from sce.pos.service import OrderView, Pos
from sce.pos.ticket_view import ticket_of_record
from sce.tickets import Ticket
from sce.web.pos.kitchen_board import course_fires

STATUS_ORDER = ("free", "waiting", "bill", "ordering")


def money(cents: int) -> str:
    return str(Money(cents))


def floor_tables(pos: Pos) -> list[dict[str, Any]]:
    with pos.store.tx() as tx:
        found = tx.item("floor", "main")
    if found is not None:
        return [dict(table) for table in found[1].get("tables", ())]
    return [{"id": table, "seats": 4} for table in demo_data.TABLES]


def fired_courses(pos: Pos, order_id: str) -> list[int]:
    """The courses of an order the waiter fired (stored, so known after a restart)."""
    with pos.store.engine.begin() as c:
        rows = c.execute(select(course_fires.c.course).where(course_fires.c.order_id == order_id)).all()
    return sorted(int(r[0]) for r in rows)


def order_dict(
    view: OrderView, language: Language = Language.NL, *, fired: Collection[int] = ()
) -> dict[str, Any]:
    """An order for the screens and the API; ``fired`` are its courses fired to the kitchen."""
    order = view.order
    signed = len(order.lines) - len(order.pending())
    lines = []
    for index, line in enumerate(order.lines):
        lines.append(
            {
                "number": line.number,
                "product_id": line.product_id,
                "name": line.name,
                "quantity": str(line.quantity),
                "unit": line.unit.value,
                "unit_price": str(line.unit_price),
                "total": str(line.total),
                "vat": line.vat.value,
                "seat": line.seat,
                "course": line.course,
                "notes": list(line.notes),
                "reason": line.reason.value if line.reason else None,
                "corrects": line.corrects,
                "discount_of": line.discount_of,
                "parent": line.parent,
                "remaining": str(order.remaining(line.number)) if line.corrects is None else "0",
                "sent": index < signed,
            }
        )
    return {
        "order_id": order.order_id,
        "version": view.version,
        "status": view.status,
        "table": order.cost_centre.id,
        "cost_centre_type": order.cost_centre.type.value,
        "consumption": order.consumption.value,
        "lines": lines,
        "total": str(order.total),
        "total_cents": order.total.cents,
        "pending": len(order.pending()),
        "rounds": len(order.rounds),
        "seats": sorted({line.seat for line in order.lines if line.seat is not None}),
        "courses": list(order.courses()),
        "fired_courses": sorted(set(fired)),
        "held_courses": sorted(held_courses(order.courses(), fired)),
    }


def _activity(pos: Pos, order_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per order: time of the last round and whether a provisional bill followed it."""
    if not order_ids:
        return {}
    with pos.store.engine.begin() as c:
        rows = c.execute(
            select(t.journal.c.order_id, t.journal.c.event_kind, t.journal.c.recorded_at, t.journal.c.body)
            .where(t.journal.c.order_id.in_(order_ids))
            .where(t.journal.c.event_kind.in_(("ORDER", "PRE_BILL", "COST_CENTER_CHANGE")))
            .order_by(t.journal.c.seq)
        ).all()
    seen: dict[str, dict[str, Any]] = {}
    for order_id, kind, recorded_at, body in rows:
        entry = seen.setdefault(str(order_id), {"last_round": None, "bill": False})
        if kind == "ORDER":
            entry["last_round"] = json.loads(body)["event"]["pos_datetime"] or recorded_at
            entry["bill"] = False
        elif kind == "PRE_BILL":
            entry["bill"] = True
    return seen


def recovered_answer(pos: Pos, order_ids: list[str], ticket_numbers: list[int]) -> dict[str, Any]:
    """The answer of a request the server carried out but could not answer before it stopped: the
    orders and tickets it changed, and the last order as it is now."""
    body: dict[str, Any] = {
        "recovered": True,
        "message": "carried out before the server restarted: reload to see the result",
        "order_ids": order_ids,
        "ticket_numbers": ticket_numbers,
    }
    if order_ids:
        body["order_id"] = order_ids[-1]
        with contextlib.suppress(DomainError):
            body["order"] = order_dict(pos.order(order_ids[-1]), fired=fired_courses(pos, order_ids[-1]))
    return body


def order_status(order: Order, activity: dict[str, Any] | None) -> str:
    if order.pending() or not order.rounds:
        return "ordering"
    if activity and activity.get("bill"):
        return "bill"
    return "waiting"


def minutes_ago(iso: str | None, now: datetime) -> int | None:
    if not iso:
        return None
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0, int((now - moment).total_seconds() // 60))


def floor(pos: Pos) -> dict[str, Any]:
    """Every table with its status and open orders, and the other open orders (counter, channels)."""
    views = [v for v in pos.open_orders() if v.status in ("open", "signing")]
    activity = _activity(pos, [v.order.order_id for v in views])
    now = pos.now()
    tables = {str(table["id"]): {**table, "orders": [], "status": "free"} for table in floor_tables(pos)}
    others = []
    for view in views:
        order = view.order
        act = activity.get(order.order_id)
        entry = {
            "order_id": order.order_id,
            "version": view.version,
            "status": order_status(order, act) if view.status == "open" else "signing",
            "total": str(order.total),
            "minutes": minutes_ago(act["last_round"] if act else None, now),
            "reference": order.cost_centre.reference,
        }
        table = tables.get(order.cost_centre.id)
        if table is None or order.cost_centre.type.value != "TABLE":
            others.append({**entry, "table": order.cost_centre.id})
            continue
        table["orders"].append(entry)
    for table in tables.values():
        statuses = [o["status"] for o in table["orders"]]
        if statuses:
            table["status"] = max(statuses, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 0)
            minutes = [o["minutes"] for o in table["orders"] if o["minutes"] is not None]
            table["minutes"] = max(minutes) if minutes else None
            table["total"] = str(Money.sum(Money.parse(o["total"]) for o in table["orders"]))
    return {"tables": list(tables.values()), "others": others}


def menu(pos: Pos, language: Language = Language.NL) -> dict[str, Any]:
    with pos.store.tx() as tx:
        catalogue = pos.catalogue(tx)
    departments = []
    for department in catalogue.departments.values():
        if department.id == "WORK":
            continue
        products = [
            {
                "id": p.id,
                "name": p.names.get(language),
                "price": str(p.price),
                "unit": p.unit.value,
                "modifiers": list(p.modifier_ids),
                "vat_eat_in": p.vat.eat_in.value,
                "vat_take_away": p.vat.take_away.value,
            }
            for p in catalogue.products.values()
            if p.department_id == department.id and p.manually_sellable
        ]
        departments.append(
            {"id": department.id, "name": department.names.get(language), "products": products}
        )
    modifiers = [
        {"id": m.id, "name": m.names.get(language), "price": str(m.price)}
        for m in catalogue.modifiers.values()
    ]
    return {"departments": departments, "modifiers": modifiers}


def ticket_of(pos: Pos, record: dict[str, Any]) -> Ticket:
    """The ticket of a journal record (event and FDM receipt as signed)."""
    return ticket_of_record(pos, record)


def recent_tickets(pos: Pos, limit: int = 30, kinds: tuple[str, ...] = ("SALE",)) -> list[dict[str, Any]]:
    with pos.store.engine.begin() as c:
        rows = c.execute(
            select(
                t.journal.c.ticket_number,
                t.journal.c.event_kind,
                t.journal.c.label,
                t.journal.c.recorded_at,
                t.journal.c.total_cents,
                t.journal.c.cost_center_id,
                t.journal.c.training,
            )
            .where(t.journal.c.record_type == "event", t.journal.c.event_kind.in_(kinds))
            .order_by(t.journal.c.seq.desc())
            .limit(limit)
        ).all()
    return [
        {
            "ticket_number": int(r.ticket_number),
            "kind": r.event_kind,
            "label": r.label,
            "recorded_at": r.recorded_at,
            "total": money(int(r.total_cents or 0)),
            "table": r.cost_center_id,
            "training": bool(r.training),
        }
        for r in rows
    ]


def parse_quantity(text: str | Decimal | int, field: str = "quantity") -> Decimal:
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        return Decimal(text)
    cleaned = str(text).strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise DomainError(field, "NOT_A_NUMBER", f"{text!r} is not a quantity") from None
    if not value.is_finite():
        raise DomainError(field, "NOT_A_NUMBER", f"{text!r} is not a quantity")
    return value
