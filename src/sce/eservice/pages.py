"""The e-service's HTML pages (``/eservice/...``) per role; every action on them calls the JSON API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sce.domain.errors import DomainError
from sce.eservice import distributor, history, kbo, operator, producer, support
from sce.eservice.access import context, current, require, require_party
from sce.eservice.accounts import Principal, Role
from sce.eservice.errors import EserviceError, as_json
from sce.eservice.i18n import LANGUAGES, environment, language

router = APIRouter(prefix="/eservice", tags=["eservice-pages"], include_in_schema=False)

HOME = {
    Role.OPERATOR: "/eservice/operator/{vat}",
    Role.PRODUCER: "/eservice/producer/{vat}",
    Role.DISTRIBUTOR: "/eservice/distributor/{vat}",
    Role.ADMINISTRATION: "/eservice/admin",
}


def _render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = language(request)
    links = {code: f"{request.url.path}?{urlencode({'lang': code})}" for code in LANGUAGES}
    page = (
        environment(lang)
        .get_template(template)
        .render(lang=lang, lang_links=links, who=current(request), **values)
    )
    response = HTMLResponse(page, status_code=status)
    response.set_cookie("lang", lang, samesite="strict")
    return response


def _guarded(request: Request, build: Any) -> Response:
    try:
        result: Response = build()
        return result
    except DomainError as error:
        status = error.status if isinstance(error, EserviceError) else 422
        if status == 401:
            return RedirectResponse(f"/eservice/?lang={language(request)}", status_code=303)
        return _render(request, "error.html", status=status, error=as_json(error))


@router.get("/", response_class=HTMLResponse)
def start(request: Request) -> Response:
    who = current(request)
    if who is not None:
        return RedirectResponse(_home(who) + f"?lang={language(request)}", status_code=303)
    return _render(request, "login.html")


def _home(who: Principal) -> str:
    return HOME[who.role].format(vat=who.company_vat or "")


@router.get("/operator/{vat}", response_class=HTMLResponse)
def operator_page(request: Request, vat: str) -> Response:
    def build() -> Response:
        require(request, (Role.OPERATOR, Role.ADMINISTRATION), vat)
        with context(request).engine.connect() as conn:
            view = operator.overview(conn, vat)
            desk = {
                "contracts": support.list_contracts(conn, operator=vat),
                "tickets": support.list_tickets(conn, operator=vat),
            }
        lang = language(request)
        for unit in view["establishments"]:
            unit["checker_link"] = "/obligation/?" + urlencode({"name": unit["signboard"], "lang": lang})
            start = unit.get("activity_start") or ""
            unit["planner_link"] = "/obligation/plan?" + urlencode({"date": start, "lang": lang})
        return _render(request, "operator.html", vat=vat, view=view, desk=desk)

    return _guarded(request, build)


@router.get("/producer/{vat}", response_class=HTMLResponse)
def producer_page(request: Request, vat: str) -> Response:
    def build() -> Response:
        require(request, (Role.PRODUCER, Role.ADMINISTRATION), vat)
        with context(request).engine.connect() as conn:
            view = producer.profile(conn, vat)
            name = kbo.company(conn, vat)["name"]
        return _render(request, "producer.html", vat=vat, view=view, name=name)

    return _guarded(request, build)


@router.get("/distributor/{vat}", response_class=HTMLResponse)
def distributor_page(request: Request, vat: str) -> Response:
    def build() -> Response:
        require(request, (Role.DISTRIBUTOR, Role.ADMINISTRATION), vat)
        with context(request).engine.connect() as conn:
            company = kbo.company(conn, vat)
            try:
                view: dict[str, Any] | None = distributor.profile(conn, vat)
            except EserviceError:
                view = None
            desk = {
                "contracts": support.list_contracts(conn, dealer=vat),
                "tickets": support.list_tickets(conn, dealer=vat),
            }
        return _render(request, "distributor.html", vat=vat, view=view, company=company, desk=desk)

    return _guarded(request, build)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request) -> Response:
    def build() -> Response:
        require(request, (Role.ADMINISTRATION,))
        with context(request).engine.connect() as conn:
            found = distributor.pending(conn)
        return _render(request, "admin.html", distributors=found)

    return _guarded(request, build)


@router.get("/components/{serial}", response_class=HTMLResponse)
def component_page(request: Request, serial: str) -> Response:
    def build() -> Response:
        with context(request).engine.connect() as conn:
            require_party(request, tuple(Role), history.involved_parties(conn, serial))
            item = history.component(conn, serial)
            events = history.history(conn, serial)
        return _render(request, "component.html", item=item, events=events)

    return _guarded(request, build)
