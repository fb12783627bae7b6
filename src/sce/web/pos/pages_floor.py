"""Floor plan and order entry: tables with status, open an order, add items by department with quick
keys, modifiers, notes, seats, courses and quantities by weight/volume, corrections, price changes,
discounts and "on the house" (manager), rounds, firing a held course, provisional bill, transfer/merge
and split (by items or by seat)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from sce.domain.errors import DomainError
from sce.web.pos import actions, views
from sce.web.pos.errors import to_http
from sce.web.pos.pages import form_change, form_of, need_session, render
from sce.web.pos.security import Session

router = APIRouter(include_in_schema=False)


@router.get("/pos/floor")
def floor(request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    return render(request, "floor.html", {"floor": views.floor(rt.pos)})


@router.get("/pos/orders/{order_id}")
def order_page(order_id: str, request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    try:
        order = views.order_dict(rt.pos.order(order_id), fired=views.fired_courses(rt.pos, order_id))
    except DomainError as error:
        raised = to_http(error)
        return render(
            request, "error.html", {"error": raised.body["error"], "back": "/pos/floor"}, status=404
        )
    if order["status"] != "open":
        return render(request, "closed.html", {"order": order})
    others = [t for t in views.floor(rt.pos)["tables"] if t["id"] != order["table"]]
    return render(
        request,
        "order.html",
        {
            "order": order,
            "menu": views.menu(rt.pos),
            "department": request.query_params.get("dept"),
            "tables": others,
            "mode": request.query_params.get("mode", ""),
        },
    )


def _int(form: dict[str, Any], name: str) -> int:
    try:
        return int(str(form.get(name, "")).strip())
    except ValueError:
        raise DomainError(name, "NOT_A_NUMBER", f"{name} must be a whole number") from None


def _opt_int(form: dict[str, Any], name: str) -> int | None:
    value = str(form.get(name, "") or "").strip()
    return _int(form, name) if value else None


def _lines(form: dict[str, Any]) -> dict[int, str]:
    """``move-<line>`` fields: the quantity of each line to move."""
    chosen = {}
    for name, value in form.items():
        if name.startswith("move-") and str(value).strip() not in ("", "0"):
            chosen[int(name[5:])] = str(value)
    return chosen


async def _post(
    request: Request,
    action: Callable[[Any, Session, dict[str, Any]], dict[str, Any]],
    go: str | Callable[[dict[str, Any]], str],
    back: str,
) -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime
    return await run_in_threadpool(form_change, request, form, lambda s: action(rt, s, form), go, back)


@router.post("/pos/orders")
async def open_order(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.open_order(
            rt, s, str(f.get("table", "")), str(f.get("consumption") or "EAT_IN")
        ),
        lambda body: f"/pos/orders/{body['order_id']}",
        "/pos/floor",
    )


@router.post("/pos/orders/{order_id}/items")
async def add_item(order_id: str, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(
        request,
        lambda rt, s, f: actions.add_item(
            rt,
            s,
            order_id,
            _int(f, "version"),
            str(f.get("product_id", "")),
            str(f.get("quantity") or "1"),
            list(f.get("modifier[]", [])),
            [str(f.get("note", ""))],
            _opt_int(f, "seat"),
            _opt_int(f, "course"),
        ),
        lambda body: f"{back}?dept={request.query_params.get('dept', '')}",
        back,
    )


@router.post("/pos/orders/{order_id}/courses/{course}/fire")
async def fire_course(order_id: str, course: int, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(request, lambda rt, s, f: actions.fire_course(rt, s, order_id, course), back, back)


@router.post("/pos/orders/{order_id}/corrections")
async def correct(order_id: str, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(
        request,
        lambda rt, s, f: actions.correct(
            rt, s, order_id, _int(f, "version"), _int(f, "line_number"), str(f.get("quantity") or "1")
        ),
        back,
        back,
    )


@router.post("/pos/orders/{order_id}/lines/{line_number}/price")
async def change_price(order_id: str, line_number: int, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(
        request,
        lambda rt, s, f: actions.change_price(
            rt, s, order_id, _int(f, "version"), line_number, str(f.get("unit_price", ""))
        ),
        back,
        back,
    )


def _discount(form: dict[str, Any]) -> tuple[str | None, str | None]:
    """``amount`` or ``percent`` fields, or one ``value`` with its ``kind`` (amount or percent)."""
    amount, percent = form.get("amount"), form.get("percent")
    value = str(form.get("value", "")).strip()
    if value:
        if str(form.get("kind", "amount")) == "percent":
            percent = value
        else:
            amount = value
    return (str(amount) if amount else None), (str(percent) if percent else None)


@router.post("/pos/orders/{order_id}/lines/{line_number}/discount")
async def discount(order_id: str, line_number: int, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(
        request,
        lambda rt, s, f: actions.discount(rt, s, order_id, _int(f, "version"), line_number, *_discount(f)),
        back,
        back,
    )


@router.post("/pos/orders/{order_id}/rounds")
async def send_round(order_id: str, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(
        request, lambda rt, s, f: actions.send_round(rt, s, order_id, _int(f, "version")), "/pos/floor", back
    )


@router.post("/pos/orders/{order_id}/bill")
async def bill(order_id: str, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(
        request,
        lambda rt, s, f: actions.provisional_bill(rt, s, order_id, _int(f, "version")),
        lambda body: f"/pos/tickets/{body['event']['ticket_number']}?order={order_id}",
        back,
    )


@router.post("/pos/orders/{order_id}/transfer")
async def transfer(order_id: str, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(
        request,
        lambda rt, s, f: actions.transfer(
            rt, s, order_id, _int(f, "version"), str(f.get("table", "")), _lines(f) or None
        ),
        lambda body: f"/pos/orders/{body['order']['order_id']}",
        back,
    )


@router.post("/pos/orders/{order_id}/split")
async def split(order_id: str, request: Request) -> Response:
    back = f"/pos/orders/{order_id}"
    return await _post(
        request,
        lambda rt, s, f: actions.split(
            rt, s, order_id, _int(f, "version"), _opt_int(f, "seat"), _lines(f) or None
        ),
        lambda body: f"/pos/orders/{body['order']['order_id']}",
        back,
    )
