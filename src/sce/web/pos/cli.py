"""``sce serve``: the restaurant's POS web server (touch POS, kitchen display, back office, API)."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from sce.domain.errors import DomainError
from sce.eservice.pairing_client import PairingUnavailableError, fetch_pairing
from sce.pos.fdm_setup import EMULATOR_PIN
from sce.tickets.mail import SmtpSettings
from sce.web.pos import demo as demo_module
from sce.web.pos.app import create_app
from sce.web.pos.runtime import FdmChoice, Runtime, open_runtime
from sce.web.pos.ticket_mail import PASSWORD_VARIABLE as SMTP_PASSWORD
from sce.web.pos.ticket_mail import USER_VARIABLE as SMTP_USER
from sce.web.pos.ticket_mail import smtp_settings

app = typer.Typer(help="The restaurant POS in the browser.")


def prepare(
    *,
    demo: bool,
    db: str | None,
    fdm: str | None,
    state: Path | None,
    history_days: int = 2,
    fdm_keys: Sequence[Path] = (),
    smtp: SmtpSettings | None = None,
) -> Runtime:
    """Open the database and the FDM (and, for the demo, seed the restaurant and its history)."""
    state_dir = state or (Path(tempfile.mkdtemp(prefix="sce-demo-")) if demo else Path("sce-state"))
    choice = FdmChoice.parse(fdm or ("emulator-v1" if demo else ""))
    url = db or f"sqlite:///{state_dir / 'pos.db'}"
    clock = demo_module.DemoClock() if demo else None
    rt = open_runtime(
        url,
        choice,
        state_dir,
        demo=demo,
        clock=clock,
        seed=demo_module.seed if demo else None,
        fdm_keys=fdm_keys,
        smtp=smtp,
    )
    rt.start(pin=EMULATOR_PIN if demo and choice.kind == "emulator-v1" else None)
    if demo and clock is not None and history_days > 0:
        with rt.pos.store.tx() as tx:
            fresh = tx.peek_number("ticket") == 0
        if fresh:
            demo_module.make_history(rt.pos, clock, history_days)
            rt.kitchen.load()
    return rt


PASSWORD_VARIABLE = "SCE_ESERVICE_PASSWORD"


def check_pairing_at_start(rt: Runtime, url: str, username: str, password: str) -> str:
    """Ask the e-service which FDM this POS is linked to and refuse selling through any other."""
    pos_serial = rt.pos.site().pos_id
    try:
        record = fetch_pairing(url, username, password, pos_serial)
    except PairingUnavailableError as error:
        rt.pos.pairing_refusal = f"the pairing of POS {pos_serial} could not be checked ({error})"
        return f"pairing: NOT checked, selling refused: {error}"
    rt.pos.check_pairing(record.fdm_serial if record else None, active=record.active if record else False)
    if rt.pos.pairing_refusal:
        return f"pairing: {rt.pos.pairing_refusal}; selling refused"
    return f"pairing: POS {pos_serial} and FDM {record.fdm_serial if record else '-'} as registered"


@app.command()
def serve(
    demo: Annotated[
        bool, typer.Option(help="Demo restaurant on SQLite with an embedded FDM emulator.")
    ] = False,
    db: Annotated[
        str | None, typer.Option(help="Database URL (sqlite:///path.db or postgresql+psycopg://...).")
    ] = None,
    fdm: Annotated[
        str | None,
        typer.Option(help="emulator-v1 (demo default), emulator-v2, serial:PORT or an SCE 2.0 URL."),
    ] = None,
    state: Annotated[Path | None, typer.Option(help="State directory (temporary for the demo).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    history_days: Annotated[int, typer.Option(help="Days of demo history.", hidden=True)] = 2,
    fdm_keys: Annotated[
        list[Path] | None,
        typer.Option(
            help="Key file of the FDM (keys.json, sce fdm1 export-keys output, or {fdm_id, public_key_pem} "
            "of a real SCE 2.0 FDM's certificate), recorded for the inspector's export. Repeatable."
        ),
    ] = None,
    eservice_url: Annotated[
        str | None,
        typer.Option(help="E-service to check at start-up that the FDM found is the one linked to this POS."),
    ] = None,
    eservice_user: Annotated[
        str, typer.Option(help="Operator account in the e-service (password in $SCE_ESERVICE_PASSWORD).")
    ] = "",
    smtp: Annotated[
        str | None,
        typer.Option(
            help=f"Mail server HOST[:PORT] for tickets customers ask by e-mail (SCE 2.0); login in "
            f"${SMTP_USER} / ${SMTP_PASSWORD}."
        ),
    ] = None,
    smtp_from: Annotated[str, typer.Option(help="Sender address of the e-mailed tickets.")] = "",
    smtp_starttls: Annotated[
        bool, typer.Option(help="Upgrade the mail connection with STARTTLS (verified certificate).")
    ] = False,
) -> None:
    """Serve the POS: login at http://HOST:PORT/, API at /api/v1 (OpenAPI at /api/v1/openapi.json)."""
    logging.basicConfig(level=logging.WARNING)
    try:
        mail = smtp_settings(smtp, smtp_from, starttls=smtp_starttls) if smtp else None
        rt = prepare(
            demo=demo,
            db=db,
            fdm=fdm,
            state=state,
            history_days=history_days,
            fdm_keys=fdm_keys or (),
            smtp=mail,
        )
    except DomainError as error:
        typer.echo(f"cannot start: {error}", err=True)
        raise typer.Exit(2) from None
    if eservice_url:
        typer.echo(
            check_pairing_at_start(rt, eservice_url, eservice_user, os.environ.get(PASSWORD_VARIABLE, ""))
        )
    typer.echo(f"SCE POS ({rt.connected.description}), state in {rt.state}")
    if rt.mail is not None:
        typer.echo(f"E-mailed tickets through {rt.mail.status().server} from {rt.mail.settings.sender}")
    if demo:
        typer.echo("Demo staff (PIN):")
        for _employee_id, alias, role, pin in demo_module.PINS:
            typer.echo(f"  {alias:<12} {role:<11} {pin}")
    typer.echo(f"Open http://{host}:{port}/  (API: http://{host}:{port}/api/v1/docs)")
    try:
        uvicorn.run(
            create_app(rt, extras=True),
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=2,
        )
    finally:
        rt.close()
