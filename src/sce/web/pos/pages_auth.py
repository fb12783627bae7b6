"""Login screen: log in with a PIN or badge code, clock in / clock out, choose the terminal, log out."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sce.domain.errors import DomainError
from sce.web.pos import actions
from sce.web.pos import security as sec
from sce.web.pos.errors import HttpError, to_http
from sce.web.pos.guard import answer_page, check_csrf, is_fetch, run_change, runtime, session_of
from sce.web.pos.pages import form_of, render

router = APIRouter(include_in_schema=False)
TERMINAL_COOKIE = "sce_terminal"


def terminals(request: Request) -> list[dict[str, Any]]:
    with runtime(request).pos.store.tx() as tx:
        found = list(tx.items("terminal").values())
    return found or [{"id": "T1", "name": "Terminal 1"}]


def _home(role: str) -> str:
    return {"inspector": "/office/journal", "technician": "/office/fdm"}.get(role, "/pos/floor")


@router.get("/")
def login_screen(request: Request) -> Response:
    session = session_of(request)
    if session is not None and request.query_params.get("switch") is None:
        return RedirectResponse(_home(session.role), status_code=303)
    token = request.cookies.get(sec.LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    rt = runtime(request)
    response = render(
        request,
        "login.html",
        {
            "terminals": terminals(request),
            "terminal": request.cookies.get(TERMINAL_COOKIE, "T1"),
            "present": actions.presence(rt),
            "login_csrf": token,
            **({} if session else {"csrf": token}),
        },
    )
    response.set_cookie(sec.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def _with_session(response: Response, request: Request, token: str, terminal: str) -> Response:
    response.set_cookie(
        sec.SESSION_COOKIE, token, httponly=True, samesite="strict", max_age=sec.SESSION_SECONDS
    )
    response.set_cookie(TERMINAL_COOKIE, terminal, samesite="strict", max_age=365 * 86400)
    return response


def _terminal(form: dict[str, Any]) -> str:
    terminal = str(form.get("terminal") or "T1").strip()
    if not terminal.replace("-", "").replace("_", "").isalnum() or len(terminal) > 40:
        raise DomainError("terminal", "INVALID", "a terminal id")
    return terminal


@router.post("/login")
async def login(request: Request) -> Response:
    form = await form_of(request)

    def run() -> Response:
        rt = runtime(request)
        try:
            check_csrf(request, None, form.get("csrf"))
            terminal = _terminal(form)
            client = request.client.host if request.client else "?"
            session = actions.login(rt, str(form.get("pin", "")), terminal, client)
        except (DomainError, HttpError) as error:
            raised = to_http(error)
            return answer_page(request, raised.status, raised.body, "/", "/")
        body = {"alias": session.alias, "role": session.role, "go": _home(session.role)}
        response: Response = (
            JSONResponse(body) if is_fetch(request) else RedirectResponse(body["go"], status_code=303)
        )
        return _with_session(response, request, session.token, terminal)

    return await run_in_threadpool(run)


@router.post("/clock")
async def clock(request: Request) -> Response:
    """Clock in (and log in) or clock out (and log out) with a PIN or badge code."""
    form = await form_of(request)

    def run() -> Response:
        rt = runtime(request)
        try:
            check_csrf(request, None, form.get("csrf"))
            terminal = _terminal(form)
        except (DomainError, HttpError) as error:
            raised = to_http(error)
            return answer_page(request, raised.status, raised.body, "/", "/")
        direction = str(form.get("direction", "in"))
        client = request.client.host if request.client else "?"
        found: dict[str, Any] = {}

        def act() -> dict[str, Any]:
            found.update(actions.identify(rt, str(form.get("pin", "")), client))
            done = actions.clock(rt, str(found["employee_id"]), terminal, direction)
            return {"alias": found["alias"], **done}

        key = request.headers.get("idempotency-key") or form.get("idem")
        status, body = run_change(request, None, key, act)
        if status >= 400:
            return answer_page(request, status, body, "/", "/")
        if direction == "in" and not found and body.get("replayed"):
            found.update(actions.identify(rt, str(form.get("pin", "")), client))
        if direction == "in" and found:
            session = rt.sessions.open(
                str(found["employee_id"]), str(found["alias"]), str(found.get("role", "waiter")), terminal
            )
            go = _home(session.role)
            response: Response = (
                JSONResponse({**body, "go": go})
                if is_fetch(request)
                else RedirectResponse(go, status_code=303)
            )
            return _with_session(response, request, session.token, terminal)
        if found:
            rt.sessions.close_employee(str(found["employee_id"]))
        go = "/?done=out"
        response = (
            JSONResponse({**body, "go": go}) if is_fetch(request) else RedirectResponse(go, status_code=303)
        )
        response.delete_cookie(sec.SESSION_COOKIE)
        return response

    return await run_in_threadpool(run)


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await form_of(request)
    session = session_of(request)
    if session is not None:
        try:
            check_csrf(request, session, form.get("csrf"))
        except HttpError as error:
            return answer_page(request, error.status, error.body, "/", "/")
        runtime(request).sessions.close(session.token)
    response: Response = (
        JSONResponse({"go": "/"}) if is_fetch(request) else RedirectResponse("/", status_code=303)
    )
    response.delete_cookie(sec.SESSION_COOKIE)
    return response
