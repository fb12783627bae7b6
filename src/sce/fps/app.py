"""The FPS stand-in as a FastAPI app: first-boot data, event upload, and the ticket verification page.

Routes: ``POST /fdm/{fdmId}/first-boot`` (registers the FDM's public key, answers VAT rates, footer,
POS allow-list and notices), ``POST /fdm/{fdmId}/events`` (acknowledges or rejects each event),
``GET /fdm/{fdmId}/events`` (what was received, in order), ``GET /verify/{fdmId}/{eventCounter}/
{totalCounter}/{shortSignature}`` (HTML, or JSON with ``?format=json``) and ``POST /admin/availability``
(``{"up": false}`` makes uploads fail with 503, to stand for an FPS outage).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from sce.fiscal.v2.signing import verify
from sce.fiscal.v2.vat import DEFAULT_RATES
from sce.fps.receiver import RejectedEventError, check_event
from sce.fps.store import FpsStore

_TEMPLATES = Environment(loader=PackageLoader("sce.fps", "templates"), autoescape=select_autoescape())


@dataclass(slots=True)
class FpsConfig:
    state: Path
    footer: list[str] = field(default_factory=list)
    pos_allow_list: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    vat_rates: dict[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_RATES))
    # Per-FDM first-boot data from the registration e-service (allow-list, footer, certificate...);
    # None from it refuses the first boot of an FDM that is not registered and linked there.
    first_boot_source: Callable[[str], dict[str, Any] | None] | None = None


@dataclass(slots=True)
class Verdict:
    """What a scan of a ticket's QR code tells: genuine or not, and what the FPS received for it."""

    genuine: bool
    reason: str
    event: dict[str, Any] | None = None
    data: dict[str, Any] | None = None


def verdict(store: FpsStore, fdm_id: str, event_counter: int, total_counter: int, short: str) -> Verdict:
    event = store.find(fdm_id, total_counter)
    if event is None:
        return Verdict(False, "unknown")
    if event.event_counter != event_counter or event.short_signature != short.upper():
        return Verdict(False, "mismatch")
    key = store.public_key(fdm_id)
    if key is None or not verify(key, event.message.encode("utf-8"), event.signature):
        return Verdict(False, "bad_signature")
    signed = json.loads(event.message)
    return Verdict(True, "genuine", event.as_json(), signed.get("data"))


def create_app(config: FpsConfig) -> FastAPI:
    config.state.mkdir(parents=True, exist_ok=True)
    store = FpsStore(config.state / "fps.sqlite3")
    app = FastAPI(title="FPS stand-in", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.up = True

    @app.post("/fdm/{fdm_id}/first-boot")
    def first_boot(fdm_id: str, body: dict[str, Any] = Body(...)) -> JSONResponse:  # noqa: B008
        key = body.get("publicKey")
        if not isinstance(key, str) or "PUBLIC KEY" not in key:
            return JSONResponse({"error": "publicKey (PEM) required"}, status_code=400)
        known = store.public_key(fdm_id)
        if known is not None and known != key:
            return JSONResponse({"error": f"FDM {fdm_id} is registered with another key"}, status_code=409)
        registered: dict[str, Any] = {}
        if config.first_boot_source is not None:
            found = config.first_boot_source(fdm_id)
            if found is None:
                error = f"FDM {fdm_id} is not registered and linked to a POS in the e-service"
                return JSONResponse({"error": error}, status_code=403)
            registered = found
        store.register(fdm_id, key)
        return JSONResponse(
            {
                "fdmId": fdm_id,
                "vatRates": {label: str(rate) for label, rate in config.vat_rates.items()},
                "footer": config.footer,
                "posAllowList": config.pos_allow_list,
                "notices": config.notices,
                **registered,
            }
        )

    @app.post("/fdm/{fdm_id}/events")
    async def upload(fdm_id: str, request: Request) -> JSONResponse:
        if not app.state.up:
            return JSONResponse({"error": "FPS unavailable"}, status_code=503)
        try:
            packet = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"error": "the packet is not JSON"}, status_code=400)
        if not isinstance(packet, dict) or not isinstance(packet.get("events"), list) or not packet["events"]:
            return JSONResponse({"error": "a packet carries a non-empty list 'events'"}, status_code=400)
        key = store.public_key(fdm_id)
        if key is None:
            offered = packet.get("publicKey")
            if not isinstance(offered, str):
                return JSONResponse({"error": f"FDM {fdm_id} unknown: first boot needed"}, status_code=400)
            store.register(fdm_id, offered)
            key = offered
        acknowledged: list[int] = []
        rejected: list[dict[str, Any]] = []
        for record in packet["events"]:
            try:
                event = check_event(fdm_id, key, record)
            except RejectedEventError as error:
                counter = record.get("fdmRef", {}).get("totalCounter") if isinstance(record, dict) else None
                rejected.append({"totalCounter": counter, "reason": str(error)})
                continue
            store.add(event)
            acknowledged.append(event.total_counter)
        return JSONResponse(
            {
                "acknowledged": acknowledged,
                "rejected": [r["totalCounter"] for r in rejected if isinstance(r["totalCounter"], int)],
                "reasons": rejected,
            }
        )

    @app.get("/fdm/{fdm_id}/events")
    def received(fdm_id: str) -> JSONResponse:
        return JSONResponse([event.as_json() for event in store.events(fdm_id)])

    @app.post("/admin/availability")
    def availability(body: dict[str, Any] = Body(...)) -> JSONResponse:  # noqa: B008
        app.state.up = bool(body.get("up", True))
        return JSONResponse({"up": app.state.up})

    @app.get("/verify/{fdm_id}/{event_counter}/{total_counter}/{short}")
    def verify_ticket(
        fdm_id: str, event_counter: int, total_counter: int, short: str, format: str = "html"
    ) -> Response:
        found = verdict(store, fdm_id, event_counter, total_counter, short)
        status = 200 if found.genuine else 404
        if format == "json":
            return JSONResponse(
                {"genuine": found.genuine, "reason": found.reason, "event": found.event, "data": found.data},
                status_code=status,
            )
        page = _TEMPLATES.get_template("verify.html").render(
            verdict=found,
            fdm_id=fdm_id,
            event_counter=event_counter,
            total_counter=total_counter,
            short=short,
        )
        return HTMLResponse(page, status_code=status)

    return app
