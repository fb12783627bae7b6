"""The user actions of the screens and of the JSON API, one function each, over the POS core.

Each takes the runtime and the session, calls the core (which signs through the FDM and journals), tells
the other terminals through the live bus and answers a JSON-ready dict. Roles are checked here, so every
route that reaches an action is guarded on the server.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sce.db import tables as t
from sce.domain.catalogue import Department, Language, Names, Product, Unit
from sce.domain.errors import DomainError
from sce.domain.identifiers import validate_customer_vat_number, validate_employee_id
from sce.domain.money import Money, round_cash
from sce.domain.orders import CostCentre, CostCentreType, Order, order_from_dict, refund
from sce.domain.payments import PaymentMethod, Tender, Tip
from sce.domain.staff import Employee
from sce.domain.vat import Consumption, ProductVat, VatLetter
from sce.fiscal.errors import InvalidPinError
from sce.journal.codec import event_from_json, receipt_from_json
from sce.pos.service import ROLES
from sce.pos.signer import Signed
from sce.tickets.printer_spec import parse_printer
from sce.tickets.printing import PrinterUnavailableError
from sce.web.pos import security as sec
from sce.web.pos.runtime import Runtime
from sce.web.pos.security import Session
from sce.web.pos.ticket_mail import delivery_choice
from sce.web.pos.views import fired_courses, order_dict, parse_quantity, ticket_of

log = logging.getLogger(__name__)

TERMINAL_KINDS = ("terminal", "station")


def _signed(signed: Signed) -> dict[str, Any]:
    receipt = signed.receipt
    return {
        "ticket_number": signed.event.ticket_number,
        "kind": signed.event.kind.value,
        "label": receipt.event_label if receipt else None,
        "training": signed.event.training,
        "total": str(Money(signed.event.total_cents)),
    }


def _print(rt: Runtime, s: Session, signed: Signed) -> None:
    """The signed ticket on the terminal's printer (once); a printing problem never undoes the sale."""
    try:
        rt.tickets.print_ticket(s.terminal_id, ticket_of(rt.pos, signed.record))
    except Exception:
        log.warning("ticket %s not printed", signed.event.ticket_number, exc_info=True)


def _email(rt: Runtime, signed: Signed, address: str | None) -> bool:
    """The signed ticket queued for the customer's address (checked before signing); a mail problem
    never undoes the sale."""
    if not address or rt.mail is None:
        return False
    try:
        return rt.mail.send(ticket_of(rt.pos, signed.record), address)
    except Exception:
        log.warning("ticket %s not e-mailed", signed.event.ticket_number, exc_info=True)
        return False


def _changed(rt: Runtime, kind: str, **fields: Any) -> None:
    rt.touch()
    rt.bus.publish({"kind": kind, **fields})


def _order_changed(rt: Runtime, order_id: str) -> dict[str, Any]:
    view = rt.pos.order(order_id)
    data = order_dict(view, fired=fired_courses(rt.pos, order_id))
    _changed(rt, "order", order_id=order_id, table=data["table"], version=view.version, status=view.status)
    return data


# ================================================================= login and presence


def _employees(rt: Runtime) -> dict[str, dict[str, Any]]:
    with rt.pos.store.tx() as tx:
        return tx.items("employee")


def identify(rt: Runtime, secret: str, client: str) -> dict[str, Any]:
    rt.sessions.check_throttle(client)
    found = sec.find_employee(_employees(rt), secret.strip())
    if found is None:
        rt.sessions.failed(client)
        raise DomainError("pin", "BAD_PIN", "unknown PIN or badge code")
    rt.sessions.succeeded(client)
    return found


def login(rt: Runtime, secret: str, terminal_id: str, client: str, *, api: bool = False) -> Session:
    found = identify(rt, secret, client)
    return rt.sessions.open(
        str(found["employee_id"]), str(found["alias"]), str(found.get("role", "waiter")), terminal_id, api=api
    )


def clock(rt: Runtime, employee_id: str, terminal_id: str, direction: str) -> dict[str, Any]:
    if direction == "in":
        signed = rt.pos.clock_in(employee_id, terminal_id)
    elif direction == "out":
        signed = rt.pos.clock_out(employee_id, terminal_id)
    else:
        raise DomainError("direction", "UNKNOWN", "in or out")
    _changed(rt, "presence", employee_id=employee_id)
    return {"clocked_in": direction == "in", **_signed(signed)}


def presence(rt: Runtime) -> dict[str, Any]:
    employees = _employees(rt)
    return {
        employee_id: {
            "alias": employees.get(employee_id, {}).get("alias", "?"),
            "since": since,
            "terminal": term,
        }
        for employee_id, (since, term) in rt.pos.clocked_in().items()
    }


# ================================================================= orders


def _consumption(value: str) -> Consumption:
    try:
        return Consumption(value)
    except ValueError:
        raise DomainError("consumption", "UNKNOWN", ", ".join(c.value for c in Consumption)) from None


def open_order(rt: Runtime, s: Session, table: str, consumption: str = "EAT_IN") -> dict[str, Any]:
    sec.require_role(s, sec.SELL)
    kind = CostCentreType.TABLE
    if table.startswith("counter"):
        kind = CostCentreType.OTHER
    elif s.role == "robot":
        kind = CostCentreType.KIOSK
    view = rt.pos.open_order(s.employee_id, CostCentre(kind, table.strip()), _consumption(consumption))
    return _order_changed(rt, view.order.order_id)


def get_order(rt: Runtime, s: Session, order_id: str) -> dict[str, Any]:
    sec.require_role(s, sec.ANYONE)
    return order_dict(rt.pos.order(order_id), fired=fired_courses(rt.pos, order_id))


def add_item(
    rt: Runtime,
    s: Session,
    order_id: str,
    version: int,
    product_id: str,
    quantity: str | Decimal = "1",
    modifier_ids: Sequence[str] = (),
    notes: Sequence[str] = (),
    seat: int | None = None,
    course: int | None = None,
) -> dict[str, Any]:
    sec.require_role(s, sec.SELL)
    rt.pos.add_item(
        order_id,
        version,
        s.employee_id,
        product_id,
        parse_quantity(quantity),
        modifier_ids=[m for m in modifier_ids if m],
        notes=[n.strip() for n in notes if n.strip()],
        seat=seat,
        course=course,
    )
    return _order_changed(rt, order_id)


def correct(
    rt: Runtime, s: Session, order_id: str, version: int, line_number: int, quantity: str | Decimal = "1"
) -> dict[str, Any]:
    sec.require_role(s, sec.SELL)
    rt.pos.correct(order_id, version, s.employee_id, line_number, parse_quantity(quantity))
    return _order_changed(rt, order_id)


def change_price(
    rt: Runtime, s: Session, order_id: str, version: int, line_number: int, unit_price: str
) -> dict[str, Any]:
    """A new unit price for what is left of a line: a PRICE_CHANGE negative line and a new line."""
    sec.require_role(s, sec.MANAGE)
    price = Money.parse(str(unit_price), "unit_price")
    rt.pos.change_price(order_id, version, s.employee_id, line_number, price)
    return _order_changed(rt, order_id)


def parse_percent(text: str | Decimal) -> Decimal:
    """A discount percentage: more than 0, at most 100, two decimals at most."""
    value = parse_quantity(text, "percent")
    if not 0 < value <= 100:
        raise DomainError("percent", "OUT_OF_RANGE", "more than 0 and at most 100")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError("percent", "INVALID_PRECISION", "at most 2 decimals")
    return value


def discount(
    rt: Runtime,
    s: Session,
    order_id: str,
    version: int,
    line_number: int,
    amount: str | None = None,
    percent: str | Decimal | None = None,
) -> dict[str, Any]:
    """A DISCOUNT line on an item: an amount, or a percentage of what is left (100 is on the house)."""
    sec.require_role(s, sec.MANAGE)
    has_amount = amount is not None and str(amount).strip() != ""
    has_percent = percent is not None and str(percent).strip() != ""
    if has_amount == has_percent:
        raise DomainError("amount", "ONE_OF", "give either an amount or a percent")
    if has_amount:
        rt.pos.discount(order_id, version, s.employee_id, line_number, Money.parse(str(amount), "amount"))
    else:
        rt.pos.discount_percent(order_id, version, s.employee_id, line_number, parse_percent(percent or ""))
    return _order_changed(rt, order_id)


def _round_notes(order: Order) -> dict[int, Sequence[str]]:
    if not order.rounds:
        return {}
    return {index: line.notes for index, line in enumerate(order.rounds[-1].lines) if line.notes}


def send_round(rt: Runtime, s: Session, order_id: str, version: int) -> dict[str, Any]:
    sec.require_role(s, sec.SELL)
    signed = rt.pos.send_round(order_id, version, s.employee_id, s.terminal_id)
    printed = rt.kitchen.on_round(signed, _round_notes(rt.pos.order(order_id).order))
    data = _order_changed(rt, order_id)
    _changed(rt, "kitchen", stations=printed)
    return {"order": data, "event": _signed(signed), "printed": printed}


def fire_course(rt: Runtime, s: Session, order_id: str, course: int) -> dict[str, Any]:
    """Tell the kitchen to start a held course (not fiscal: no event). Firing it again changes nothing."""
    sec.require_role(s, sec.SELL)
    fired = rt.kitchen.fire(order_id, course, s.employee_id)
    if fired.new:
        _changed(rt, "kitchen", order_id=order_id, table=fired.table, course=course, fired=True)
    data = order_dict(rt.pos.order(order_id), fired=fired_courses(rt.pos, order_id))
    return {
        "order": data,
        "fired": data["fired_courses"],
        "course": course,
        "table": fired.table,
        "first_fire": fired.new,
        "printed": list(fired.printed),
    }


def provisional_bill(rt: Runtime, s: Session, order_id: str, version: int) -> dict[str, Any]:
    sec.require_role(s, sec.SELL)
    pending = rt.pos.order(order_id).order.pending()
    signed = rt.pos.provisional_bill(order_id, version, s.employee_id, s.terminal_id)
    if pending:
        _kitchen_for_last_round(rt, order_id)
    _print(rt, s, signed)
    return {"order": _order_changed(rt, order_id), "event": _signed(signed)}


def _kitchen_for_last_round(rt: Runtime, order_id: str) -> None:
    """Rounds the core sent itself (before a bill, payment or transfer) also go to the kitchen."""
    with rt.engine.begin() as c:
        row = c.execute(
            select(t.journal.c.ticket_number)
            .where(t.journal.c.order_id == order_id, t.journal.c.event_kind == "ORDER")
            .order_by(t.journal.c.seq.desc())
            .limit(1)
        ).first()
    if row is None:
        return
    record = rt.pos.record(int(row[0]))
    if not record.get("fdm"):
        return
    event = event_from_json(record["event"])
    signed = Signed(int(record["seq"]), event, receipt_from_json(record["fdm"]), record)
    rt.kitchen.on_round(signed)
    _changed(rt, "kitchen")


def _target(rt: Runtime, table: str) -> CostCentre | str:
    """An existing open order id, or a table (its single open order if it has one: merge)."""
    if table.startswith("order-"):
        return table
    open_here = [
        v.order.order_id
        for v in rt.pos.open_orders()
        if v.status == "open"
        and v.order.cost_centre.id == table
        and v.order.cost_centre.type is CostCentreType.TABLE
    ]
    if len(open_here) == 1:
        return open_here[0]
    return CostCentre(CostCentreType.TABLE, table)


def _moves(lines: Mapping[int, str | Decimal] | None) -> dict[int, Decimal] | None:
    if not lines:
        return None
    moves = {int(n): parse_quantity(q, f"lines[{n}]") for n, q in lines.items()}
    return {n: q for n, q in moves.items() if q > 0} or None


def transfer(
    rt: Runtime,
    s: Session,
    order_id: str,
    version: int,
    table: str,
    lines: Mapping[int, str | Decimal] | None = None,
) -> dict[str, Any]:
    sec.require_role(s, sec.SELL)
    if not table.strip():
        raise DomainError("table", "REQUIRED", "the table to move to")
    had_pending = bool(rt.pos.order(order_id).order.pending())
    signed, target = rt.pos.transfer(
        order_id, version, s.employee_id, s.terminal_id, _target(rt, table.strip()), _moves(lines)
    )
    if had_pending:
        _kitchen_for_last_round(rt, order_id)
    _order_changed(rt, order_id)
    return {"order": _order_changed(rt, target), "source_order_id": order_id, "event": _signed(signed)}


def split(
    rt: Runtime,
    s: Session,
    order_id: str,
    version: int,
    seat: int | None = None,
    lines: Mapping[int, str | Decimal] | None = None,
) -> dict[str, Any]:
    sec.require_role(s, sec.SELL)
    had_pending = bool(rt.pos.order(order_id).order.pending())
    if seat is not None:
        signed, target = rt.pos.split_seat(order_id, version, s.employee_id, s.terminal_id, seat)
    else:
        moves = _moves(lines)
        if not moves:
            raise DomainError("lines", "REQUIRED", "choose the lines for the separate bill")
        signed, target = rt.pos.split_items(order_id, version, s.employee_id, s.terminal_id, moves)
    if had_pending:
        _kitchen_for_last_round(rt, order_id)
    _order_changed(rt, order_id)
    return {"order": _order_changed(rt, target), "source_order_id": order_id, "event": _signed(signed)}


def equal_shares(rt: Runtime, s: Session, order_id: str, parts: int) -> dict[str, Any]:
    sec.require_role(s, sec.ANYONE)
    return {"parts": parts, "shares": [str(m) for m in rt.pos.equal_shares(order_id, parts)]}


def _method(value: str) -> PaymentMethod:
    try:
        return PaymentMethod(value)
    except ValueError:
        raise DomainError("method", "UNKNOWN_METHOD", ", ".join(m.value for m in PaymentMethod)) from None


def tenders_from(items: Sequence[Mapping[str, str]]) -> list[Tender]:
    tenders = []
    for item in items:
        amount = str(item.get("amount", "")).strip()
        if not amount:
            continue
        tenders.append(
            Tender(_method(str(item.get("method", "CASH"))), Money.parse(amount, "tenders.amount"))
        )
    return tenders


def tips_from(items: Sequence[Mapping[str, str]]) -> list[Tip]:
    return [
        Tip(_method(str(item.get("method", "CASH"))), Money.parse(str(item["amount"]), "tips.amount"))
        for item in items
        if str(item.get("amount", "")).strip() and Money.parse(str(item["amount"]), "tips.amount").cents
    ]


def pay(
    rt: Runtime,
    s: Session,
    order_id: str,
    version: int,
    tenders: Sequence[Mapping[str, str]],
    tips: Sequence[Mapping[str, str]] = (),
    *,
    email: str = "",
    paper: bool = True,
) -> dict[str, Any]:
    """Pay and close the order: the VAT ticket on paper, by e-mail (SCE 2.0) or both; the address is
    checked before the FDM signs and is kept only until the mail server took the ticket."""
    sec.require_role(s, sec.SELL)
    delivery = delivery_choice(rt.mail, email, paper, rt.generation)
    current = rt.pos.order(order_id).order
    had_pending = bool(current.pending())
    given = tenders_from(tenders)
    free = current.total.is_zero() and not tips_from(tips)
    if free:  # everything taken back or on the house: a sale of 0.00 closes the table
        given = [tender for tender in given if not tender.amount.is_zero()]
    elif not given:
        raise DomainError("tenders", "REQUIRED", "enter what the customer pays")
    medium = delivery.medium if rt.generation == 2 else ""
    signed = rt.pos.pay(
        order_id, version, s.employee_id, s.terminal_id, given, tips_from(tips), medium=medium
    )
    if had_pending and rt.pos.order(order_id).order.rounds:
        _kitchen_for_last_round(rt, order_id)
    view = rt.pos.order(order_id)
    _changed(
        rt,
        "order",
        order_id=order_id,
        table=view.order.cost_centre.id,
        version=view.version,
        status=view.status,
    )
    if delivery.paper:
        _print(rt, s, signed)
    emailed = _email(rt, signed, delivery.email)
    change = int((signed.record.get("pos") or {}).get("change") or 0)
    return {
        **_signed(signed),
        "change": str(Money(change)),
        "order_id": order_id,
        "printed": delivery.paper,
        "emailed": emailed,
    }


def refund_total(rt: Runtime, ticket_number: int, lines: Mapping[int, str | Decimal] | None) -> Money:
    with rt.pos.store.tx() as tx:
        stored = tx.order_for_ticket(ticket_number)
    if stored is None:
        raise DomainError("ticket_number", "NO_ORDER", "the sale has no order to take lines from")
    original = order_from_dict(stored.body)
    scratch = Order("scratch", original.cost_centre, original.consumption)
    refund(original, scratch, _moves(lines))
    return scratch.total


def refund_ticket(
    rt: Runtime,
    s: Session,
    ticket_number: int,
    method: str = "CASH",
    lines: Mapping[int, str | Decimal] | None = None,
) -> dict[str, Any]:
    sec.require_role(s, sec.MANAGE)
    total = refund_total(rt, ticket_number, lines)
    paid_method = _method(method)
    amount = round_cash(total).rounded if paid_method is PaymentMethod.CASH else total
    signed = rt.pos.refund(
        ticket_number, s.employee_id, s.terminal_id, [Tender(paid_method, amount)], _moves(lines)
    )
    _print(rt, s, signed)
    _changed(rt, "ticket", ticket_number=signed.event.ticket_number)
    return {**_signed(signed), "original_ticket": ticket_number, "paid_back": str(-amount)}


def payment_correction(
    rt: Runtime, s: Session, ticket_number: int, tenders: Sequence[Mapping[str, str]]
) -> dict[str, Any]:
    """The payment methods of a paid sale corrected: its payments negated, the right ones added; the
    correction is printed."""
    sec.require_role(s, sec.MANAGE)
    given = tenders_from(tenders)
    if not given:
        raise DomainError("tenders", "REQUIRED", "enter how the customer paid")
    signed = rt.pos.payment_correction(ticket_number, s.employee_id, s.terminal_id, given)
    _print(rt, s, signed)
    _changed(rt, "ticket", ticket_number=signed.event.ticket_number)
    payments = [{"method": p.method, "amount": str(p.amount), "kind": p.kind} for p in signed.event.payments]
    return {**_signed(signed), "original_ticket": ticket_number, "payments": payments}


CUSTOMER_FIELDS = ("name", "address", "vat_no", "email")
#: What the journal keeps of the customer (the e-mail address only serves to send the invoice).
KEPT_CUSTOMER_FIELDS = ("name", "address", "vat_no")


def customer_of(customer: Mapping[str, str]) -> dict[str, str]:
    """The invoice's customer: name and address required; a VAT number checked (Belgian: mod 97, other
    EU states: their check digits, elsewhere: the form)."""
    cleaned = {k: " ".join(str(v).split()) for k, v in customer.items() if k in KEPT_CUSTOMER_FIELDS}
    cleaned = {k: v for k, v in cleaned.items() if v}
    for name in ("name", "address"):
        if name not in cleaned:
            raise DomainError(f"customer.{name}", "REQUIRED", "an invoice names its customer and address")
    if cleaned.get("vat_no"):
        cleaned["vat_no"] = validate_customer_vat_number(cleaned["vat_no"], "customer.vat_no")
    return cleaned


def ticket_numbers_of(text: str, field: str = "other_tickets") -> list[int]:
    """Ticket numbers typed as ``12, 13`` (commas or spaces); a :class:`DomainError` naming ``field``
    for anything else."""
    numbers: list[int] = []
    for part in text.replace(",", " ").replace(";", " ").split():
        if not part.isdigit() or not 0 < int(part) <= 2_000_000_000:
            raise DomainError(field, "NOT_A_NUMBER", f"{part!r} is not a ticket number (e.g. 12, 13)")
        numbers.append(int(part))
    return numbers


def invoice(
    rt: Runtime, s: Session, ticket_numbers: Sequence[int], customer: Mapping[str, str]
) -> dict[str, Any]:
    """An invoice for one or more paid tickets, with the next number of the invoice series, printed on the
    terminal's printer once signed."""
    sec.require_role(s, sec.MANAGE)
    numbers = list(dict.fromkeys(int(n) for n in ticket_numbers))
    delivery = delivery_choice(
        rt.mail, str(customer.get("email") or ""), True, rt.generation, "customer.email"
    )
    signed = rt.pos.invoice(numbers, s.employee_id, s.terminal_id, customer_of(customer))
    _print(rt, s, signed)  # an invoice is always printed (MB art. 32)
    emailed = _email(rt, signed, delivery.email)
    _changed(rt, "ticket", ticket_number=signed.event.ticket_number)
    pos = signed.record.get("pos") or {}
    return {
        **_signed(signed),
        "invoice_number": signed.event.invoice_number,
        "tickets": numbers,
        "amount": str(pos.get("invoice_amount", "0.00")),
        "customer": dict(pos.get("customer") or {}),
        "emailed": emailed,
    }


def copy_ticket(rt: Runtime, s: Session, ticket_number: int) -> dict[str, Any]:
    sec.require_role(s, sec.CASH)
    signed = rt.pos.copy(ticket_number, s.employee_id, s.terminal_id)
    _print(rt, s, signed)
    return {**_signed(signed), "original_ticket": ticket_number}


def drawer_open(rt: Runtime, s: Session, reason: str = "") -> dict[str, Any]:
    sec.require_role(s, sec.CASH)
    signed = rt.pos.drawer_open(s.employee_id, s.terminal_id, reason)
    try:
        rt.tickets.open_drawer(s.terminal_id)
    except PrinterUnavailableError as error:  # the opening is registered; the drawer did not move
        log.warning("drawer of %s not opened: %s", s.terminal_id, error)
        return {**_signed(signed), "drawer_opened": False, "drawer_error": str(error)}
    return {**_signed(signed), "drawer_opened": True}


def money_in_out(rt: Runtime, s: Session, amount: str, reason: str) -> dict[str, Any]:
    """Cash put in (positive) or taken out (negative); the slip is printed for the drawer."""
    sec.require_role(s, sec.MANAGE)
    signed = rt.pos.money_in_out(s.employee_id, s.terminal_id, Money.parse(amount), reason)
    _print(rt, s, signed)
    return _signed(signed)


def report(rt: Runtime, s: Session, kind: str, mode: str) -> dict[str, Any]:
    sec.require_role(s, sec.MANAGE if mode == "Z" else sec.REPORT)
    made = rt.pos.report(kind, mode, s.employee_id, s.terminal_id)
    _changed(rt, "report", mode=mode)
    return {"reports": [_signed(m) for m in made]}


def set_training(rt: Runtime, s: Session, on: bool, employee_id: str | None = None) -> dict[str, Any]:
    """Training mode of this terminal, or of one user wherever they work (``employee_id``)."""
    sec.require_role(s, sec.MANAGE)
    if employee_id:
        employee_id = validate_employee_id(employee_id.strip(), "employee_id")
        with rt.pos.store.tx() as tx:
            if tx.item("employee", employee_id) is None:
                raise DomainError("employee_id", "UNKNOWN_EMPLOYEE", employee_id)
        rt.pos.set_training("employee", employee_id, on, s.employee_id)
        _changed(rt, "training", employee_id=employee_id, on=on)
        return {"employee_id": employee_id, "training": on}
    rt.pos.set_training("terminal", s.terminal_id, on, s.employee_id)
    _changed(rt, "training", terminal_id=s.terminal_id, on=on)
    return {"terminal_id": s.terminal_id, "training": on}


def unlock(rt: Runtime, s: Session, pin: str) -> dict[str, Any]:
    sec.require_role(s, sec.ANYONE - {"inspector"})
    done = rt.pos.unlock(pin.strip())
    rt.device = rt.pos.fdm.status()
    _changed(rt, "fdm")
    return {"sent": [_signed(d) for d in done], "ready": rt.device.ready}


def unlock_at_login(rt: Runtime, pin: str, client: str) -> dict[str, Any]:
    """The VSC PIN typed on the login screen (a clock-in waits for it): throttled like staff PINs."""
    rt.sessions.check_throttle(client)
    try:
        done = rt.pos.unlock(pin.strip())
    except InvalidPinError:
        rt.sessions.failed(client)
        raise
    rt.device = rt.pos.fdm.status()
    _changed(rt, "fdm")
    return {"sent": [_signed(d) for d in done], "ready": rt.device.ready}


def retry(rt: Runtime, s: Session) -> dict[str, Any]:
    sec.require_role(s, sec.ANYONE - {"inspector"})
    done = rt.pos.retry_pending()
    _changed(rt, "fdm")
    return {"sent": [_signed(d) for d in done]}


def bump(rt: Runtime, s: Session, key: str) -> dict[str, Any]:
    sec.require_role(s, sec.KITCHEN)
    card = rt.kitchen.bump(key, s.employee_id)
    _changed(rt, "kitchen")
    return {"key": card.key, "bumped": True}


def quick_sale(
    rt: Runtime,
    s: Session,
    items: Sequence[Mapping[str, str]],
    tenders: Sequence[Mapping[str, str]],
    consumption: str = "TAKE_AWAY",
) -> dict[str, Any]:
    sec.require_role(s, sec.SELL)
    pairs = [(str(i["product_id"]), parse_quantity(i.get("quantity", "1"))) for i in items]
    centre = CostCentre(
        CostCentreType.KIOSK if s.role == "robot" else CostCentreType.OTHER, f"counter-{s.terminal_id}"
    )
    signed = rt.pos.quick_sale(
        s.employee_id, s.terminal_id, pairs, tenders_from(tenders), (), _consumption(consumption), centre
    )
    _print(rt, s, signed)
    change = int((signed.record.get("pos") or {}).get("change") or 0)
    return {**_signed(signed), "change": str(Money(change))}


# ================================================================= back office


def save_department(rt: Runtime, s: Session, department_id: str, names: Mapping[str, str]) -> dict[str, Any]:
    sec.require_role(s, sec.CONFIGURE)
    rt.pos.add_department(Department(department_id.strip().upper(), _names(names)), by=s.employee_id)
    _changed(rt, "config", entity="department")
    return {"id": department_id.strip().upper()}


def _names(names: Mapping[str, str]) -> Names:
    values = {Language(k.upper()): v.strip() for k, v in names.items() if v and v.strip()}
    if not values:
        raise DomainError("names", "REQUIRED", "at least one name")
    return Names(values)


def save_product(
    rt: Runtime,
    s: Session,
    product_id: str,
    names: Mapping[str, str],
    department_id: str,
    price: str,
    vat_eat_in: str,
    vat_take_away: str,
    unit: str = "unit",
    modifier_ids: Sequence[str] = (),
) -> dict[str, Any]:
    sec.require_role(s, sec.CONFIGURE)
    try:
        product_unit = Unit(unit)
    except ValueError:
        raise DomainError("unit", "UNKNOWN_UNIT", ", ".join(u.value for u in Unit)) from None
    product = Product(
        product_id.strip().upper(),
        _names(names),
        department_id,
        Money.parse(price, "price"),
        ProductVat(
            VatLetter.parse(vat_eat_in, "vat_eat_in"), VatLetter.parse(vat_take_away, "vat_take_away")
        ),
        product_unit,
        modifier_ids=tuple(m for m in modifier_ids if m),
    )
    rt.pos.add_product(product, by=s.employee_id)
    _changed(rt, "config", entity="product")
    return {"id": product.id}


def save_employee(
    rt: Runtime,
    s: Session,
    employee_id: str,
    alias: str,
    role: str,
    pin: str = "",
    badge: str = "",
    name: str = "",
) -> dict[str, Any]:
    sec.require_role(s, sec.CONFIGURE)
    if role not in ROLES:
        raise DomainError("role", "UNKNOWN_ROLE", ", ".join(ROLES))
    if role == "technician" and s.role != "technician":
        raise DomainError("role", "FORBIDDEN", "only a technician creates a technician")
    employee = Employee(validate_employee_id(employee_id), alias, name)
    existing = _employees(rt)
    extra: dict[str, Any] = {}
    previous = existing.get(employee.employee_id, {})
    for field_name, secret in (("pin_hash", pin), ("badge_hash", badge)):
        if secret:
            for other_id, other in existing.items():
                if other_id == employee.employee_id:
                    continue
                for hashed in (other.get("pin_hash"), other.get("badge_hash")):
                    if hashed and sec.verify_secret(str(hashed), secret):
                        raise DomainError(
                            field_name.split("_")[0], "TAKEN", "another employee uses this code"
                        )
            extra[field_name] = sec.hash_secret(secret)
        elif previous.get(field_name):
            extra[field_name] = previous[field_name]
    rt.pos.add_employee(employee, role, by=s.employee_id, **extra)
    _changed(rt, "config", entity="employee")
    return {"employee_id": employee.employee_id, "alias": employee.alias, "role": role}


def save_config(rt: Runtime, s: Session, kind: str, item_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A terminal or a kitchen/bar station (printer), journaled in the configuration log."""
    sec.require_role(s, sec.CONFIGURE)
    if kind not in TERMINAL_KINDS:
        raise DomainError("kind", "UNKNOWN", ", ".join(TERMINAL_KINDS))
    item_id = item_id.strip().upper()
    if not item_id or len(item_id) > 40:
        raise DomainError("id", "REQUIRED", "1 to 40 characters")
    printer = parse_printer(str(body.get("printer") or "screen")).text
    document = {**body, "id": item_id, "printer": printer}
    with rt.pos.store.tx() as tx:
        found = tx.item(kind, item_id)
        tx.put_item(kind, item_id, document, None if found is None else found[0])
        tx.append_config(
            validate_employee_id(s.employee_id),
            kind,
            item_id,
            "create" if found is None else "update",
            None if found is None else found[1],
            document,
        )
    if kind == "terminal":
        rt.load_printers()
    _changed(rt, "config", entity=kind)
    return document
