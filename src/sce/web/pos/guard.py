"""What every request goes through: the runtime, the session (cookie or bearer token), the CSRF check,
and the exactly-once run of a change under its Idempotency-Key, answered as JSON or as a page redirect."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sce.db.store import on_behalf_of
from sce.domain.errors import DomainError
from sce.pos.errors import FiscalBlockedError
from sce.web.pos import i18n
from sce.web.pos import security as sec
from sce.web.pos.errors import HANDLED, HttpError, localized, to_http
from sce.web.pos.idempotency import check_key
from sce.web.pos.runtime import Runtime
from sce.web.pos.security import Session

log = logging.getLogger(__name__)
ANONYMOUS = "anonymous"


def runtime(request: Request) -> Runtime:
    found = request.app.state.runtime
    assert isinstance(found, Runtime)
    return found


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def session_of(request: Request) -> Session | None:
    rt = runtime(request)
    token = bearer(request)
    if token is not None:
        return rt.sessions.get(token)
    return rt.sessions.get(request.cookies.get(sec.SESSION_COOKIE))


def authenticate(request: Request) -> Session:
    session = session_of(request)
    if session is None:
        raise HttpError(401, "session", "UNAUTHENTICATED", "log in with your PIN or badge first")
    return session


def check_csrf(request: Request, session: Session | None, form_token: str | None = None) -> None:
    """A browser change carries the session's CSRF token (header or form field); bearer clients need none."""
    if bearer(request) is not None:
        return
    given = (request.headers.get("x-csrf-token"), form_token)
    expected = request.cookies.get(sec.LOGIN_CSRF_COOKIE, "") if session is None else session.csrf
    if not expected or not any(sec.same_token(expected, token) for token in given):
        raise HttpError(403, "csrf", "CSRF", "the page expired: reload it and try again")


def is_fetch(request: Request) -> bool:
    return request.headers.get("x-sce-fetch") == "1"


def run_change(
    request: Request,
    session: Session | None,
    key: str | None,
    action: Callable[[], dict[str, Any]],
    *,
    who: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """Run ``action`` at most once for ``key``; the answer of a repeat is the first one's."""
    rt = runtime(request)
    try:
        key = check_key(key)
    except DomainError as error:
        raised = to_http(error)
        return 428, raised.body
    employee = who or (session.employee_id if session else ANONYMOUS)
    stored = rt.idempotency.claim(key, employee, request.method, request.url.path)
    if stored is not None:
        return stored.status_code, {**stored.body, "replayed": True}
    try:
        with on_behalf_of(key):
            body = action()
        status = 200
    except HANDLED as error:
        raised = to_http(error)
        status, body = raised.status, raised.body
        if isinstance(error, FiscalBlockedError):
            rt.last_error = error.message
    except Exception:
        rt.idempotency.release(key)
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        raise
    if status >= 500:
        rt.idempotency.release(key)
    else:
        rt.idempotency.complete(key, status, body)
    return status, body


def answer_json(status: int, body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def answer_page(
    request: Request, status: int, body: dict[str, Any], go: str | Callable[[dict[str, Any]], str], back: str
) -> Response:
    """A form's answer: JSON for the page script, or a redirect / error page without it."""
    if status < 400:
        # a request carried out before a restart has no answer of its own: show where it happened
        target = back if body.get("recovered") else go(body) if callable(go) else go
        body = {**body, "go": target}
        if is_fetch(request):
            return JSONResponse(body, status_code=status)
        return RedirectResponse(target, status_code=303)
    lang = i18n.language(request, runtime(request))
    body = localized(body, lambda message: i18n.gettext(lang, message))
    if is_fetch(request):
        return JSONResponse(body, status_code=status)
    from sce.web.pos.pages import render  # noqa: PLC0415 - pages imports this module

    return render(request, "error.html", {"error": body.get("error", {}), "back": back}, status=status)
