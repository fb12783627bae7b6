"""Shared by the screen routers: templates, the page context (user, terminal, training, FDM state) and
the handling of a form post (session, CSRF, Idempotency-Key, exactly-once run, redirect or JSON)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from sce.web.pos.errors import HttpError
from sce.web.pos.guard import answer_page, check_csrf, run_change, runtime, session_of
from sce.web.pos.security import Session

HERE = Path(__file__).resolve().parent
ENV = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
LABELS = {
    "free": "free",
    "ordering": "ordering",
    "waiting": "waiting",
    "bill": "bill asked",
    "signing": "signing",
}
ENV.globals["status_label"] = LABELS.get
ENV.globals["idem"] = lambda: uuid.uuid4().hex


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    rt = runtime(request)
    session = session_of(request)
    training = False
    clocked_in = False
    if session is not None:
        try:
            training = rt.pos.is_training(session.employee_id, session.terminal_id)
            clocked_in = session.employee_id in rt.pos.clocked_in()
        except Exception:
            training = False
    page = {
        "request": request,
        "session": session,
        "csrf": session.csrf if session else request.cookies.get("sce_login_csrf", ""),
        "training": training,
        "clocked_in": clocked_in,
        "generation": rt.generation,
        "demo": rt.demo,
        "site": _site(rt),
        "path": request.url.path,
        **context,
    }
    html = ENV.get_template(name).render(page)
    return HTMLResponse(html, status_code=status)


def _site(rt: Any) -> Any:
    try:
        return rt.pos.site()
    except Exception:
        return None


def need_session(request: Request) -> Session | RedirectResponse:
    session = session_of(request)
    if session is None:
        return RedirectResponse("/", status_code=303)
    return session


def form_change(
    request: Request,
    form: dict[str, Any],
    action: Callable[[Session], dict[str, Any]],
    go: str | Callable[[dict[str, Any]], str],
    back: str,
) -> Response:
    """A screen's change: logged in, CSRF token, Idempotency-Key (header or ``idem`` field), run once."""
    session = session_of(request)
    if session is None:
        error = HttpError(401, "session", "UNAUTHENTICATED", "your session ended: log in again")
        return answer_page(request, error.status, error.body, "/", "/")
    try:
        check_csrf(request, session, form.get("csrf"))
    except HttpError as error:
        return answer_page(request, error.status, error.body, back, back)
    key = request.headers.get("idempotency-key") or form.get("idem")
    status, body = run_change(request, session, key, lambda: action(session))
    return answer_page(request, status, body, go, back)


async def form_of(request: Request) -> dict[str, Any]:
    """The posted form: single values, and lists for repeated names ending in ``[]``."""
    data = await request.form()
    result: dict[str, Any] = {}
    for name in data:
        values = [v for v in data.getlist(name) if isinstance(v, str)]
        result[name] = values if name.endswith("[]") else (values[-1] if values else "")
    return result
