"""The POS services: every user action of the restaurant, each one event through the fiscal port.

Rules enforced here for both FDM generations: no event without a clocked-in user (WORK IN first) and a
working FDM; nothing finished without the FDM's signature; a line is never edited (corrections are new
lines); every table round is a pro forma ORDER event and the table ends in a SALE; numbers are continuous
(tickets, invoices, Z reports); an opening period lasts at most 24 hours and the next report first makes
the missing Z reports; tables edited from two terminals at once get a clear conflict error.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sce.db.store import PosStore, Tx, utc_now
from sce.domain.catalogue import Catalogue, Department, Language, Modifier, Product
from sce.domain.errors import DomainError
from sce.domain.events import (
    EventContext,
    fiscal_line,
    fiscal_payments,
    order_event,
    pre_bill_event,
    sale_event,
    work_event,
)
from sce.domain.identifiers import ONLINE_KIOSK, TECHNICIAN, validate_employee_id
from sce.domain.money import Money
from sce.domain.orders import (
    CostCentre,
    CostCentreType,
    LineReason,
    Order,
    Transfer,
    merge,
    order_from_dict,
    order_to_dict,
    refund,
    split_by_seat,
    split_equal,
    transfer,
)
from sce.domain.payments import PaymentLine, PaymentLineKind, PaymentMethod, Settlement, Tender, Tip, settle
from sce.domain.staff import Employee
from sce.domain.vat import Consumption
from sce.fiscal.port import (
    DeviceInfo,
    EventKind,
    FiscalCostCenter,
    FiscalDrawer,
    FiscalEvent,
    FiscalModule,
    FiscalPayment,
    FiscalReference,
)
from sce.journal.codec import line_from_json, payment_from_json, receipt_from_json
from sce.journal.format import INCIDENT
from sce.pos.catalogue_codec import (
    catalogue_from,
    department_to_dict,
    employee_from_dict,
    employee_to_dict,
    modifier_to_dict,
    product_to_dict,
)
from sce.pos.reports import compute, v2_details
from sce.pos.signer import Built, Signed, Signer
from sce.pos.site import SiteConfig

MAX_OPENING = timedelta(hours=24)
#: How the customer receives the VAT ticket (empty: on paper, the default).
MEDIA = ("", "PAPER", "DIGITAL", "PAPER_DIGITAL")
ROLES = ("waiter", "manager", "technician", "inspector", "robot")
#: SCE 2.0 labels of the events an SCE 1.0 FDM does not sign; the POS journals them itself.
TARGET_COST_CENTER = "target_cost_center"


#: Parts of a key that mark a secret: never written to the configuration log in clear.
SECRET_MARKS = ("pin", "secret", "password", "key", "token", "badge")


def masked(value: Any) -> Any:
    """``value`` with every secret (by its key, at any depth) replaced by ``***``."""
    if isinstance(value, dict):
        return {
            k: "***" if any(mark in str(k).lower() for mark in SECRET_MARKS) else masked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


@dataclass(frozen=True, slots=True)
class OrderView:
    """An order as a terminal shows it, with the version to send back with the next change."""

    order: Order
    version: int
    status: str


def _centre(centre: CostCentre, order_id: str) -> dict[str, str]:
    return {"id": centre.id, "type": centre.type.value, "reference": centre.reference or order_id}


class Pos:
    """One site's POS core over its database and its FDM."""

    def __init__(
        self,
        store: PosStore,
        fdm: FiscalModule,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.fdm = fdm
        self.signer = Signer(store, fdm, self._apply_effect)
        self.clock = clock
        self.device: DeviceInfo | None = None
        #: Why this POS may not sell through the FDM it found (the pairing registered in the e-service).
        self.pairing_refusal: str | None = None

    # ================================================================= set-up and configuration

    def site(self, tx: Tx | None = None) -> SiteConfig:
        if tx is None:
            with self.store.tx() as inner:
                return self.site(inner)
        found = tx.item("site", "site")
        if found is None:
            raise DomainError("site", "NOT_CONFIGURED", "configure the company, establishment and POS first")
        return SiteConfig.from_dict(found[1])

    def configure_site(self, site: SiteConfig, by: str = TECHNICIAN) -> None:
        self._put_config("site", "site", site.to_dict(), by)

    def _put_config(self, kind: str, item_id: str, body: dict[str, Any], by: str) -> int:
        by = validate_employee_id(by)
        with self.store.tx() as tx:
            found = tx.item(kind, item_id)
            version = tx.put_item(kind, item_id, body, None if found is None else found[0])
            shown = masked(body)
            before = None
            if found is not None:
                before = masked(found[1])
            tx.append_config(by, kind, item_id, "create" if found is None else "update", before, shown)
            return version

    def add_department(self, department: Department, by: str = TECHNICIAN) -> None:
        self._put_config("department", department.id, department_to_dict(department), by)

    def add_modifier(self, modifier: Modifier, by: str = TECHNICIAN) -> None:
        self._put_config("modifier", modifier.id, modifier_to_dict(modifier), by)

    def add_product(self, product: Product, by: str = TECHNICIAN) -> None:
        """Create or replace a product; a new price or VAT never alters lines already entered."""
        with self.store.tx() as tx:
            catalogue = self.catalogue(tx)
        if product.id in catalogue.products and catalogue.products[product.id].reserved:
            raise DomainError("product.id", "RESERVED_PRODUCT", f"{product.id} cannot be edited")
        if product.department_id not in catalogue.departments:
            raise DomainError("product.department_id", "UNKNOWN_DEPARTMENT", product.department_id)
        self._put_config("product", product.id, product_to_dict(product), by)

    def add_employee(
        self, employee: Employee, role: str = "waiter", by: str = TECHNICIAN, **extra: Any
    ) -> None:
        if role not in ROLES:
            raise DomainError("role", "UNKNOWN_ROLE", f"one of {', '.join(ROLES)}")
        self._put_config("employee", employee.employee_id, {**employee_to_dict(employee, role), **extra}, by)

    def set_training(self, scope: str, item_id: str, on: bool, by: str) -> None:
        """Training mode for a terminal (``scope`` terminal) or a user (``scope`` employee)."""
        if scope not in ("terminal", "employee"):
            raise DomainError("scope", "UNKNOWN_SCOPE", "terminal or employee")
        self._put_config("training", f"{scope}:{item_id}", {"on": on}, by)

    def catalogue(self, tx: Tx) -> Catalogue:
        return catalogue_from(tx.items("department"), tx.items("modifier"), tx.items("product"))

    def employee(self, tx: Tx, employee_id: str) -> Employee:
        found = tx.item("employee", validate_employee_id(employee_id))
        if found is None:
            if employee_id in (TECHNICIAN, ONLINE_KIOSK):
                return Employee(employee_id, "Technician" if employee_id == TECHNICIAN else "Online")
            raise DomainError("employee_id", "UNKNOWN_EMPLOYEE", employee_id)
        return employee_from_dict(found[1])

    # ================================================================= start-up

    def start(self) -> DeviceInfo:
        """Status and identification of the FDM, then every event left pending by a crash is finished."""
        self.device = self.fdm.start()
        if self.device.ready:
            self.signer.recover()
        return self.device

    def check_pairing(self, expected_fdm: str | None, *, active: bool = True) -> None:
        """Compare the FDM found at start-up with the one linked to this POS in the e-service.

        ``expected_fdm`` None means the POS is linked to no FDM. A mismatch stops every event until a
        start-up with the right FDM, with a message naming both serial numbers.
        """
        if self.device is None:
            raise DomainError("fdm", "NOT_STARTED", "start the POS (FDM status and identification) first")
        site = self.site()
        found = self.device.fdm_id.strip()
        if expected_fdm is None:
            self.pairing_refusal = (
                f"POS {site.pos_id} is linked to no FDM in the e-service; found FDM {found}"
            )
        elif not active:
            self.pairing_refusal = f"the link of POS {site.pos_id} to FDM {expected_fdm} is not active yet"
        elif expected_fdm.strip() != found:
            self.pairing_refusal = (
                f"POS {site.pos_id} expected FDM {expected_fdm.strip()} but found FDM {found}"
            )
        else:
            self.pairing_refusal = None

    def _require_pairing(self) -> None:
        if self.pairing_refusal is not None:
            raise DomainError("fdm", "NOT_PAIRED", f"{self.pairing_refusal}: selling refused")

    def unlock(self, pin: str) -> list[Signed]:
        """The VSC PIN (SCE 1.0); events waiting for it are then sent."""
        self.fdm.unlock(pin)
        return self.signer.recover()

    def retry_pending(self) -> list[Signed]:
        return self.signer.recover()

    def abandon_pending(self, ticket_number: int, employee_id: str, reason: str) -> dict[str, Any]:
        if not reason.strip():
            raise DomainError("reason", "REQUIRED", "why the event is given up")
        return self.signer.abandon(ticket_number, validate_employee_id(employee_id), reason)

    # ================================================================= time, periods, users

    def now(self) -> datetime:
        zone = self.site().zone
        moment = self.clock() if self.clock else datetime.now(zone)
        return moment.astimezone(zone)

    def _period(self, tx: Tx, now: datetime) -> dict[str, Any]:
        """The open opening period; one that reached 24 hours ends and a new one starts."""
        current = tx.current_period()
        if current is not None:
            started = datetime.fromisoformat(current["started_at"])
            if now - started < MAX_OPENING:
                return current
            tx.end_period(current["period_id"], (started + MAX_OPENING).isoformat())
        period_id = str(uuid.uuid4())
        tx.open_period(period_id, now.isoformat(), now.date().isoformat())
        return tx.period(period_id)

    def _require_user(self, tx: Tx, employee_id: str) -> str:
        employee_id = validate_employee_id(employee_id)
        if employee_id not in tx.presence():
            raise DomainError(
                "employee_id", "NOT_CLOCKED_IN", "clock in (WORK IN) before registering anything"
            )
        return employee_id

    def _training(self, tx: Tx, employee_id: str, terminal_id: str) -> bool:
        for key in (f"terminal:{terminal_id}", f"employee:{employee_id}"):
            found = tx.item("training", key)
            if found is not None and found[1].get("on"):
                return True
        return False

    def _context(
        self, tx: Tx, number: int, employee_id: str, terminal_id: str, *, training: bool | None = None
    ) -> tuple[EventContext, str]:
        self._require_pairing()
        site = self.site(tx)
        now = self.now()
        period = self._period(tx, now)
        ctx = EventContext(
            ticket_number=number,
            at=now,
            employee_id=employee_id,
            terminal_id=terminal_id,
            training=self._training(tx, employee_id, terminal_id) if training is None else training,
            booking_date=date.fromisoformat(period["booking_date"]),
            booking_period_id=period["period_id"],
            language=site.language,
        )
        return ctx, period["period_id"]

    def is_training(self, employee_id: str, terminal_id: str) -> bool:
        with self.store.tx() as tx:
            return self._training(tx, employee_id, terminal_id)

    def clock_in(self, employee_id: str, terminal_id: str) -> Signed:
        employee_id = validate_employee_id(employee_id)

        def build(tx: Tx, number: int) -> Built:
            self.employee(tx, employee_id)
            if employee_id in tx.presence():
                raise DomainError("employee_id", "ALREADY_CLOCKED_IN", employee_id)
            ctx, period = self._context(tx, number, employee_id, terminal_id, training=False)
            effect = {
                "clock_in": {
                    "employee_id": employee_id,
                    "since": ctx.at.isoformat(),
                    "terminal_id": terminal_id,
                }
            }
            return Built(work_event(True, ctx), effect, {}, period)

        return self.signer.register(build)

    def clock_out(self, employee_id: str, terminal_id: str) -> Signed:
        employee_id = validate_employee_id(employee_id)

        def build(tx: Tx, number: int) -> Built:
            self._require_user(tx, employee_id)
            ctx, period = self._context(tx, number, employee_id, terminal_id, training=False)
            return Built(work_event(False, ctx), {"clock_out": {"employee_id": employee_id}}, {}, period)

        return self.signer.register(build)

    def clocked_in(self) -> dict[str, tuple[str, str]]:
        with self.store.tx() as tx:
            return tx.presence()

    # ================================================================= orders

    def open_order(
        self,
        employee_id: str,
        centre: CostCentre,
        consumption: Consumption = Consumption.EAT_IN,
        *,
        order_id: str | None = None,
    ) -> OrderView:
        with self.store.tx() as tx:
            employee_id = self._require_user(tx, employee_id)
            order_id = order_id or f"order-{uuid.uuid4().hex[:12]}"
            order = Order(
                order_id, CostCentre(centre.type, centre.id, centre.reference or order_id), consumption
            )
            tx.insert_order(order_id, centre.id, employee_id, order_to_dict(order))
            return OrderView(order, 1, "open")

    def order(self, order_id: str) -> OrderView:
        with self.store.tx() as tx:
            stored = tx.order(order_id)
            return OrderView(order_from_dict(stored.body), stored.version, stored.status)

    def order_for_ticket(self, ticket_number: int) -> OrderView:
        """The order a sale closed."""
        with self.store.tx() as tx:
            stored = tx.order_for_ticket(ticket_number)
        if stored is None:
            raise DomainError("ticket_number", "NO_ORDER", str(ticket_number))
        return OrderView(order_from_dict(stored.body), stored.version, stored.status)

    def open_orders(self) -> list[OrderView]:
        with self.store.tx() as tx:
            return [OrderView(order_from_dict(s.body), s.version, s.status) for s in tx.open_orders()]

    def _edit(
        self, order_id: str, version: int, employee_id: str, change: Callable[[Order, Catalogue], Any]
    ) -> OrderView:
        """Apply ``change`` to an open order if nobody changed it since ``version`` (no event: lines wait
        for the next round, payment or bill, which signs them)."""
        with self.store.tx() as tx:
            self._require_user(tx, employee_id)
            stored = tx.order(order_id)
            if stored.status != "open":
                raise DomainError("order_id", "NOT_OPEN", f"{order_id} is {stored.status}")
            order = order_from_dict(stored.body)
            change(order, self.catalogue(tx))
            new_version = tx.save_order(order_id, version, order_to_dict(order))
            return OrderView(order, new_version, "open")

    def add_item(
        self,
        order_id: str,
        version: int,
        employee_id: str,
        product_id: str,
        quantity: Decimal = Decimal(1),
        *,
        modifier_ids: Sequence[str] = (),
        notes: Sequence[str] = (),
        seat: int | None = None,
        course: int | None = None,
        language: Language = Language.NL,
    ) -> OrderView:
        def change(order: Order, catalogue: Catalogue) -> None:
            product = catalogue.for_sale(product_id)
            modifiers = [catalogue.modifier(m) for m in modifier_ids]
            order.add(
                product,
                quantity,
                modifiers=modifiers,
                notes=notes,
                seat=seat,
                course=course,
                language=language,
            )

        return self._edit(order_id, version, employee_id, change)

    def correct(
        self,
        order_id: str,
        version: int,
        employee_id: str,
        line_number: int,
        quantity: Decimal,
        reason: LineReason = LineReason.CORRECTION,
    ) -> OrderView:
        return self._edit(
            order_id, version, employee_id, lambda o, _c: o.correct(line_number, quantity, reason)
        )

    def change_price(
        self, order_id: str, version: int, employee_id: str, line_number: int, price: Money
    ) -> OrderView:
        return self._edit(order_id, version, employee_id, lambda o, _c: o.change_price(line_number, price))

    def discount(
        self, order_id: str, version: int, employee_id: str, line_number: int, amount: Money
    ) -> OrderView:
        return self._edit(order_id, version, employee_id, lambda o, _c: o.discount(line_number, amount))

    def discount_percent(
        self, order_id: str, version: int, employee_id: str, line_number: int, percent: Decimal
    ) -> OrderView:
        """A discount of ``percent`` of what is left of a line (100: on the house)."""
        return self._edit(
            order_id, version, employee_id, lambda o, _c: o.discount_percent(line_number, percent)
        )

    def _departments(self, tx: Tx) -> dict[str, str]:
        site = self.site(tx)
        return {d.id: d.names.get(site.language) for d in self.catalogue(tx).departments.values()}

    def _order_event(
        self,
        order_id: str,
        version: int,
        employee_id: str,
        terminal_id: str,
        make: Callable[[Tx, Order, EventContext], tuple[FiscalEvent, dict[str, Any]]],
        *,
        close: bool = False,
    ) -> Signed:
        """One event about one order: the order is locked (version) in the numbering transaction."""

        def build(tx: Tx, number: int) -> Built:
            user = self._require_user(tx, employee_id)
            stored = tx.order(order_id)
            if stored.status != "open":
                raise DomainError("order_id", "NOT_OPEN", f"{order_id} is {stored.status}")
            if stored.version != version:
                raise DomainError(
                    "version",
                    "STALE_VERSION",
                    f"order {order_id} was changed on another terminal (version {stored.version}, you had "
                    f"{version}): reload it and repeat your change",
                )
            order = order_from_dict(stored.body)
            training = self._training(tx, user, terminal_id) or bool(stored.body.get("training"))
            ctx, period = self._context(tx, number, user, terminal_id, training=training)
            event, pos = make(tx, order, ctx)
            if close:
                order.close()
            locked = tx.save_order(order_id, version, stored.body, status="signing")
            after = order_to_dict(order)
            effect = {
                "orders": [
                    {
                        "order_id": order_id,
                        "version": locked,
                        "before": stored.body,
                        "after": after,
                        "status": "closed" if close else "open",
                        "ticket_number": number if close else None,
                    }
                ]
            }
            return Built(event, effect, {"order_id": order_id, **pos}, period)

        return self.signer.register(build)

    def send_round(self, order_id: str, version: int, employee_id: str, terminal_id: str) -> Signed:
        """The lines entered since the last round, as a pro forma ORDER event (kitchen/bar ticket)."""

        def make(tx: Tx, order: Order, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            event = order_event(order, ctx, departments=self._departments(tx))
            committed = order.commit_round()
            assert committed is not None
            return event, {"round": committed.number}

        return self._order_event(order_id, version, employee_id, terminal_id, make)

    def _sign_pending_lines(self, order_id: str, version: int, employee_id: str, terminal_id: str) -> int:
        view = self.order(order_id)
        if view.version != version:
            raise DomainError("version", "STALE_VERSION", f"order {order_id} is at version {view.version}")
        if view.order.pending():
            self.send_round(order_id, version, employee_id, terminal_id)
            return self.order(order_id).version
        return version

    def provisional_bill(self, order_id: str, version: int, employee_id: str, terminal_id: str) -> Signed:
        """The bill overview (PRE_BILL, pro forma): pending lines are first sent as a round."""
        version = self._sign_pending_lines(order_id, version, employee_id, terminal_id)

        def make(tx: Tx, order: Order, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            return pre_bill_event(order, ctx, departments=self._departments(tx)), {}

        return self._order_event(order_id, version, employee_id, terminal_id, make)

    def pay(
        self,
        order_id: str,
        version: int,
        employee_id: str,
        terminal_id: str,
        tenders: Sequence[Tender],
        tips: Sequence[Tip] = (),
        *,
        medium: str = "",
    ) -> Signed:
        """Pay and close: the normal sale (VAT ticket) with every line of the order and its payments.

        ``medium`` is how the customer gets the VAT ticket (SCE 2.0 ``ticketMedium``): PAPER (default),
        DIGITAL (e-mail) or PAPER_DIGITAL.
        """
        if medium not in MEDIA:
            raise DomainError("medium", "UNKNOWN_TICKET_MEDIUM", f"one of {', '.join(m for m in MEDIA if m)}")
        stored = self.order(order_id)
        if stored.order.rounds:
            version = self._sign_pending_lines(order_id, version, employee_id, terminal_id)

        def make(tx: Tx, order: Order, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            if not order.lines:
                raise DomainError("order", "EMPTY", "nothing to pay")
            settlement = settle(order.total, tenders, tips)
            event = sale_event(order, settlement, ctx, departments=self._departments(tx))
            if medium:
                event = replace(event, ticket_medium=medium)
            return event, {"change": settlement.change.cents}

        return self._order_event(order_id, version, employee_id, terminal_id, make, close=True)

    def equal_shares(self, order_id: str, parts: int) -> tuple[Money, ...]:
        if parts < 1:
            raise DomainError("parts", "AT_LEAST_ONE", str(parts))
        return split_equal(self.order(order_id).order.total, parts)

    def _move(
        self,
        source_id: str,
        version: int,
        employee_id: str,
        terminal_id: str,
        target: CostCentre | str,
        plan: Callable[[Order, Order], Transfer],
    ) -> tuple[Signed, str]:
        """A cost-centre change: lines leave ``source`` and arrive on ``target`` (an order id, or a new
        order on a cost centre), as one COST_CENTER_CHANGE event (pro forma)."""
        version = self._sign_pending_lines(source_id, version, employee_id, terminal_id)
        if isinstance(target, str):
            target_view = self.order(target)
            target_version = self._sign_pending_lines(target, target_view.version, employee_id, terminal_id)
            target_id = target
        else:
            created = self.open_order(employee_id, target)
            target_id, target_version = created.order.order_id, created.version

        def build(tx: Tx, number: int) -> Built:
            user = self._require_user(tx, employee_id)
            stored = [tx.order(source_id), tx.order(target_id)]
            for item, expected in zip(stored, (version, target_version), strict=True):
                if item.status != "open":
                    raise DomainError("order_id", "NOT_OPEN", f"{item.order_id} is {item.status}")
                if item.version != expected:
                    raise DomainError("version", "STALE_VERSION", f"order {item.order_id} changed meanwhile")
            source, dest = (order_from_dict(s.body) for s in stored)
            moved = plan(source, dest)
            training = self._training(tx, user, terminal_id)
            ctx, period = self._context(tx, number, user, terminal_id, training=training)
            departments = self._departments(tx)
            lines = tuple(fiscal_line(line, departments) for line in (*moved.out_lines, *moved.in_lines))
            event = FiscalEvent(
                EventKind.COST_CENTER_CHANGE,
                number,
                ctx.at,
                user,
                lines,
                training=ctx.training,
                terminal_id=terminal_id,
                cost_center=FiscalCostCenter(**_centre(source.cost_centre, source.order_id)),
                language=ctx.language.value,
                booking_period_id=ctx.booking_period_id,
                booking_date=ctx.booking_date,
                details={TARGET_COST_CENTER: _centre(dest.cost_centre, dest.order_id)},
            )
            effects = []
            for item, order in zip(stored, (source, dest), strict=True):
                locked = tx.save_order(item.order_id, item.version, item.body, status="signing")
                empty = not order.open_lines()
                effects.append(
                    {
                        "order_id": item.order_id,
                        "version": locked,
                        "before": item.body,
                        "after": order_to_dict(order),
                        "status": "moved" if empty and order is source else "open",
                        "ticket_number": None,
                    }
                )
            pos = {"order_id": source_id, "target_order_id": target_id}
            return Built(event, {"orders": effects}, pos, period)

        return self.signer.register(build), target_id

    def transfer(
        self,
        order_id: str,
        version: int,
        employee_id: str,
        terminal_id: str,
        target: CostCentre | str,
        moves: Mapping[int, Decimal] | None = None,
    ) -> tuple[Signed, str]:
        """Move lines (all when ``moves`` is None) to another table or order."""
        if moves is None:
            return self._move(order_id, version, employee_id, terminal_id, target, merge)
        chosen = dict(moves)
        return self._move(
            order_id, version, employee_id, terminal_id, target, lambda s, d: transfer(s, d, chosen)
        )

    def split_seat(
        self, order_id: str, version: int, employee_id: str, terminal_id: str, seat: int
    ) -> tuple[Signed, str]:
        """The lines of one seat to a separate bill on the same table."""
        view = self.order(order_id)
        centre = view.order.cost_centre
        target = CostCentre(centre.type, centre.id)  # the new bill's reference is its own order id
        return self._move(
            order_id, version, employee_id, terminal_id, target, lambda s, d: split_by_seat(s, d, seat)
        )

    def split_items(
        self, order_id: str, version: int, employee_id: str, terminal_id: str, moves: Mapping[int, Decimal]
    ) -> tuple[Signed, str]:
        """Chosen lines to a separate bill on the same table."""
        view = self.order(order_id)
        centre = view.order.cost_centre
        target = CostCentre(centre.type, centre.id)  # the new bill's reference is its own order id
        chosen = dict(moves)
        return self._move(
            order_id, version, employee_id, terminal_id, target, lambda s, d: transfer(s, d, chosen)
        )

    # ================================================================= signed tickets

    def record(self, ticket_number: int) -> dict[str, Any]:
        """The journal record of a registered event, by its POS number."""
        with self.store.tx() as tx:
            found = tx.journal_record(ticket_number=ticket_number, record_type="event")
        if found is None:
            raise DomainError("ticket_number", "UNKNOWN_TICKET", str(ticket_number))
        return found

    def _signed_reference(self, record: dict[str, Any]) -> FiscalReference:
        fdm = record.get("fdm")
        if fdm is None:
            raise DomainError("ticket_number", "NOT_SIGNED", "the event has no FDM signature to refer to")
        receipt = receipt_from_json(fdm)
        return receipt.reference

    def refund(
        self,
        ticket_number: int,
        employee_id: str,
        terminal_id: str,
        tenders: Sequence[Tender],
        moves: Mapping[int, Decimal] | None = None,
    ) -> Signed:
        """A normal sale of negative REFUND lines taking back (part of) a paid ticket, referencing it."""
        original_record = self.record(ticket_number)
        if original_record["event"]["kind"] != EventKind.SALE.value:
            raise DomainError("ticket_number", "NOT_A_SALE", "only a sale is refunded")
        reference = self._signed_reference(original_record) if original_record.get("fdm") else None
        with self.store.tx() as tx:
            stored = tx.order_for_ticket(ticket_number)
        if stored is None:
            raise DomainError("ticket_number", "NO_ORDER", "the sale has no order to take lines from")
        original = order_from_dict(stored.body)
        already = self._refunded(ticket_number)
        chosen = dict(moves) if moves is not None else None
        if chosen is None:
            chosen = {
                line.number: original.remaining(line.number) - already.get(line.number, Decimal(0))
                for line in original.open_lines()
            }
            chosen = {n: q for n, q in chosen.items() if q > 0}
        for number, quantity in chosen.items():
            if quantity + already.get(number, Decimal(0)) > original.remaining(number):
                raise DomainError(
                    f"moves[{number}]", "ALREADY_REFUNDED", f"{already.get(number)} refunded before"
                )
        centre = CostCentre(original.cost_centre.type, original.cost_centre.id, f"refund-{ticket_number}")
        view = self.open_order(employee_id, centre, original.consumption)
        refund_id = view.order.order_id
        self._edit(refund_id, view.version, employee_id, lambda o, _c: refund(original, o, chosen))
        view = self.order(refund_id)

        def make(tx: Tx, order: Order, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            settlement = settle(order.total, tenders)
            event = sale_event(order, settlement, ctx, departments=self._departments(tx), reference=reference)
            refunded = {str(n): str(q) for n, q in chosen.items()}
            return event, {"original_ticket": ticket_number, "refunded_lines": refunded}

        return self._order_event(refund_id, view.version, employee_id, terminal_id, make, close=True)

    def _refunded(self, ticket_number: int) -> dict[int, Decimal]:
        done: dict[int, Decimal] = {}
        with self.store.tx() as tx:
            for body in tx.journal_bodies(record_type="event", event_kind="SALE"):
                pos = body.get("pos") or {}
                if pos.get("original_ticket") == ticket_number:
                    for number, quantity in (pos.get("refunded_lines") or {}).items():
                        done[int(number)] = done.get(int(number), Decimal(0)) + Decimal(quantity)
        return done

    def _simple(
        self,
        employee_id: str,
        terminal_id: str,
        make: Callable[[Tx, EventContext], tuple[FiscalEvent, dict[str, Any]]],
        *,
        training: bool | None = None,
    ) -> Signed:
        def build(tx: Tx, number: int) -> Built:
            user = self._require_user(tx, employee_id)
            ctx, period = self._context(tx, number, user, terminal_id, training=training)
            event, pos = make(tx, ctx)
            return Built(event, {}, pos, period)

        return self.signer.register(build)

    def _base(self, kind: EventKind, ctx: EventContext, **fields: Any) -> FiscalEvent:
        return FiscalEvent(
            kind,
            ctx.ticket_number,
            ctx.at,
            ctx.employee_id,
            training=ctx.training,
            terminal_id=ctx.terminal_id,
            language=ctx.language.value,
            booking_period_id=ctx.booking_period_id,
            booking_date=ctx.booking_date,
            **fields,
        )

    def copy(self, ticket_number: int, employee_id: str, terminal_id: str) -> Signed:
        """A labelled copy of an earlier event, referencing it (SCE 1.0: only when copies are enabled): its
        lines and payment lines, so the copy shows what the original showed (the FDM is sent the reference;
        a copy counts in no total)."""
        record = self.record(ticket_number)
        if not self.fdm.supports(EventKind.COPY):
            raise DomainError(
                "ticket_number",
                "COPY_NOT_ALLOWED",
                "an SCE 1.0 register prints no copy of a ticket unless enabled",
            )
        reference = self._signed_reference(record)
        original_lines = record["event"]["lines"]
        lines = tuple(line_from_json(line) for line in original_lines)
        payments = tuple(payment_from_json(payment) for payment in record["event"]["payments"])

        def make(tx: Tx, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            event = self._base(EventKind.COPY, ctx, reference=reference, lines=lines, payments=payments)
            return event, {"original_ticket": ticket_number}

        return self._simple(employee_id, terminal_id, make, training=bool(record["event"]["training"]))

    def drawer_open(self, employee_id: str, terminal_id: str, reason: str = "") -> Signed:
        """The cash drawer opened without a sale (counted in the turnover report)."""

        def make(tx: Tx, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            site = self.site(tx)
            drawer = FiscalDrawer(site.drawer_id, site.drawer_id)
            return self._base(EventKind.DRAWER_OPEN, ctx, drawer=drawer), {"reason": reason}

        return self._simple(employee_id, terminal_id, make)

    def money_in_out(self, employee_id: str, terminal_id: str, amount: Money, reason: str) -> Signed:
        """Cash put in (float, change) or taken out of the drawer: positive in, negative out."""
        if amount.is_zero():
            raise DomainError("amount", "ZERO_AMOUNT", "money in or out of 0.00")
        if not reason.strip():
            raise DomainError("reason", "REQUIRED", "why money goes in or out")

        def make(tx: Tx, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            site = self.site(tx)
            drawer = FiscalDrawer(site.drawer_id, site.drawer_id)
            payment = FiscalPayment("CASH", amount.euros, reason[:40], "MONEY_IN_OUT", drawer=drawer)
            return self._base(EventKind.MONEY_IN_OUT, ctx, payments=(payment,), drawer=drawer), {
                "reason": reason
            }

        return self._simple(employee_id, terminal_id, make)

    def payment_correction(
        self, ticket_number: int, employee_id: str, terminal_id: str, tenders: Sequence[Tender]
    ) -> Signed:
        """Wrongly registered payment methods of a closed sale: the old lines negated, the new ones added."""
        record = self.record(ticket_number)
        if record["event"]["kind"] != EventKind.SALE.value:
            raise DomainError("ticket_number", "NOT_A_SALE", "payments belong to a sale")
        reference = self._signed_reference(record) if record.get("fdm") else None
        old = [p for p in record["event"]["payments"] if p["kind"] in ("PAYMENT", "ROUNDING")]
        due = Money.sum(Money.from_decimal(Decimal(p["amount"])) for p in old)
        if any(t.method is PaymentMethod.CASH for t in tenders):
            total = Money.sum(t.amount for t in tenders if t.method is not PaymentMethod.CASH)
            cash = due - total
            new_lines = [
                PaymentLine(PaymentLineKind.PAYMENT, t.method, t.amount)
                for t in tenders
                if t.method is not PaymentMethod.CASH
            ]
            if not cash.is_zero():
                new_lines.append(PaymentLine(PaymentLineKind.PAYMENT, PaymentMethod.CASH, cash))
        else:
            new_lines = [PaymentLine(PaymentLineKind.PAYMENT, t.method, t.amount) for t in tenders]
        if Money.sum(line.amount for line in new_lines) != due:
            raise DomainError("tenders", "SUM_MISMATCH", f"the corrected payments must add up to {due}")
        settlement = Settlement(due, Money(0), tuple(new_lines))
        corrected = fiscal_payments(settlement)
        negated = tuple(
            FiscalPayment(p.method, -p.amount, p.name, p.kind, f"{i}", p.input_method, p.drawer)
            for i, p in enumerate((payment_from_json(o) for o in old), start=1)
        )
        renumbered = tuple(
            FiscalPayment(p.method, p.amount, p.name, p.kind, f"{len(negated) + i}", p.input_method, p.drawer)
            for i, p in enumerate(corrected, start=1)
        )

        def make(tx: Tx, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            event = self._base(
                EventKind.PAYMENT_CORRECTION, ctx, payments=negated + renumbered, reference=reference
            )
            return event, {"original_ticket": ticket_number}

        return self._simple(employee_id, terminal_id, make, training=bool(record["event"]["training"]))

    def invoice(
        self,
        ticket_numbers: Sequence[int],
        employee_id: str,
        terminal_id: str,
        customer: Mapping[str, str],
    ) -> Signed:
        """An invoice for one or more paid tickets, with its own continuous number."""
        if not ticket_numbers:
            raise DomainError("ticket_numbers", "REQUIRED", "at least one VAT ticket")
        for name in ("name", "address"):
            if not str(customer.get(name, "")).strip():
                raise DomainError(f"customer.{name}", "REQUIRED", "an invoice names its customer")
        records = [self.record(number) for number in ticket_numbers]
        for number, record in zip(ticket_numbers, records, strict=True):
            if record["event"]["kind"] != EventKind.SALE.value or record["event"]["training"]:
                raise DomainError("ticket_numbers", "NOT_A_SALE", f"{number} is not a VAT ticket")
        with self.store.tx() as tx:
            for body in tx.journal_bodies(record_type="event", event_kind="INVOICE"):
                covered = set((body.get("pos") or {}).get("tickets", ()))
                if covered & set(ticket_numbers):
                    raise DomainError(
                        "ticket_numbers", "ALREADY_INVOICED", str(sorted(covered & set(ticket_numbers)))
                    )
        references = tuple(self._signed_reference(r) for r in records if r.get("fdm"))
        amount = sum((Decimal(r["event"]["total"]) for r in records), Decimal("0.00"))
        vat_no = str(customer.get("vat_no", "")).replace(" ", "").replace(".", "")

        def make(tx: Tx, ctx: EventContext) -> tuple[FiscalEvent, dict[str, Any]]:
            invoice_number = tx.next_number("invoice")
            event = self._base(
                EventKind.INVOICE,
                ctx,
                references=references,
                invoice_number=str(invoice_number),
                customer_vat_no=vat_no,
            )
            pos = {
                "tickets": list(ticket_numbers),
                "customer": {k: str(v) for k, v in customer.items()},
                "invoice_amount": str(amount),
            }
            return event, pos

        return self._simple(employee_id, terminal_id, make, training=False)

    def quick_sale(
        self,
        employee_id: str,
        terminal_id: str,
        items: Sequence[tuple[str, Decimal]],
        tenders: Sequence[Tender],
        tips: Sequence[Tip] = (),
        consumption: Consumption = Consumption.TAKE_AWAY,
        centre: CostCentre | None = None,
        medium: str = "",
    ) -> Signed:
        """A counter sale without a table: items and payment in one go (no pro forma needed)."""
        view = self.open_order(
            employee_id, centre or CostCentre(CostCentreType.OTHER, f"counter-{terminal_id}"), consumption
        )
        order_id, version = view.order.order_id, view.version
        for product_id, quantity in items:
            version = self.add_item(order_id, version, employee_id, product_id, quantity).version
        return self.pay(order_id, version, employee_id, terminal_id, tenders, tips, medium=medium)

    # ================================================================= reports

    def report(self, kind: str, mode: str, employee_id: str, terminal_id: str) -> list[Signed]:
        """An X or Z report (``kind`` turnover or user); missing Z reports of ended periods come first.

        A Z turnover report closes the opening period together with the Z user report made with it; it
        needs every user clocked out (WORK OUT) and every table that ordered paid.
        """
        if kind not in ("turnover", "user") or mode not in ("X", "Z"):
            raise DomainError("report", "UNKNOWN_REPORT", f"{mode} {kind}")
        made = self._missing_z(employee_id, terminal_id)
        if mode == "Z":
            with self.store.tx() as tx:
                current = tx.current_period()
                open_tables = [s for s in tx.open_orders() if s.body.get("rounds")]
                present = tx.presence()
            if current is None:
                raise DomainError("period", "NOTHING_TO_CLOSE", "no open period")
            if present:
                raise DomainError(
                    "presence",
                    "USERS_CLOCKED_IN",
                    f"clock out first (WORK OUT): {', '.join(sorted(present))}",
                )
            if open_tables:
                names = ", ".join(sorted({s.body["cost_centre"]["id"] for s in open_tables}))
                raise DomainError("orders", "OPEN_TABLES", f"tables with signed rounds still open: {names}")
            kinds = ("turnover", "user") if kind == "turnover" else ("user",)
            for each in kinds:
                made.append(self._report(each, "Z", employee_id, terminal_id, current["period_id"]))
            with self.store.tx() as tx:
                period = tx.period(current["period_id"])
                if period["z_turnover"] is not None and period["z_user"] is not None:
                    tx.end_period(current["period_id"], self.now().isoformat())
            return made
        with self.store.tx() as tx:
            current = tx.current_period()
        if current is None:
            with self.store.tx() as tx:
                current = self._period(tx, self.now())
        made.append(self._report(kind, "X", employee_id, terminal_id, current["period_id"]))
        return made

    def _missing_z(self, employee_id: str, terminal_id: str) -> list[Signed]:
        made: list[Signed] = []
        with self.store.tx() as tx:
            current = tx.current_period()
            if (
                current is not None
                and datetime.fromisoformat(current["started_at"]) + MAX_OPENING <= self.now()
            ):
                tx.end_period(
                    current["period_id"],
                    (datetime.fromisoformat(current["started_at"]) + MAX_OPENING).isoformat(),
                )
            missing = tx.periods_missing_z()
        for period in missing:
            if period["z_turnover"] is None:
                made.append(self._report("turnover", "Z", employee_id, terminal_id, period["period_id"]))
            if period["z_user"] is None:
                made.append(self._report("user", "Z", employee_id, terminal_id, period["period_id"]))
        return made

    def _report(self, kind: str, mode: str, employee_id: str, terminal_id: str, period_id: str) -> Signed:
        event_kind = {
            ("turnover", "X"): EventKind.REPORT_TURNOVER_X,
            ("turnover", "Z"): EventKind.REPORT_TURNOVER_Z,
            ("user", "X"): EventKind.REPORT_USER_X,
            ("user", "Z"): EventKind.REPORT_USER_Z,
        }[(kind, mode)]

        def build(tx: Tx, number: int) -> Built:
            # Reports are made by a logged-in user who need not be at work: the Z comes after WORK OUT.
            self._require_pairing()
            user = self.employee(tx, employee_id).employee_id
            site = self.site(tx)
            period = tx.period(period_id)
            now = self.now()
            records = list(tx.journal_bodies(period_id=period_id, record_type="event"))
            aliases = {e: self.employee(tx, e).alias for e in {r["event"]["employee_id"] for r in records}}
            figures = compute(kind, records, aliases)
            z_number: int | None = None
            if mode == "Z":
                column = "z_turnover" if kind == "turnover" else "z_user"
                other = period["z_user" if kind == "turnover" else "z_turnover"]
                z_number = int(other) if other is not None else tx.next_number("z")
                tx.set_period_z(period_id, column, z_number)
            header = {
                "kind": kind,
                "mode": mode,
                "number": z_number,
                "period_id": period_id,
                "booking_date": period["booking_date"],
                "period_start": period["started_at"],
                "period_end": period["ended_at"] if mode == "Z" else None,
                "created_at": now.isoformat(),
                "company": site.company_name,
                "vat_no": site.vat_no,
                "establishment_no": site.establishment_no,
                "pos_id": site.pos_id,
            }
            report = {**header, **figures}
            if report["period_end"] is None and mode == "Z":
                report["period_end"] = now.isoformat()
            ctx = EventContext(
                ticket_number=number,
                at=now,
                employee_id=user,
                terminal_id=terminal_id,
                training=False,
                booking_date=date.fromisoformat(period["booking_date"]),
                booking_period_id=period_id,
                language=site.language,
            )
            details = v2_details(kind, report, records, site.pos_id) if self.fdm.generation == 2 else None
            event = FiscalEvent(
                event_kind,
                number,
                now,
                user,
                terminal_id=terminal_id,
                language=ctx.language.value,
                booking_period_id=period_id,
                booking_date=ctx.booking_date,
                report_number=z_number,
                details=details,
            )
            return Built(event, {}, {"report": report}, period_id)

        return self.signer.register(build)

    # ================================================================= failure procedure

    def incident(
        self,
        employee_id: str,
        nature: str,
        started_at: datetime,
        manual_receipts: Sequence[str],
        ended_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Record an FDM failure and the manual receipts issued meanwhile, with the FPS notice to send."""
        if not nature.strip():
            raise DomainError("nature", "REQUIRED", "what went wrong")
        site = self.site()
        deadline = (started_at + timedelta(days=7)).date().isoformat()
        notice = (
            "To: secr.gksce@minfin.fed.be\n"
            f"Subject: GKS/SCE incident {site.vat_no} {site.establishment_no}\n\n"
            f"Company {site.company_name} ({site.vat_no}), establishment {site.establishment_no}, "
            f"POS {site.pos_id}.\n"
            f"Nature of the problem: {nature}\nNo GKS ticket could be issued from {started_at.isoformat()}"
            + (f" until {ended_at.isoformat()}" if ended_at else "")
            + f".\nManual receipts issued: {', '.join(manual_receipts) or 'none'}.\n"
            f"(SCE 1.0: send within 7 calendar days, by {deadline}; SCE 2.0: at the start and at the end.)\n"
        )
        with self.store.tx() as tx:
            current = tx.current_period()
            return tx.append_journal(
                {
                    "type": INCIDENT,
                    "period_id": current["period_id"] if current else "",
                    "booking_date": current["booking_date"] if current else None,
                    "incident": {
                        "started_at": started_at.isoformat(),
                        "ended_at": ended_at.isoformat() if ended_at else None,
                        "nature": nature,
                        "manual_receipts": list(manual_receipts),
                        "notice": notice,
                    },
                    "employee_id": validate_employee_id(employee_id),
                    "pos": {},
                },
                employee_id=validate_employee_id(employee_id),
            )

    # ================================================================= effects

    def _apply_effect(self, tx: Tx, effect: dict[str, Any]) -> None:
        revert = effect.get("revert")
        if revert is not None:
            for item in revert.get("orders", ()):
                tx.save_order(item["order_id"], item["version"], item["before"], status="open")
            return
        for item in effect.get("orders", ()):
            tx.save_order(
                item["order_id"],
                item["version"],
                item["after"],
                status=item["status"],
                ticket_number=item.get("ticket_number"),
            )
        if "clock_in" in effect:
            data = effect["clock_in"]
            tx.clock_in(data["employee_id"], data["since"], data["terminal_id"])
        if "clock_out" in effect:
            tx.clock_out(effect["clock_out"]["employee_id"])


def tender(method: str, amount: str) -> Tender:
    """A tender from text input (``CASH``, ``"20.00"``)."""
    return Tender(PaymentMethod(method), Money.parse(amount, "tenders.amount"))


def utc_text() -> str:
    return utc_now()
