"""The e-service application: :func:`install` puts the API, the pages and the FPS stand-in into an app;
:func:`create_app` builds a stand-alone one (``sce eservice serve``)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from sce.eservice import fdm2
from sce.eservice.api import router as api_router
from sce.eservice.context import Context, EserviceSettings
from sce.eservice.db import make_engine
from sce.eservice.pages import router as pages_router
from sce.fps.app import FpsConfig
from sce.fps.app import create_app as create_fps_app
from sce.web.obligation_pages import router as obligation_router

__all__ = ["EserviceSettings", "create_app", "install", "router"]

router = api_router


def install(app: FastAPI, settings: EserviceSettings) -> Context:
    """Mount the e-service (``/eservice``) and its FPS stand-in (``/fps``) in ``app``."""
    engine = make_engine(settings.db_url)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    context = Context(settings, engine)
    app.state.eservice = context
    app.include_router(api_router)
    app.include_router(pages_router)
    fps = create_fps_app(
        FpsConfig(
            state=settings.state_dir / "fps",
            first_boot_source=lambda fdm_id: fdm2.boot_data(engine, fdm_id),
        )
    )
    app.mount("/fps", fps)
    return context


def create_app(settings: EserviceSettings | None = None, *, with_obligation_pages: bool = True) -> FastAPI:
    app = FastAPI(title="SCE registration e-service", docs_url=None, redoc_url=None)
    install(app, settings or EserviceSettings())
    if with_obligation_pages:
        app.include_router(obligation_router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/eservice/")

    return app
