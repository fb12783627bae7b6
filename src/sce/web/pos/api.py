"""The JSON API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``): the same actions as the screens,
for kiosks, webshops and delivery platforms (their user is the robot 00000000029).

Log in with ``POST /api/v1/session`` (PIN or badge code, or the channel's API key) and send the token as
``Authorization: Bearer``. Every change carries an ``Idempotency-Key`` header: a repeat gets the first
answer and changes nothing. Errors are ``{"error": {"field", "rule", "message"}}``: 409 for a table changed
on another terminal (stale ``version``), 503 when the FDM blocks (with the ``action`` to take).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from sce.tickets.render_html import render_html
from sce.web.pos import actions, health, views
from sce.web.pos.errors import HANDLED, HttpError, to_http
from sce.web.pos.guard import answer_json, authenticate, run_change, runtime
from sce.web.pos.security import Session

IdempotencyKey = Annotated[
    str, Header(alias="Idempotency-Key", description="unique per intended change (8-100 characters)")
]


class ErrorBody(BaseModel):
    field: str
    rule: str
    message: str


class ErrorAnswer(BaseModel):
    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorAnswer} for code in (401, 403, 404, 409, 422, 428, 503)
}


class LoginIn(BaseModel):
    secret: str = Field(min_length=1, max_length=64, description="PIN, badge code or API key")
    terminal_id: str = Field(default="API", min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")


class ClockIn(BaseModel):
    secret: str = Field(min_length=1, max_length=64)
    terminal_id: str = Field(default="T1", min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    direction: str = Field(pattern="^(in|out)$")


class OpenOrderIn(BaseModel):
    table: str = Field(min_length=1, max_length=40)
    consumption: str = Field(default="EAT_IN", pattern="^(EAT_IN|TAKE_AWAY)$")


class VersionIn(BaseModel):
    version: int = Field(ge=1, le=2_000_000_000)


class ItemIn(VersionIn):
    product_id: str = Field(min_length=1, max_length=64)
    quantity: str = Field(default="1", max_length=12)
    modifier_ids: list[str] = Field(default_factory=list, max_length=10)
    notes: list[str] = Field(default_factory=list, max_length=5)
    seat: int | None = Field(default=None, ge=1, le=99)
    course: int | None = Field(default=None, ge=1, le=5, description="1 starter, 2 main, 3 dessert...")


class CorrectionIn(VersionIn):
    line_number: int = Field(ge=1, le=100_000)
    quantity: str = Field(default="1", max_length=12)


class PriceIn(VersionIn):
    unit_price: str = Field(min_length=1, max_length=16, description="the new unit price, e.g. 3.20")


class DiscountIn(VersionIn):
    amount: str | None = Field(default=None, max_length=16, description="a discount amount, e.g. 2.50")
    percent: str | None = Field(
        default=None, max_length=8, description="a percentage of what is left (0 < p ≤ 100; 100 on the house)"
    )


class MoveIn(VersionIn):
    table: str = Field(min_length=1, max_length=64)
    lines: dict[int, str] | None = None


class SplitIn(VersionIn):
    seat: int | None = Field(default=None, ge=1, le=99)
    lines: dict[int, str] | None = None


class TenderIn(BaseModel):
    method: str = Field(default="CASH", max_length=20)
    amount: str = Field(max_length=16)


class PayIn(VersionIn):
    tenders: list[TenderIn] = Field(min_length=1, max_length=10)
    tips: list[TenderIn] = Field(default_factory=list, max_length=5)
    email: str = Field(
        default="",
        max_length=320,
        description="SCE 2.0: e-mail the VAT ticket to this address (kept only until it is sent)",
    )
    paper: bool = Field(default=True, description="print the VAT ticket (false: by e-mail only)")


class RefundIn(BaseModel):
    method: str = Field(default="CASH", max_length=20)
    lines: dict[int, str] | None = None


class PaymentCorrectionIn(BaseModel):
    tenders: list[TenderIn] = Field(min_length=1, max_length=10)


class CustomerIn(BaseModel):
    name: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=250)
    vat_no: str = Field(default="", max_length=20, description="BE0123456749, or another EU VAT number")
    email: str = Field(default="", max_length=120)


class InvoiceIn(BaseModel):
    ticket_numbers: list[Annotated[int, Field(ge=1, le=2_000_000_000)]] = Field(min_length=1, max_length=50)
    customer: CustomerIn


class ReasonIn(BaseModel):
    reason: str = Field(default="", max_length=100)


class MoneyIn(BaseModel):
    amount: str = Field(max_length=16, description="positive in, negative out, e.g. 50.00 or -20.00")
    reason: str = Field(min_length=1, max_length=100)


class ReportIn(BaseModel):
    kind: str = Field(pattern="^(turnover|user)$")
    mode: str = Field(pattern="^(X|Z)$")


class TrainingIn(BaseModel):
    on: bool
    employee_id: str | None = Field(
        default=None, max_length=20, description="a user's own training mode; this terminal's without it"
    )


class PinIn(BaseModel):
    pin: str = Field(min_length=1, max_length=16)


class BumpIn(BaseModel):
    key: str = Field(min_length=1, max_length=200)


class QuickItem(BaseModel):
    product_id: str = Field(min_length=1, max_length=64)
    quantity: str = Field(default="1", max_length=12)


class QuickSaleIn(BaseModel):
    items: list[QuickItem] = Field(min_length=1, max_length=50)
    tenders: list[TenderIn] = Field(min_length=1, max_length=10)
    consumption: str = Field(default="TAKE_AWAY", pattern="^(EAT_IN|TAKE_AWAY)$")


def _read(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except HANDLED as error:
        raised = to_http(error)
        return JSONResponse(raised.body, status_code=raised.status)


def _auth(request: Request) -> Session | JSONResponse:
    try:
        return authenticate(request)
    except HttpError as error:
        return JSONResponse(error.body, status_code=error.status)


def build() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["pos"], responses=ERRORS)

    def change(request: Request, key: str, action: Callable[[Session], dict[str, Any]]) -> JSONResponse:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        status, body = run_change(request, session, key, lambda: action(session))
        return answer_json(status, body)

    @api.post("/session", summary="Log in: a session token for the Authorization header")
    def login(body: LoginIn, request: Request) -> Any:
        rt = runtime(request)
        client = request.client.host if request.client else "?"

        def run() -> dict[str, Any]:
            s = actions.login(rt, body.secret, body.terminal_id, client, api=True)
            return {"token": s.token, "employee_id": s.employee_id, "alias": s.alias, "role": s.role}

        return _read(run)

    @api.delete("/session", summary="Log out")
    def logout(request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        runtime(request).sessions.close(session.token)
        return {"ok": True}

    @api.post("/clock", summary="Clock in or out (WORK IN / WORK OUT) with a PIN or badge code")
    def clock(body: ClockIn, request: Request, key: IdempotencyKey) -> Any:
        rt = runtime(request)
        client = request.client.host if request.client else "?"

        def run() -> dict[str, Any]:
            found = actions.identify(rt, body.secret, client)
            return {
                "alias": found["alias"],
                **actions.clock(rt, str(found["employee_id"]), body.terminal_id, body.direction),
            }

        status, answer = run_change(request, None, key, run)
        return answer_json(status, answer)

    @api.get("/me", summary="Who is logged in, on which terminal, clocked in or not, training or not")
    def me(request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        rt = runtime(request)
        return {
            "employee_id": session.employee_id,
            "alias": session.alias,
            "role": session.role,
            "terminal_id": session.terminal_id,
            "clocked_in": session.employee_id in rt.pos.clocked_in(),
            "training": rt.pos.is_training(session.employee_id, session.terminal_id),
        }

    @api.get("/menu", summary="Departments, products and modifiers")
    def menu(request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        return views.menu(runtime(request).pos)

    @api.get("/floor", summary="Tables with status and minutes since the last round; other open orders")
    def floor(request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        return views.floor(runtime(request).pos)

    @api.post("/orders", summary="Open an order on a table (or counter-*, or a channel's reference)")
    def open_order(body: OpenOrderIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request, key, lambda s: actions.open_order(runtime(request), s, body.table, body.consumption)
        )

    @api.get("/orders/{order_id}", summary="An order with its lines and version")
    def get_order(order_id: str, request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        return _read(lambda: actions.get_order(runtime(request), session, order_id))

    @api.post("/orders/{order_id}/items", summary="Add a product (quantity by piece, weight or volume)")
    def add_item(order_id: str, body: ItemIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request,
            key,
            lambda s: actions.add_item(
                runtime(request),
                s,
                order_id,
                body.version,
                body.product_id,
                body.quantity,
                body.modifier_ids,
                body.notes,
                body.seat,
                body.course,
            ),
        )

    @api.post("/orders/{order_id}/corrections", summary="Take back a quantity of a line (a negative line)")
    def correct(order_id: str, body: CorrectionIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request,
            key,
            lambda s: actions.correct(
                runtime(request), s, order_id, body.version, body.line_number, body.quantity
            ),
        )

    @api.post(
        "/orders/{order_id}/lines/{line_number}/price",
        summary="Change the unit price of what is left of a line (manager; a PRICE_CHANGE line, a new line)",
    )
    def change_price(
        order_id: str,
        line_number: Annotated[int, Path(ge=1, le=100_000)],
        body: PriceIn,
        request: Request,
        key: IdempotencyKey,
    ) -> Any:
        return change(
            request,
            key,
            lambda s: actions.change_price(
                runtime(request), s, order_id, body.version, line_number, body.unit_price
            ),
        )

    @api.post(
        "/orders/{order_id}/lines/{line_number}/discount",
        summary="A discount on a line: an amount or a percent (manager; percent 100 is on the house)",
    )
    def discount(
        order_id: str,
        line_number: Annotated[int, Path(ge=1, le=100_000)],
        body: DiscountIn,
        request: Request,
        key: IdempotencyKey,
    ) -> Any:
        return change(
            request,
            key,
            lambda s: actions.discount(
                runtime(request), s, order_id, body.version, line_number, body.amount, body.percent
            ),
        )

    @api.post("/orders/{order_id}/rounds", summary="Send the new lines as a round (pro forma, kitchen)")
    def send_round(order_id: str, body: VersionIn, request: Request, key: IdempotencyKey) -> Any:
        return change(request, key, lambda s: actions.send_round(runtime(request), s, order_id, body.version))

    @api.post(
        "/orders/{order_id}/courses/{course}/fire",
        summary="Fire a held course to the kitchen (not fiscal; firing it again changes nothing)",
    )
    def fire_course(
        order_id: str,
        course: Annotated[int, Path(ge=1, le=5)],
        request: Request,
        key: IdempotencyKey,
    ) -> Any:
        return change(request, key, lambda s: actions.fire_course(runtime(request), s, order_id, course))

    @api.post("/orders/{order_id}/provisional-bill", summary="Provisional bill (pro forma bill overview)")
    def bill(order_id: str, body: VersionIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request, key, lambda s: actions.provisional_bill(runtime(request), s, order_id, body.version)
        )

    @api.post("/orders/{order_id}/transfer", summary="Move all or some lines to another table (merge)")
    def transfer(order_id: str, body: MoveIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request,
            key,
            lambda s: actions.transfer(runtime(request), s, order_id, body.version, body.table, body.lines),
        )

    @api.post("/orders/{order_id}/split", summary="Split a seat or chosen lines to a separate bill")
    def split(order_id: str, body: SplitIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request,
            key,
            lambda s: actions.split(runtime(request), s, order_id, body.version, body.seat, body.lines),
        )

    @api.get("/orders/{order_id}/equal-shares", summary="The bill split in equal parts (cents spread)")
    def shares(order_id: str, request: Request, parts: Annotated[int, Query(ge=1, le=50)] = 2) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        return _read(lambda: actions.equal_shares(runtime(request), session, order_id, parts))

    @api.post("/orders/{order_id}/payment", summary="Pay and close: the VAT ticket (several methods, tips)")
    def pay(order_id: str, body: PayIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request,
            key,
            lambda s: actions.pay(
                runtime(request),
                s,
                order_id,
                body.version,
                [t.model_dump() for t in body.tenders],
                [t.model_dump() for t in body.tips],
                email=body.email,
                paper=body.paper,
            ),
        )

    @api.post("/quick-sale", summary="A counter or channel sale in one go (items and payment)")
    def quick_sale(body: QuickSaleIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request,
            key,
            lambda s: actions.quick_sale(
                runtime(request),
                s,
                [i.model_dump() for i in body.items],
                [t.model_dump() for t in body.tenders],
                body.consumption,
            ),
        )

    @api.get("/tickets", summary="The latest sales")
    def tickets(request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        return {"tickets": views.recent_tickets(runtime(request).pos)}

    @api.get("/tickets/{ticket_number}", summary="A registered event as journaled (event and FDM receipt)")
    def ticket(ticket_number: int, request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        rt = runtime(request)

        def run() -> dict[str, Any]:
            record = rt.pos.record(ticket_number)
            return {"event": record["event"], "fdm": record.get("fdm"), "pos": record.get("pos")}

        return _read(run)

    @api.get("/tickets/{ticket_number}/html", response_class=HTMLResponse, summary="The ticket as HTML")
    def ticket_html(ticket_number: int, request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        rt = runtime(request)
        return _read(lambda: HTMLResponse(render_html(views.ticket_of(rt.pos, rt.pos.record(ticket_number)))))

    @api.post("/tickets/{ticket_number}/refund", summary="Refund (all or some lines of) a paid ticket")
    def refund(ticket_number: int, body: RefundIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request,
            key,
            lambda s: actions.refund_ticket(runtime(request), s, ticket_number, body.method, body.lines),
        )

    @api.post(
        "/tickets/{ticket_number}/payment-correction",
        summary="Correct the payment methods of a paid sale (manager; a signed PAYMENT_CORRECTION)",
    )
    def payment_correction(
        ticket_number: int, body: PaymentCorrectionIn, request: Request, key: IdempotencyKey
    ) -> Any:
        return change(
            request,
            key,
            lambda s: actions.payment_correction(
                runtime(request), s, ticket_number, [t.model_dump() for t in body.tenders]
            ),
        )

    @api.post("/invoices", summary="An invoice for one or more paid tickets, with its own number (manager)")
    def invoice(body: InvoiceIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request,
            key,
            lambda s: actions.invoice(runtime(request), s, body.ticket_numbers, body.customer.model_dump()),
        )

    @api.post("/tickets/{ticket_number}/copy", summary="A registered copy (SCE 2.0; refused on SCE 1.0)")
    def copy(ticket_number: int, request: Request, key: IdempotencyKey) -> Any:
        return change(request, key, lambda s: actions.copy_ticket(runtime(request), s, ticket_number))

    @api.post("/drawer", summary="Open the cash drawer without a sale")
    def drawer(body: ReasonIn, request: Request, key: IdempotencyKey) -> Any:
        return change(request, key, lambda s: actions.drawer_open(runtime(request), s, body.reason))

    @api.post("/money", summary="Money in (positive) or out (negative) of the drawer")
    def money(body: MoneyIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request, key, lambda s: actions.money_in_out(runtime(request), s, body.amount, body.reason)
        )

    @api.post("/reports", summary="X or Z report (turnover or user)")
    def report(body: ReportIn, request: Request, key: IdempotencyKey) -> Any:
        return change(request, key, lambda s: actions.report(runtime(request), s, body.kind, body.mode))

    @api.post("/training", summary="Training mode of this terminal, or of one user, on or off")
    def training(body: TrainingIn, request: Request, key: IdempotencyKey) -> Any:
        return change(
            request, key, lambda s: actions.set_training(runtime(request), s, body.on, body.employee_id)
        )

    @api.get("/fdm", summary="FDM health: status, counters, buffer, last contact, pending events")
    def fdm(request: Request) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        return _read(lambda: health.fdm_health(runtime(request), session))

    @api.post("/fdm/unlock", summary="Enter the VSC PIN (SCE 1.0); pending events are then sent")
    def unlock(body: PinIn, request: Request, key: IdempotencyKey) -> Any:
        return change(request, key, lambda s: actions.unlock(runtime(request), s, body.pin))

    @api.post("/fdm/retry", summary="Send the pending events again")
    def retry(request: Request, key: IdempotencyKey) -> Any:
        return change(request, key, lambda s: actions.retry(runtime(request), s))

    @api.get("/kitchen", summary="Kitchen display: open station tickets")
    def kitchen(request: Request, station: str | None = None) -> Any:
        session = _auth(request)
        if isinstance(session, JSONResponse):
            return session
        board = runtime(request).kitchen
        return {"cards": [vars(c) for c in board.board(station)], "fires": board.fire_notices(station)}

    @api.post("/kitchen/bump", summary="Bump a station ticket (ready)")
    def bump(body: BumpIn, request: Request, key: IdempotencyKey) -> Any:
        return change(request, key, lambda s: actions.bump(runtime(request), s, body.key))

    return api
