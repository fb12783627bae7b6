"""Payment screen: what is due, several methods, tips, equal shares, cash rounding and change."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from sce.domain.errors import DomainError
from sce.domain.money import Money, round_cash
from sce.domain.payments import PaymentMethod
from sce.web.pos import actions, views
from sce.web.pos.errors import to_http
from sce.web.pos.i18n import N_
from sce.web.pos.pages import form_change, form_of, need_session, render
from sce.web.pos.security import Session

router = APIRouter(include_in_schema=False)
METHODS = (
    ("CASH", N_("Cash")),
    ("CARD", N_("Card")),
    ("DEBIT_CARD", N_("Debit card")),
    ("CREDIT_CARD", N_("Credit card")),
    ("MEAL_CHEQUE", N_("Meal voucher")),
    ("VOUCHER", N_("Voucher")),
)
TENDER_ROWS = 3


@router.get("/pos/orders/{order_id}/pay")
def pay_screen(order_id: str, request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    try:
        order = views.order_dict(rt.pos.order(order_id))
        parts = int(request.query_params.get("parts") or 1)
        shares = [str(m) for m in rt.pos.equal_shares(order_id, parts)] if parts > 1 else []
    except (DomainError, ValueError) as error:
        body = to_http(error).body if isinstance(error, DomainError) else {"error": {"message": str(error)}}
        return render(
            request, "error.html", {"error": body["error"], "back": f"/pos/orders/{order_id}"}, status=422
        )
    total = Money(order["total_cents"])
    cash = round_cash(total).rounded
    return render(
        request,
        "pay.html",
        {
            "order": order,
            "methods": METHODS,
            "cash_due": str(cash),
            "quick": quick_tenders(total, cash) if not shares else [],
            "mail": rt.mail is not None and rt.generation == 2,
            "parts": parts,
            "shares": shares,
            "rows": max(TENDER_ROWS, len(shares)),
        },
    )


#: Banknotes offered as one-tap cash payments (the change is shown after payment).
BANKNOTES = (Money(1000), Money(2000), Money(5000), Money(10000), Money(20000))


def quick_tenders(total: Money, cash: Money) -> list[dict[str, str]]:
    """One-tap payments of the whole bill: exact cash, exact card, and the next two banknotes above the
    cash amount (nothing for a bill of zero or less)."""
    if total.cents <= 0:
        return []
    quick = [
        {"method": "CASH", "amount": str(cash), "kind": "exact"},
        {"method": "CARD", "amount": str(total), "kind": "exact"},
    ]
    notes = [note for note in BANKNOTES if note.cents > cash.cents][:2]
    quick += [{"method": "CASH", "amount": str(note), "kind": "note"} for note in notes]
    return quick


def tenders_of(form: dict[str, Any]) -> list[dict[str, str]]:
    """The payment rows of the form, or the one-tap payment (``quick`` = ``METHOD:AMOUNT``) pressed."""
    quick = str(form.get("quick") or "").strip()
    if quick:
        method, _, amount = quick.partition(":")
        return [{"method": method, "amount": amount}]
    tenders = []
    for index in range(1, 11):
        amount = str(form.get(f"amount-{index}", "") or "").strip()
        if amount:
            tenders.append({"method": str(form.get(f"method-{index}") or "CASH"), "amount": amount})
    return tenders


@router.post("/pos/orders/{order_id}/pay")
async def pay(order_id: str, request: Request) -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime

    def act(s: Session) -> dict[str, Any]:
        tips = []
        if str(form.get("tip_amount", "")).strip():
            tips.append(
                {
                    "method": str(form.get("tip_method") or PaymentMethod.CASH.value),
                    "amount": str(form["tip_amount"]),
                }
            )
        email = str(form.get("email") or "").strip()
        return actions.pay(
            rt,
            s,
            order_id,
            int(str(form.get("version") or 0)),
            tenders_of(form),
            tips,
            email=email,
            paper=not email or form.get("paper") is not None,
        )

    return await run_in_threadpool(
        form_change,
        request,
        form,
        act,
        lambda body: f"/pos/tickets/{body['ticket_number']}?change={body['change']}",
        f"/pos/orders/{order_id}/pay",
    )
