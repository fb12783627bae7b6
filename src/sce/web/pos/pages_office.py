"""Back office: products, departments and VAT (eat-in / take-away), staff (INSZ/BIS checked, PIN and
badge), terminals and kitchen/bar stations with their printers, FDM health, reports with charts, the
journal browser and export (for an inspector) and the configuration-change log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import func, select

from sce.db import tables as t
from sce.domain.errors import DomainError
from sce.domain.vat import VatLetter
from sce.web.pos import actions, charts, health, i18n, views
from sce.web.pos import security as sec
from sce.web.pos.errors import to_http
from sce.web.pos.pages import form_change, form_of, need_session, render
from sce.web.pos.pages_cash import translated_charts
from sce.web.pos.security import Session

router = APIRouter(include_in_schema=False)
PAGE = 50


def _reader(request: Request) -> Session | Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    try:
        sec.require_role(session, sec.BACK_OFFICE_READ)
    except DomainError as error:
        return render(
            request, "error.html", {"error": to_http(error).body["error"], "back": "/pos/floor"}, status=403
        )
    return session


@router.get("/office")
def office(request: Request) -> Response:
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    return render(request, "office.html", {"screen_language": i18n.screen_language(rt) or i18n.DEFAULT_LANG})


@router.post("/office/screen-language")
async def save_screen_language(request: Request) -> Response:
    """The site's screen language: the language of every screen where none was chosen."""
    return await _post(
        request,
        lambda rt, s, f: i18n.save_screen_language(rt, s, str(f.get("language", ""))),
        "/office",
    )


@router.get("/office/products")
def products(request: Request) -> Response:
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    with rt.pos.store.tx() as tx:
        items = tx.items("product")
        departments = tx.items("department")
        modifiers = tx.items("modifier")
    edit = items.get(request.query_params.get("edit", ""), {})
    return render(
        request,
        "office_products.html",
        {
            "products": items,
            "departments": departments,
            "modifiers": modifiers,
            "letters": [v.value for v in VatLetter],
            "edit": edit,
            "money": views.money,
        },
    )


async def _post(request: Request, action: Any, go: str) -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime
    return await run_in_threadpool(form_change, request, form, lambda s: action(rt, s, form), go, go)


def _names(form: dict[str, Any]) -> dict[str, str]:
    return {lang: str(form.get(f"name_{lang}", "")) for lang in ("NL", "FR", "DE", "EN")}


@router.post("/office/products")
async def save_product(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.save_product(
            rt,
            s,
            str(f.get("id", "")),
            _names(f),
            str(f.get("department_id", "")),
            str(f.get("price", "")),
            str(f.get("vat_eat_in", "")),
            str(f.get("vat_take_away", "")),
            str(f.get("unit") or "unit"),
            list(f.get("modifier[]", [])),
        ),
        "/office/products",
    )


@router.post("/office/departments")
async def save_department(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.save_department(rt, s, str(f.get("id", "")), _names(f)),
        "/office/products",
    )


@router.get("/office/staff")
def staff(request: Request) -> Response:
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    with rt.pos.store.tx() as tx:
        employees = tx.items("employee")
    shown = {
        k: {
            **{n: v for n, v in body.items() if not n.endswith("_hash")},
            "has_pin": bool(body.get("pin_hash")),
        }
        for k, body in employees.items()
    }
    with rt.pos.store.tx() as tx:
        training = {
            key.removeprefix("employee:")
            for key, body in tx.items("training").items()
            if key.startswith("employee:") and body.get("on")
        }
    return render(
        request,
        "office_staff.html",
        {"employees": shown, "present": rt.pos.clocked_in(), "training": training},
    )


@router.post("/office/staff")
async def save_staff(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.save_employee(
            rt,
            s,
            str(f.get("employee_id", "")),
            str(f.get("alias", "")),
            str(f.get("role", "waiter")),
            str(f.get("pin", "")),
            str(f.get("badge", "")),
            str(f.get("name", "")),
        ),
        "/office/staff",
    )


@router.post("/office/staff/training")
async def staff_training(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.set_training(
            rt, s, f.get("on") == "1", str(f.get("employee_id", "")) or None
        ),
        "/office/staff",
    )


@router.get("/office/terminals")
def terminals(request: Request) -> Response:
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    with rt.pos.store.tx() as tx:
        found = tx.items("terminal")
        departments = tx.items("department")
    return render(
        request,
        "office_terminals.html",
        {"terminals": found, "stations": rt.kitchen.stations(), "departments": departments},
    )


@router.post("/office/terminals")
async def save_terminal(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.save_config(
            rt,
            s,
            "terminal",
            str(f.get("id", "")),
            {"name": str(f.get("name", "")), "printer": str(f.get("printer") or "screen")},
        ),
        "/office/terminals",
    )


@router.post("/office/stations")
async def save_station(request: Request) -> Response:
    return await _post(
        request,
        lambda rt, s, f: actions.save_config(
            rt,
            s,
            "station",
            str(f.get("id", "")),
            {
                "name": str(f.get("name", "")) or str(f.get("id", "")),
                "departments": list(f.get("department[]", [])),
                "printer": str(f.get("printer") or "screen"),
            },
        ),
        "/office/terminals",
    )


@router.get("/office/fdm")
def fdm(request: Request) -> Response:
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    return render(request, "office_fdm.html", {"health": health.fdm_health(rt, session)})


@router.get("/office/reports")
def reports(request: Request) -> Response:
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    day = request.query_params.get("date") or rt.pos.now().date().isoformat()
    figures = charts.sales_figures(rt.pos, booking_date=day)
    made = views.recent_tickets(
        rt.pos, 20, ("REPORT_TURNOVER_X", "REPORT_TURNOVER_Z", "REPORT_USER_X", "REPORT_USER_Z")
    )
    return render(
        request,
        "office_reports.html",
        {
            "day": day,
            "figures": figures,
            "charts": translated_charts(request, figures),
            "made": made,
        },
    )


@router.get("/office/journal")
def journal(request: Request) -> Response:
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    kind = request.query_params.get("kind") or ""
    day = request.query_params.get("date") or ""
    try:
        page = max(0, int(request.query_params.get("page") or 0))
    except ValueError:
        page = 0
    query = select(
        t.journal.c.seq,
        t.journal.c.recorded_at,
        t.journal.c.record_type,
        t.journal.c.event_kind,
        t.journal.c.ticket_number,
        t.journal.c.label,
        t.journal.c.employee_id,
        t.journal.c.terminal_id,
        t.journal.c.cost_center_id,
        t.journal.c.total_cents,
        t.journal.c.training,
        t.journal.c.hash,
    )
    if kind:
        query = query.where(t.journal.c.event_kind == kind)
    if day:
        query = query.where(t.journal.c.booking_date == day)
    with rt.engine.begin() as c:
        rows = c.execute(query.order_by(t.journal.c.seq.desc()).offset(page * PAGE).limit(PAGE)).all()
        total = c.execute(select(func.count()).select_from(t.journal)).scalar_one()
        kinds = sorted(str(r[0]) for r in c.execute(select(t.journal.c.event_kind).distinct()).all() if r[0])
    detail = None
    seq = request.query_params.get("seq")
    if seq and seq.isdigit():
        with rt.engine.begin() as c:
            body = c.execute(select(t.journal.c.body).where(t.journal.c.seq == int(seq))).scalar_one_or_none()
        detail = json.dumps(json.loads(body), indent=2, ensure_ascii=False) if body else None
    return render(
        request,
        "office_journal.html",
        {
            "rows": rows,
            "total": total,
            "kinds": kinds,
            "kind": kind,
            "day": day,
            "page": page,
            "more": len(rows) == PAGE,
            "detail": detail,
            "money": views.money,
        },
    )


@router.get("/office/journal/export")
def journal_export(request: Request) -> Response:
    """The whole journal as JSON lines (the sealed records in original form, hash-chained)."""
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime

    def lines() -> Iterator[bytes]:
        with rt.engine.connect() as c:
            for (body,) in c.execute(select(t.journal.c.body).order_by(t.journal.c.seq)):
                yield (body + "\n").encode()

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="journal.jsonl"'},
    )


@router.get("/office/config-log")
def config_log(request: Request) -> Response:
    session = _reader(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    with rt.engine.begin() as c:
        rows = c.execute(select(t.config_log).order_by(t.config_log.c.seq.desc()).limit(200)).all()
    entries = []
    for row in rows:
        body = json.loads(row.body)
        entries.append(
            {
                "seq": row.seq,
                "recorded_at": row.recorded_at,
                "employee_id": row.employee_id,
                "entity": row.entity,
                "entity_id": row.entity_id,
                "action": row.action,
                "before": json.dumps(body.get("before"), ensure_ascii=False)[:300],
                "after": json.dumps(body.get("after"), ensure_ascii=False)[:300],
            }
        )
    return render(request, "office_config_log.html", {"entries": entries})
