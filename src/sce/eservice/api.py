"""The e-service's JSON API (``/eservice/api/...``): one handler per use case, access checked first."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import Connection

from sce.domain.errors import DomainError
from sce.eservice import (
    accounts,
    cards,
    diagnostics,
    distributor,
    fdm1,
    fdm2,
    history,
    kbo,
    lifecycle,
    operator,
    producer,
    support,
)
from sce.eservice.access import SESSION_COOKIE, context, current, require, require_party
from sce.eservice.accounts import Role
from sce.eservice.delivery_xml import schema_text
from sce.eservice.errors import EserviceError, InvalidInputError, NotFoundError, as_json
from sce.eservice.mail import notify_operator
from sce.eservice.tables import links

OP, PR, DI, AD = Role.OPERATOR, Role.PRODUCER, Role.DISTRIBUTOR, Role.ADMINISTRATION
Body_ = Body(default_factory=dict)


class ErrorMappingRoute(APIRoute):
    """Turns the e-service's typed errors into JSON ``{"error": {field, rule, message}}`` with its status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except DomainError as error:
                status = error.status if isinstance(error, EserviceError) else 422
                return JSONResponse({"error": as_json(error)}, status_code=status)

        return guarded


router = APIRouter(prefix="/eservice/api", route_class=ErrorMappingRoute, tags=["eservice"])


def _text(body: dict[str, Any], name: str, required: bool = True) -> str:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInputError(name, "REQUIRED", f"{name} is required")
        return ""
    if not isinstance(value, str | int):
        raise InvalidInputError(name, "NOT_TEXT", f"{name} must be a text")
    return str(value).strip()


def _date(body: dict[str, Any], name: str) -> date:
    text = _text(body, name)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(name, "INVALID_DATE", f"{text!r} is not a date YYYY-MM-DD") from None


def _int(body: dict[str, Any], name: str) -> int:
    text = _text(body, name)
    if not text.lstrip("-").isdigit():
        raise InvalidInputError(name, "NOT_A_NUMBER", f"{text!r} is not a whole number")
    return int(text)


def _list(body: dict[str, Any], name: str) -> list[str]:
    value = body.get(name)
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InvalidInputError(name, "REQUIRED", f"{name} is a non-empty list of texts")
    return [v.strip() for v in value]


def _euro_cents(body: dict[str, Any], name: str) -> int:
    text = _text(body, name).replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidInputError(name, "NOT_AN_AMOUNT", f"{text!r} is not an amount in euro") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInputError(name, "TOO_MANY_DECIMALS", "an amount in euro has at most 2 decimals")
    return int(amount * 100)


def _begin(request: Request) -> Any:
    return context(request).engine.begin()


def _mail(request: Request, conn: Connection, vat: str, step: str, lines: list[str]) -> None:
    """Confirm ``step`` to the operator by e-mail, always followed by its installation deadline(s)."""
    notify_operator(conn, context(request).settings.mail, vat, step, [*lines, *_deadline_lines(conn, vat)])


def _deadline_lines(conn: Connection, vat: str) -> list[str]:
    lines = []
    for unit in operator.overview(conn, vat)["establishments"]:
        if unit.get("selected"):
            lines.append(
                f"Establishment {unit['number']} ({unit['signboard']}): register by {unit['register_by']},"
                f" certified system in use by {unit['use_by']}."
            )
    return lines


# ------------------------------------------------------------------ session


@router.post("/login")
def login(request: Request, body: dict[str, Any] = Body_) -> JSONResponse:
    with _begin(request) as conn:
        token, who = accounts.login(conn, _text(body, "username"), _text(body, "password"))
    response = JSONResponse(
        {"username": who.username, "role": who.role.value, "company_vat": who.company_vat}
    )
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout(request: Request) -> JSONResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with _begin(request) as conn:
            accounts.logout(conn, token)
    response = JSONResponse({"ok": True})
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/me")
def me(request: Request) -> dict[str, Any]:
    who = require(request, (OP, PR, DI, AD))
    return {"username": who.username, "role": who.role.value, "company_vat": who.company_vat}


@router.get("/schema/deliveries.xsd")
def deliveries_schema() -> Response:
    return Response(schema_text(), media_type="application/xml")


# ------------------------------------------------------------------ KBO


@router.get("/kbo/{vat}")
def kbo_company(request: Request, vat: str) -> dict[str, Any]:
    who = require(request, (OP, PR, DI, AD))
    if who.role is OP:
        require(request, (OP,), vat)
    with _begin(request) as conn:
        return kbo.company(conn, kbo.vat_number(vat))


@router.post("/kbo/import")
async def kbo_import(request: Request) -> dict[str, Any]:
    require(request, (AD,))
    raw = await request.body()
    with _begin(request) as conn:
        result = kbo.import_csv(conn, raw.decode("utf-8-sig"))
    return {
        "companies": result.companies,
        "representatives": result.representatives,
        "establishments": result.establishments,
    }


# ------------------------------------------------------------------ operator


@router.post("/operators/{vat}/registration")
def operator_registration(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    require(request, (OP,), vat)
    raw = body.get("establishments")
    if not isinstance(raw, list) or not raw:
        raise InvalidInputError("establishments", "REQUIRED", "select at least one establishment unit")
    selections = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidInputError(
                f"establishments[{index}]", "NOT_AN_OBJECT", "number, generation, activity_start"
            )
        selections.append(
            operator.Selection(
                _text(item, "number"),
                _text(item, "generation", required=False) or "2.0",
                _date(item, "activity_start"),
            )
        )
    with _begin(request) as conn:
        result = operator.register(
            conn, vat, _text(body, "contact_email"), _text(body, "phone", False), selections
        )
        _mail(request, conn, vat, "company and establishments registered", [])
    return result


@router.get("/operators/{vat}")
def operator_overview(request: Request, vat: str) -> dict[str, Any]:
    require(request, (OP, AD), vat)
    with _begin(request) as conn:
        return operator.overview(conn, vat)


@router.post("/operators/{vat}/components/{serial}/confirm")
def confirm_delivery(request: Request, vat: str, serial: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    who = require(request, (OP,), vat)
    with _begin(request) as conn:
        result = operator.confirm_delivery(conn, vat, serial, _text(body, "last_digits"), who.username)
        _mail(request, conn, vat, f"delivery of {serial} confirmed", [])
    return result


@router.post("/operators/{vat}/links")
def link_components(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    who = require(request, (OP,), vat)
    with _begin(request) as conn:
        results = operator.link(conn, vat, _text(body, "fdm"), _list(body, "pos"), who.username)
        summary = [f"{r.pos}: {'linked' if r.ok else 'not linked'} ({r.reason})" for r in results]
        _mail(request, conn, vat, f"links of FDM {_text(body, 'fdm')}", summary)
    return {"results": [r.as_json() for r in results]}


@router.post("/operators/{vat}/fdms/{serial}/vsc")
def request_vsc(request: Request, vat: str, serial: str) -> dict[str, Any]:
    who = require(request, (OP,), vat)
    with _begin(request) as conn:
        result = cards.request_vsc(conn, vat, serial, who.username)
        _mail(
            request,
            conn,
            vat,
            f"VAT Signing Card requested for FDM {serial}",
            ["The card and its PIN arrive in two separate letters."],
        )
    return result


@router.get("/operators/{vat}/fdms/{serial}/letters/{kind}")
def vsc_letter(request: Request, vat: str, serial: str, kind: str) -> Response:
    require(request, (OP,), vat)
    with _begin(request) as conn:
        pdf = cards.letter(conn, vat, serial, kind.removesuffix(".pdf"))
    name = f"{kind.removesuffix('.pdf')}-letter-{serial}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/operators/{vat}/fdms/{serial}/activate")
def activate(request: Request, vat: str, serial: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    who = require(request, (OP,), vat)
    root = context(request).settings.state_dir
    with _begin(request) as conn:
        result = cards.activate(conn, root, vat, serial, _text(body, "pin"), who.username)
        _mail(
            request, conn, vat, f"FDM {serial} activated", ["Your certified cash register system is active."]
        )
    return result


def _fps_url(request: Request) -> str:
    configured = context(request).settings.fps_url
    return configured or str(request.base_url).rstrip("/") + "/fps"


@router.post("/operators/{vat}/fdms/{serial}/first-boot")
def first_boot(request: Request, vat: str, serial: str) -> dict[str, Any]:
    who = require(request, (OP,), vat)
    ctx = context(request)
    with ctx.engine.begin() as conn:
        certificate = fdm2.prepare_first_boot(conn, vat, serial, who.username)
    boot = fdm2.run_first_boot(fdm2.state_of(ctx.settings.state_dir, serial), serial, _fps_url(request))
    with ctx.engine.begin() as conn:
        fdm2.complete_first_boot(conn, vat, serial, boot, who.username)
        _mail(
            request,
            conn,
            vat,
            f"first boot of FDM {serial}",
            ["The FDM received its certificate and settings."],
        )
    return {
        "fdm": serial,
        "certificate": boot.get("certificate", certificate),
        "vatRates": boot.get("vatRates"),
        "footer": boot.get("footer"),
        "posAllowList": boot.get("posAllowList"),
    }


@router.post("/operators/{vat}/fdms/{serial}/test-sale")
def test_sale(request: Request, vat: str, serial: str) -> dict[str, Any]:
    require(request, (OP,), vat)
    ctx = context(request)
    with ctx.engine.begin() as conn:
        fdm = operator.owned_component(conn, vat, serial, "fdm")
        pos = operator.linked_pos(conn, serial)
        if fdm["status"] != "active" or not pos:
            raise InvalidInputError("fdm", "NOT_ACTIVE", f"activate FDM {serial} first")
        if fdm["generation"] == "1.0":
            card = cards.card_of(conn, serial)
    if fdm["generation"] == "1.0":
        sale = fdm1.test_sale(cards.path_of(ctx.settings.state_dir, serial), card.pin, pos[0])
        return {
            "generation": "1.0",
            "fdm": sale.fdm_id,
            "vsc_id": sale.vsc_id,
            "label": "NS",
            "event_counter": sale.event_counter,
            "total_counter": sale.total_counter,
            "signature": sale.signature,
        }
    event = fdm2.test_sale(
        fdm2.state_of(ctx.settings.state_dir, serial),
        serial,
        _fps_url(request),
        vat,
        fdm["establishment"],
        pos[0],
    )
    return {
        "generation": "2.0",
        "fdm": event.fdm_id,
        "label": event.event_label,
        "event_counter": event.event_counter,
        "total_counter": event.total_counter,
        "signature": event.short_signature,
        "footer": list(event.footer),
    }


@router.post("/operators/{vat}/components/{serial}/decommission")
def decommission(request: Request, vat: str, serial: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    who = require(request, (OP,), vat)
    with _begin(request) as conn:
        result = lifecycle.decommission(
            conn, vat, serial, _text(body, "reason"), _text(body, "to_vat", False) or None, who.username
        )
        _mail(request, conn, vat, f"{serial} decommissioned", [f"Reason: {_text(body, 'reason')}"])
    return result


@router.get("/operators/{vat}/diagnostics")
def operator_diagnostics(request: Request, vat: str) -> dict[str, Any]:
    require(request, (OP,), vat)
    with _begin(request) as conn:
        view = operator.overview(conn, vat)
        log = [
            {"serial": c["serial"], **item}
            for c in view["components"]
            for item in history.history(conn, c["serial"])
        ]
    fdms = [
        {k: c[k] for k in ("serial", "generation", "status")}
        for c in view["components"]
        if c["kind"] == "FDM"
    ]
    return diagnostics.bundle(
        {"company_vat": vat, "contact_email": view["contact_email"], "phone": view["phone"]},
        {"fdms": fdms, "links": view["links"], "cards": view["cards"]},
        [],
        log,
    )


@router.get("/operators/{vat}/support")
def operator_support(request: Request, vat: str) -> dict[str, Any]:
    require(request, (OP, AD), vat)
    with _begin(request) as conn:
        return {
            "contracts": support.list_contracts(conn, operator=vat),
            "tickets": support.list_tickets(conn, operator=vat),
        }


@router.post("/operators/{vat}/tickets")
def operator_ticket(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    require(request, (OP,), vat)
    dealer = kbo.vat_number(_text(body, "dealer_vat"), "dealer_vat")
    with _begin(request) as conn:
        return support.open_ticket(conn, dealer, vat, _text(body, "subject"), _text(body, "body", False))


@router.get("/pairing/{serial}")
def pairing(request: Request, serial: str) -> dict[str, Any]:
    who = require(request, (OP, AD))
    with _begin(request) as conn:
        pos = history.component(conn, serial)
        require(request, (OP, AD), pos["operator_vat"] or "")
        row = conn.execute(links.select().where(links.c.pos_serial == serial)).mappings().first()
        if row is None:
            raise NotFoundError("serial", "POS_NOT_LINKED", f"POS {serial} is linked to no FDM")
        del who
        return {
            "pos": serial,
            "fdm": row["fdm_serial"],
            "establishment": row["establishment"],
            "active": pos["status"] == "active",
        }


@router.get("/components/{serial}/history")
def component_history(request: Request, serial: str) -> dict[str, Any]:
    with _begin(request) as conn:
        parties = history.involved_parties(conn, serial)
        require_party(request, (OP, PR, DI, AD), parties)
        return {
            "component": _jsonable(history.component(conn, serial)),
            "history": history.history(conn, serial),
        }


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


# ------------------------------------------------------------------ producer


@router.get("/producers/{vat}")
def producer_profile(request: Request, vat: str) -> dict[str, Any]:
    require(request, (PR, AD), vat)
    with _begin(request) as conn:
        return producer.profile(conn, vat)


@router.post("/producers/{vat}/models")
def producer_model(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    require(request, (PR,), vat)
    with _begin(request) as conn:
        return producer.add_model(
            conn,
            vat,
            _text(body, "kind"),
            _text(body, "generation"),
            _text(body, "model_number"),
            _text(body, "certificate"),
        )


@router.post("/producers/{vat}/batches")
def producer_batch(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    who = require(request, (PR,), vat)
    with _begin(request) as conn:
        serials = producer.register_batch(
            conn, vat, _int(body, "model_id"), _int(body, "first"), _int(body, "last"), who.username
        )
    return {"serials": serials}


@router.post("/producers/{vat}/deliveries")
def producer_delivery(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    who = require(request, (PR,), vat)
    target = kbo.vat_number(_text(body, "distributor_vat"), "distributor_vat")
    with _begin(request) as conn:
        serials = producer.deliver(
            conn, vat, target, _date(body, "date"), _list(body, "serials"), who.username
        )
    return {"serials": serials}


# ------------------------------------------------------------------ distributor


@router.post("/distributors/{vat}/registration")
def distributor_registration(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    require(request, (DI,), vat)
    with _begin(request) as conn:
        return distributor.register(conn, vat, {k: str(v) for k, v in body.items() if isinstance(v, str)})


@router.get("/distributors/{vat}")
def distributor_profile(request: Request, vat: str) -> dict[str, Any]:
    require(request, (DI, AD), vat)
    with _begin(request) as conn:
        return distributor.profile(conn, vat)


@router.post("/distributors/{vat}/deliveries")
def distributor_delivery(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    who = require(request, (DI,), vat)
    operator_vat = _text(body, "operator_vat")
    with _begin(request) as conn:
        serials = distributor.deliver_to_operator(
            conn,
            vat,
            operator_vat,
            _text(body, "establishment"),
            _text(body, "room", False),
            _date(body, "date"),
            _list(body, "serials"),
            who.username,
        )
        _mail(
            request,
            conn,
            kbo.vat_number(operator_vat, "operator_vat"),
            "components assigned by your dealer",
            [f"Confirm the delivery of: {', '.join(serials)}"],
        )
    return {"serials": serials}


@router.post("/distributors/{vat}/deliveries.xml")
async def distributor_delivery_xml(request: Request, vat: str) -> dict[str, Any]:
    who = require(request, (DI,), vat)
    raw = await request.body()
    with _begin(request) as conn:
        return distributor.upload_xml(conn, vat, raw, who.username)


@router.post("/distributors/{vat}/resales")
def distributor_resale(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    who = require(request, (DI,), vat)
    with _begin(request) as conn:
        serials = distributor.resell(
            conn,
            vat,
            _text(body, "distributor_vat"),
            _date(body, "date"),
            _list(body, "serials"),
            who.username,
        )
    return {"serials": serials}


@router.get("/distributors/{vat}/support")
def distributor_support(request: Request, vat: str) -> dict[str, Any]:
    require(request, (DI,), vat)
    with _begin(request) as conn:
        return {
            "contracts": support.list_contracts(conn, dealer=vat),
            "tickets": support.list_tickets(conn, dealer=vat),
        }


@router.post("/distributors/{vat}/contracts")
def distributor_contract(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    require(request, (DI,), vat)
    with _begin(request) as conn:
        return support.add_contract(
            conn,
            vat,
            _text(body, "operator_vat"),
            _text(body, "level"),
            _date(body, "starts_on"),
            _date(body, "ends_on"),
            _euro_cents(body, "monthly_fee"),
        )


@router.post("/distributors/{vat}/tickets/{ticket_id}/status")
def ticket_status(request: Request, vat: str, ticket_id: int, body: dict[str, Any] = Body_) -> dict[str, Any]:
    require(request, (DI,), vat)
    with _begin(request) as conn:
        if support.ticket(conn, ticket_id)["distributor_vat"] != vat:
            raise NotFoundError(
                "ticket_id", "NOT_YOUR_TICKET", f"ticket {ticket_id} is not addressed to {vat}"
            )
        return support.set_status(conn, ticket_id, _text(body, "status"))


# ------------------------------------------------------------------ administration


@router.get("/admin/distributors")
def admin_distributors(request: Request) -> dict[str, Any]:
    require(request, (AD,))
    with _begin(request) as conn:
        return {"distributors": distributor.pending(conn)}


@router.post("/admin/distributors/{vat}/validation")
def admin_validate(request: Request, vat: str, body: dict[str, Any] = Body_) -> dict[str, Any]:
    require(request, (AD,))
    accept = body.get("accept", True) is not False
    with _begin(request) as conn:
        return distributor.validate(conn, vat, accept)


def whoami(request: Request) -> accounts.Principal | None:
    """The logged-in principal for the pages (None when nobody is)."""
    return current(request)
