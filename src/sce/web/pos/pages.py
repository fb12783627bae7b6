"""Shared by the screen routers: templates, the page context (user, terminal, training, FDM state) and
the handling of a form post (session, CSRF, Idempotency-Key, exactly-once run, redirect or JSON)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sce.web.pos import i18n
from sce.web.pos.errors import HttpError
from sce.web.pos.guard import answer_page, check_csrf, run_change, runtime, session_of
from sce.web.pos.security import Session


def lang_of(request: Request) -> i18n.Lang:
    """The language of the screens for this request (see :func:`sce.web.pos.i18n.language`)."""
    return i18n.language(request, runtime(request))


def translate(request: Request, message: str) -> str:
    """A message of the ``pos`` catalogue in the language of the request."""
    return i18n.gettext(lang_of(request), message)


def _lang_links(request: Request) -> list[dict[str, str]]:
    """The language switch: the same page (and its query) with ``?lang=`` for each language."""
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    return [
        {
            "code": code,
            "name": i18n.NAMES[code],
            "href": f"{request.url.path}?{urlencode({**params, 'lang': code})}",
        }
        for code in i18n.LANGUAGES
    ]


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    rt = runtime(request)
    lang = i18n.language(request, rt)
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
        "lang": lang,
        "languages": _lang_links(request),
        **context,
    }
    html = i18n.environment(lang).get_template(name).render(page)
    response = HTMLResponse(html, status_code=status)
    if i18n.chosen(request) is not None:
        i18n.remember(response, lang)
    return response


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
