"""The application factory: screens, kitchen display, back office, JSON API, live events, static files,
security headers; the obligation pages and the e-service are mounted when asked and importable."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sce.audit.web import inspector_router
from sce.web.pos import (
    api,
    live,
    pages_auth,
    pages_cash,
    pages_floor,
    pages_kitchen,
    pages_office,
    pages_pay,
    pages_tickets,
)
from sce.web.pos import security as sec
from sce.web.pos.errors import HttpError
from sce.web.pos.guard import authenticate
from sce.web.pos.runtime import Runtime
from sce.web.pos.security import Session

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
#: Mounted applications keep their own page policy.
OWN_PAGES = ("/static", "/api/v1", "/pos", "/office", "/kitchen", "/events", "/login", "/clock", "/logout")


class SecurityHeaders:
    """Adds the security headers to every answer, and the content security policy to this app's pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        own = path == "/" or path.startswith(OWN_PAGES)

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _value in headers}
                for name, value in sec.SECURITY_HEADERS.items():
                    if name.lower().encode() not in names:
                        headers.append((name.encode(), value.encode()))
                if own and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", sec.CSP.encode()))
                if own and path != "/static" and not path.startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, wrapped)


def inspector_session(request: Request) -> Session:
    """The inspector's read-only view: the inspector role only (its export holds the FDM key data)."""
    session = authenticate(request)
    if session.role != "inspector":
        raise HttpError(403, "role", "FORBIDDEN", f"a {session.role} may not use the inspector's view")
    return session


def create_app(rt: Runtime, *, extras: bool = False, eservice_state: Path | None = None) -> FastAPI:
    app = FastAPI(
        title="SCE restaurant POS API",
        version="1.0.0",
        description=api.__doc__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.runtime = rt

    @app.exception_handler(HttpError)
    async def http_error(_request: Request, error: HttpError) -> JSONResponse:
        return JSONResponse(error.body, status_code=error.status)

    app.include_router(api.build())
    for module in (
        pages_auth,
        pages_floor,
        pages_pay,
        pages_tickets,
        pages_cash,
        pages_kitchen,
        pages_office,
    ):
        app.include_router(module.router)
    app.include_router(live.router(rt.bus, authenticate))
    app.include_router(
        inspector_router(rt.engine, dependencies=[Depends(inspector_session)]), prefix="/inspector"
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if extras:
        _mount_extras(app, eservice_state or rt.state / "eservice")

    def openapi() -> dict[str, Any]:
        """Only the versioned API (mounted pages and other apps keep their own documents)."""
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            spec["paths"] = {p: v for p, v in spec.get("paths", {}).items() if p.startswith("/api/v1")}
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(SecurityHeaders)
    return app


def _mount_extras(app: FastAPI, eservice_state: Path) -> None:
    try:
        from sce.web.obligation_pages import router as obligation_router  # noqa: PLC0415 - optional

        app.include_router(obligation_router)
    except Exception:  # a colleague's module being finished: the POS runs without it
        log.warning("obligation pages not mounted", exc_info=True)
    try:
        from sce.eservice.app import install  # noqa: PLC0415 - optional
        from sce.eservice.context import EserviceSettings  # noqa: PLC0415 - optional

        install(app, EserviceSettings(db_url=f"sqlite:///{eservice_state}.sqlite3", state_dir=eservice_state))
    except Exception:
        log.warning("e-service not mounted", exc_info=True)
