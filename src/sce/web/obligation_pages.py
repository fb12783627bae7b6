"""Pages of the obligation checker and deadline planner: questionnaire, decision, plan, PDF and iCalendar.

A FastAPI router meant to be mounted by the POS web application; :func:`create_app` serves it alone.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_decimal
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from sce.obligation.checker import check
from sce.obligation.dates import parse_iso_date
from sce.obligation.errors import ObligationInputError
from sce.obligation.i18n import (
    DEFAULT_LANG,
    LANGUAGES,
    LOCALES,
    Lang,
    format_money,
    load_translations,
    parse_lang,
)
from sce.obligation.ical import plan_to_ical
from sce.obligation.message import Amount
from sce.obligation.parse import parse_request, parse_request_text
from sce.obligation.pdf import plan_to_pdf
from sce.obligation.planner import Plan, PlannerSettings, plan
from sce.obligation.serialize import decisions_to_dict, plan_to_dict
from sce.web.obligation_form import ACTIVITY_ROWS, form_to_input, input_to_json_text

PAGES_DOMAIN = "obligation_pages"

router = APIRouter(prefix="/obligation", tags=["obligation"])


@functools.cache
def _environment(lang: Lang) -> Environment:
    env = Environment(
        loader=PackageLoader("sce.web", "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    translations = load_translations(resources.files("sce.web") / "locale", PAGES_DOMAIN, lang)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["money"] = lambda text: format_money(Amount(Decimal(str(text))), lang)
    env.filters["percent"] = lambda text: format_decimal(Decimal(str(text)), "#,##0.00", locale=LOCALES[lang])
    return env


def _lang(request: Request) -> Lang:
    return parse_lang(request.query_params.get("lang", "")) or DEFAULT_LANG


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = _lang(request)
    params = dict(request.query_params)
    links = {code: f"{request.url.path}?{urlencode({**params, 'lang': code})}" for code in LANGUAGES}
    html = (
        _environment(lang)
        .get_template(f"obligation/{template}")
        .render(lang=lang, lang_links=links, activity_rows=ACTIVITY_ROWS, **context)
    )
    return HTMLResponse(html, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def questionnaire(request: Request) -> HTMLResponse:
    """The questions about one establishment, in plain words."""
    params = dict(request.query_params)
    params.setdefault("as_of", date.today().isoformat())
    return _page(request, "questionnaire.html", form=params)


@router.get("/decision", response_class=HTMLResponse)
def decision(request: Request) -> HTMLResponse:
    """The decision for the answered questionnaire, with its explanation."""
    form = dict(request.query_params)
    payload = form_to_input(form)
    try:
        decisions = check(parse_request(payload))
    except ObligationInputError as error:
        return _page(request, "questionnaire.html", status_code=400, form=form, error=str(error))
    result = decisions_to_dict(decisions, _lang(request))["establishments"][0]
    plan_link = urlencode({"date": payload["as_of"], "lang": _lang(request)})
    return _page(
        request,
        "decision.html",
        result=result,
        payload=input_to_json_text(payload),
        plan_link=f"{router.prefix}/plan?{plan_link}",
    )


def _date_param(params: Mapping[str, str], name: str, field: str) -> date | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    day = parse_iso_date(value)
    if day is None:
        raise ObligationInputError(field, "a date written YYYY-MM-DD is required")
    return day


def _plan_from(params: Mapping[str, str]) -> Plan:
    as_of = _date_param(params, "date", "date")
    if as_of is None:
        raise ObligationInputError("date", "the date of planning is required (YYYY-MM-DD)")
    margin = params.get("margin_days", "").strip() or "28"
    if not margin.isdigit():
        raise ObligationInputError("margin_days", "a whole number of days from 0 to 366 is required")
    return plan(
        as_of,
        _date_param(params, "activity_start", "activity_start"),
        _date_param(params, "sce1_commissioned", "sce1_commissioned"),
        PlannerSettings(margin_days=int(margin)),
    )


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request) -> HTMLResponse:
    """The planner's questions and, once a date is given, the plan with its downloads."""
    params = dict(request.query_params)
    if "date" not in params:
        return _page(request, "plan.html", form={"date": date.today().isoformat()}, result=None)
    try:
        result = _plan_from(params)
    except ObligationInputError as error:
        return _page(request, "plan.html", status_code=400, form=params, result=None, error=str(error))
    download = urlencode(params)
    return _page(
        request,
        "plan.html",
        form=params,
        result=plan_to_dict(result, _lang(request)),
        pdf_link=f"{router.prefix}/plan.pdf?{download}",
        ics_link=f"{router.prefix}/plan.ics?{download}",
    )


def _error_json(error: ObligationInputError) -> JSONResponse:
    return JSONResponse({"error": error.as_dict()}, status_code=400)


@router.get("/plan.pdf", response_model=None)
def plan_pdf(request: Request) -> Response:
    """The plan as a PDF download."""
    try:
        result = _plan_from(request.query_params)
    except ObligationInputError as error:
        return _error_json(error)
    headers = {"Content-Disposition": 'attachment; filename="sce-plan.pdf"'}
    return Response(plan_to_pdf(result, _lang(request)), media_type="application/pdf", headers=headers)


@router.get("/plan.ics", response_model=None)
def plan_ics(request: Request) -> Response:
    """The plan's dates as an iCalendar download."""
    try:
        result = _plan_from(request.query_params)
    except ObligationInputError as error:
        return _error_json(error)
    headers = {"Content-Disposition": 'attachment; filename="sce-plan.ics"'}
    return Response(plan_to_ical(result, _lang(request)), media_type="text/calendar", headers=headers)


@router.post("/api/check")
async def api_check(request: Request) -> JSONResponse:
    """The checker over HTTP: the same JSON input and output as ``sce obligation check --json``."""
    try:
        decisions = check(parse_request_text((await request.body()).decode("utf-8", "replace")))
    except ObligationInputError as error:
        return _error_json(error)
    return JSONResponse(decisions_to_dict(decisions, _lang(request)))


@router.get("/api/plan")
def api_plan(request: Request) -> JSONResponse:
    """The planner over HTTP: the same output as ``sce obligation plan --json``."""
    try:
        result = _plan_from(request.query_params)
    except ObligationInputError as error:
        return _error_json(error)
    return JSONResponse(plan_to_dict(result, _lang(request)))


def create_app() -> FastAPI:
    """A stand-alone application serving these pages (the POS application will mount the router)."""
    app = FastAPI(title="sce: obligation checker and deadline planner")
    app.include_router(router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse(f"{router.prefix}/")

    return app
