"""Cash and day: drawer open, money in/out, training mode, X/Z reports and the FDM PIN pad / retry."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from markupsafe import Markup

from sce.domain.errors import DomainError
from sce.web.pos import actions, charts
from sce.web.pos.errors import HttpError, to_http
from sce.web.pos.guard import answer_page, check_csrf, run_change, session_of
from sce.web.pos.i18n import N_
from sce.web.pos.pages import form_change, form_of, need_session, render, translate
from sce.web.pos.security import Session

router = APIRouter(include_in_schema=False)
CHART_TITLES = (
    ("hours", N_("Sales per hour")),
    ("departments", N_("Sales per department")),
    ("methods", N_("Payments per method")),
)
NO_SALES = N_("no sales yet")
NOT_A_REPORT = N_("%(number)s is not a report")


@router.get("/pos/cash")
def cash(request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    with rt.pos.store.tx() as tx:
        pending = tx.pending()
    return render(request, "cash.html", {"pending": pending})


async def _post(request: Request, action: Any, go: Any, back: str = "/pos/cash") -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime
    return await run_in_threadpool(form_change, request, form, lambda s: action(rt, s, form), go, back)


@router.post("/pos/drawer")
async def drawer(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.drawer_open(rt, s, str(f.get("reason", ""))),
        lambda body: f"/pos/cash?done=drawer&n={body['ticket_number']}",
    )


@router.post("/pos/money")
async def money(request: Request) -> Response:
    def act(rt: Any, s: Session, f: dict[str, Any]) -> dict[str, Any]:
        amount = str(f.get("amount", "")).strip()
        if f.get("direction") == "out" and amount and not amount.startswith("-"):
            amount = "-" + amount
        return actions.money_in_out(rt, s, amount, str(f.get("reason", "")))

    return await _post(request, act, lambda body: f"/pos/cash?done=money&n={body['ticket_number']}")


@router.post("/pos/training")
async def training(request: Request) -> Response:
    return await _post(
        request, lambda rt, s, f: actions.set_training(rt, s, f.get("on") == "1"), "/pos/cash?done=training"
    )


@router.post("/pos/reports")
async def report(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.report(rt, s, str(f.get("kind", "turnover")), str(f.get("mode", "X"))),
        lambda body: f"/pos/reports/{_shown(body['reports'])}",
    )


def _shown(reports: list[dict[str, Any]]) -> int:
    """The report to show: the turnover report of a Z pair, else the last one made."""
    turnover = [r for r in reports if str(r["kind"]).startswith("REPORT_TURNOVER")]
    return int((turnover or reports)[-1]["ticket_number"])


@router.post("/pos/fdm/unlock")
async def unlock(request: Request) -> Response:
    """The VSC PIN: from any screen, or from the login screen when a clock-in waits for it."""
    if session_of(request) is not None:
        return await _post(
            request, lambda rt, s, f: actions.unlock(rt, s, str(f.get("pin", ""))), "/pos/cash?done=unlock"
        )
    form = await form_of(request)
    rt = request.app.state.runtime
    client = request.client.host if request.client else "?"

    def at_login() -> Response:
        try:
            check_csrf(request, None, form.get("csrf"))
        except HttpError as error:
            return answer_page(request, error.status, error.body, "/", "/")
        key = request.headers.get("idempotency-key") or form.get("idem")
        status, body = run_change(
            request, None, key, lambda: actions.unlock_at_login(rt, str(form.get("pin", "")), client)
        )
        return answer_page(request, status, body, "/?done=unlock", "/")

    return await run_in_threadpool(at_login)


@router.post("/pos/fdm/retry")
async def retry(request: Request) -> Response:
    return await _post(request, lambda rt, s, f: actions.retry(rt, s), "/pos/cash?done=retry")


@router.get("/pos/reports/{ticket_number}")
def report_page(ticket_number: int, request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    try:
        record = rt.pos.record(ticket_number)
    except DomainError as error:
        return render(
            request, "error.html", {"error": to_http(error).body["error"], "back": "/pos/cash"}, status=404
        )
    report_data = (record.get("pos") or {}).get("report")
    if report_data is None:
        return render(
            request,
            "error.html",
            {
                "error": {"message": translate(request, NOT_A_REPORT) % {"number": ticket_number}},
                "back": "/pos/cash",
            },
            status=404,
        )
    figures = charts.sales_figures(rt.pos, period_id=report_data.get("period_id"))
    return render(
        request,
        "report.html",
        {
            "number": ticket_number,
            "event": record["event"],
            "fdm": record.get("fdm") or {},
            "report": report_data,
            "figures": figures,
            "charts": translated_charts(request, figures),
        },
    )


def translated_charts(request: Request, figures: dict[str, Any]) -> list[Markup]:
    """The charts of the sales figures, titled in the language of the screens."""
    return [
        Markup(charts.bar_chart(translate(request, title), figures[name], empty=translate(request, NO_SALES)))
        for name, title in CHART_TITLES
    ]
