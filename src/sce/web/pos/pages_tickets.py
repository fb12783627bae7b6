"""Tickets: the VAT ticket after payment (shown and printable), the list of sales with refund, copy,
payment method correction and invoice, and the screen printers' output (kitchen and bar tickets in the
demo)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from sce.domain.errors import DomainError
from sce.tickets.render_html import render_html
from sce.web.pos import actions, views
from sce.web.pos.errors import to_http
from sce.web.pos.pages import form_change, form_of, need_session, render
from sce.web.pos.pages_pay import METHODS
from sce.web.pos.security import Session

router = APIRouter(include_in_schema=False)


@router.get("/pos/tickets")
def tickets(request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    return render(request, "tickets.html", {"tickets": views.recent_tickets(rt.pos, 40)})


@router.get("/pos/tickets/{ticket_number}")
def ticket(ticket_number: int, request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    try:
        record = rt.pos.record(ticket_number)
    except DomainError as error:
        return render(
            request, "error.html", {"error": to_http(error).body["error"], "back": "/pos/tickets"}, status=404
        )
    refundable: list[dict[str, Any]] = []
    if record["event"]["kind"] == "SALE" and not (record.get("pos") or {}).get("original_ticket"):
        with rt.pos.store.tx() as tx:
            stored = tx.order_for_ticket(ticket_number)
        if stored is not None:
            refundable = [line for line in stored.body["lines"] if line.get("corrects") is None]
    paid_with = [p for p in record["event"].get("payments", ()) if p.get("kind") in ("PAYMENT", "ROUNDING")]
    invoiced_by = None
    if record["event"]["kind"] == "SALE":
        with rt.pos.store.tx() as tx:
            for body in tx.journal_bodies(record_type="event", event_kind="INVOICE"):
                if ticket_number in (body.get("pos") or {}).get("tickets", ()):
                    invoiced_by = {
                        "ticket_number": int(body["event"]["ticket_number"]),
                        "invoice_number": body["event"].get("invoice_number", ""),
                    }
    return render(
        request,
        "ticket.html",
        {
            "number": ticket_number,
            "event": record["event"],
            "pos": record.get("pos") or {},
            "change": request.query_params.get("change"),
            "order_id": request.query_params.get("order"),
            "refundable": refundable,
            "methods": METHODS,
            "paid_with": paid_with,
            "invoiced_by": invoiced_by,
            "paid_total": str(sum((Decimal(p["amount"]) for p in paid_with), Decimal("0.00"))),
        },
    )


@router.get("/pos/tickets/{ticket_number}/print")
def ticket_print(ticket_number: int, request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    try:
        return HTMLResponse(render_html(views.ticket_of(rt.pos, rt.pos.record(ticket_number))))
    except (DomainError, ValueError) as error:
        message = to_http(error).body["error"]["message"] if isinstance(error, DomainError) else str(error)
        return HTMLResponse(f"<p>{message}</p>", status_code=422)


@router.post("/pos/tickets/{ticket_number}/refund")
async def refund(ticket_number: int, request: Request) -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime

    def act(s: Session) -> dict[str, Any]:
        lines = {
            int(name[5:]): str(value)
            for name, value in form.items()
            if name.startswith("move-") and str(value).strip() not in ("", "0")
        }
        return actions.refund_ticket(rt, s, ticket_number, str(form.get("method") or "CASH"), lines or None)

    return await run_in_threadpool(
        form_change,
        request,
        form,
        act,
        lambda body: f"/pos/tickets/{body['ticket_number']}",
        f"/pos/tickets/{ticket_number}",
    )


@router.post("/pos/tickets/{ticket_number}/payment-correction")
async def payment_correction(ticket_number: int, request: Request) -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime
    tenders = [
        {"method": str(form.get(f"method-{i}") or "CASH"), "amount": str(form.get(f"amount-{i}") or "")}
        for i in range(1, 4)
    ]
    return await run_in_threadpool(
        form_change,
        request,
        form,
        lambda s: actions.payment_correction(rt, s, ticket_number, tenders),
        lambda body: f"/pos/tickets/{body['ticket_number']}",
        f"/pos/tickets/{ticket_number}",
    )


@router.post("/pos/tickets/{ticket_number}/invoice")
async def invoice(ticket_number: int, request: Request) -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime
    customer = {name: str(form.get(name, "")) for name in actions.CUSTOMER_FIELDS}

    def act(s: Session) -> dict[str, Any]:
        others = actions.ticket_numbers_of(str(form.get("other_tickets") or ""))
        return actions.invoice(rt, s, [ticket_number, *others], customer)

    return await run_in_threadpool(
        form_change,
        request,
        form,
        act,
        lambda body: f"/pos/tickets/{body['ticket_number']}",
        f"/pos/tickets/{ticket_number}",
    )


@router.post("/pos/tickets/{ticket_number}/copy")
async def copy(ticket_number: int, request: Request) -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime
    return await run_in_threadpool(
        form_change,
        request,
        form,
        lambda s: actions.copy_ticket(rt, s, ticket_number),
        lambda body: f"/pos/tickets/{body['ticket_number']}",
        f"/pos/tickets/{ticket_number}",
    )


@router.get("/pos/printers")
def printers(request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    jobs = {name: list(reversed(p.jobs)) for name, p in rt.kitchen.printers.items()}
    jobs.update({p.name: list(reversed(p.jobs)) for p in rt.tickets.printers.values()})
    return render(
        request,
        "printers.html",
        {
            "jobs": jobs,
            "terminals": rt.tickets.status(),
            "stations": rt.kitchen.device_status(),
            "mail": rt.mail.status() if rt.mail is not None else None,
        },
    )
