"""``sce fdm2``: run the FDM 2.0 emulator, query an FDM's status, and switch the emulator's faults."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from sce.fiscal.errors import FiscalError
from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.buffer import DEFAULT_CAPACITY
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.emulator import EmulatorApp
from sce.fiscal.v2.faults import Faults
from sce.fiscal.v2.fdm import DEFAULT_FDM_ID, Fdm, FdmConfig
from sce.fiscal.v2.serving import bind, make_server, url_of

SECRET_FILE = "pos-secret"

app = typer.Typer(help="SCE 2.0 GraphQL FDM: emulator, status and fault injection.", no_args_is_help=True)

AuthOption = Annotated[AuthMode, typer.Option("--auth", help="How the POS authenticates (Decision k).")]
SecretOption = Annotated[
    str,
    typer.Option(
        "--secret", help="Shared secret (fdm-sha1) or token (bearer); emulate: else state/pos-secret."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """``key=value`` pairs; values are read as JSON when they parse (``true``, ``75``, ``["X"]``)."""
    changes: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r}: expected KEY=VALUE")
        key = key.strip().replace("-", "_")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        if key == "warning_codes" and isinstance(value, str):
            value = [code for code in value.split(",") if code]
        changes[key] = value
    return changes


def pos_secret(state: Path) -> str:
    """The POS secret kept in the state directory (``pos-secret``), created at random on first use."""
    path = state / SECRET_FILE
    if not path.exists():
        state.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24) + "\n", encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


@app.command()
def emulate(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (0 = any free port).")] = 8410,
    state: Annotated[Path, typer.Option(help="State directory (events, counters, key pair).")] = Path(
        "fdm2-state"
    ),
    auth: AuthOption = AuthMode.FDM_SHA1,
    secret: SecretOption = "",
    allow_pos: Annotated[
        list[str] | None, typer.Option("--allow-pos", help="Accepted posId (repeatable); else the FPS list.")
    ] = None,
    fps: Annotated[
        str | None, typer.Option(help="Base URL of the FPS stand-in (uploads, first boot).")
    ] = None,
    verification_base_url: Annotated[
        str | None, typer.Option(help="Base of verificationUrl (default: the FPS stand-in's /verify).")
    ] = None,
    buffer_capacity: Annotated[
        int, typer.Option(help="Upload buffer capacity in events.")
    ] = DEFAULT_CAPACITY,
    fdm_id: Annotated[str, typer.Option(help="FDM production number.")] = DEFAULT_FDM_ID,
    training_label_social: Annotated[
        str, typer.Option(help="Label of training work in/out: T (default) or S.")
    ] = "T",
    strict_financials: Annotated[
        bool, typer.Option(help="Refuse a sale whose PAYMENT + ROUNDING lines differ from its total.")
    ] = False,
    vat_no: Annotated[str | None, typer.Option(help="VAT number registered in the FDM.")] = None,
    est_no: Annotated[str | None, typer.Option(help="Establishment number registered in the FDM.")] = None,
    fault: Annotated[
        list[str] | None,
        typer.Option("--fault", help="Initial fault KEY=VALUE (repeatable), e.g. locked=true."),
    ] = None,
    ssl_certfile: Annotated[str | None, typer.Option(help="Serve HTTPS with this certificate (PEM).")] = None,
    ssl_keyfile: Annotated[str | None, typer.Option(help="Private key of --ssl-certfile (PEM).")] = None,
) -> None:
    """Run the FDM 2.0 emulator; prints its GraphQL address on the first line."""
    if training_label_social not in ("T", "S"):
        raise typer.BadParameter("--training-label-social must be T or S")
    given = bool(secret)
    if auth is not AuthMode.NONE and not secret:
        secret = pos_secret(state)
    faults = Faults()
    try:
        faults.update(parse_assignments(fault or []))
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    config = FdmConfig(
        state=state,
        fdm_id=fdm_id,
        fps_url=fps,
        verification_base_url=verification_base_url,
        allow_pos=list(allow_pos or []),
        buffer_capacity=buffer_capacity,
        training_label_social=training_label_social,
        strict_financials=strict_financials,
        vat_no=vat_no,
        est_no=est_no,
    )
    fdm = Fdm(config, faults)
    fdm.apply_faults({})
    sock = bind(host, port)
    server = make_server(EmulatorApp(fdm, auth, secret), ssl_certfile, ssl_keyfile)
    fdm.start()
    scheme = "https" if ssl_certfile else "http"
    typer.echo(f"FDM v2 emulator listening on {url_of(sock, '/graphql', scheme)}")
    where = f" (secret in {state.resolve() / SECRET_FILE})" if auth is not AuthMode.NONE and not given else ""
    typer.echo(f"state {state.resolve()} fdmId {fdm_id} auth {auth.value}{where}")
    try:
        server.run(sockets=[sock])
    finally:
        fdm.close()


@app.command()
def status(
    url: Annotated[str, typer.Argument(help="The FDM's GraphQL address.")],
    auth: AuthOption = AuthMode.NONE,
    secret: SecretOption = "",
    language: Annotated[str, typer.Option(help="NL, FR or DE.")] = "NL",
    as_json: JsonOption = False,
) -> None:
    """Ask an FDM for its status (reachability, buffer, warnings and errors)."""
    try:
        with FdmClient(url, auth=auth, secret=secret, retries=0, language=language) as client:
            answer = client.status(language)
    except FiscalError as error:
        typer.echo(
            json.dumps({"error": type(error).__name__, "message": str(error)}) if as_json else str(error)
        )
        raise typer.Exit(1) from error
    if as_json:
        typer.echo(json.dumps(answer, ensure_ascii=False))
        return
    device = answer.get("device") or {}
    typer.echo(f"FDM {device.get('fdmId')} {device.get('fdmSwVersion')} clock {device.get('fdmDateTime')}")
    typer.echo(f"buffer {device.get('bufferCapacityUsed')} %")
    for kind in ("errors", "warnings", "informations"):
        for message in answer.get(kind) or []:
            typer.echo(f"{kind[:-1]}: {message['extensions']['code']}: {message['message']}")


@app.command()
def fault(
    url: Annotated[str, typer.Argument(help="The emulator's GraphQL address (or its base URL).")],
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="KEY=VALUE, repeatable. Keys: unreachable, slow_ms, fps_down, buffer_fill, locked, "
            "not_operational, certificate (ok|expiring|expired), error_code, warning_codes (comma list).",
        ),
    ] = None,
    clear: Annotated[bool, typer.Option(help="Switch every fault off first.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show or change the emulator's fault settings."""
    base = url.removesuffix("/").removesuffix("/graphql")
    changes = parse_assignments(set_ or [])
    if clear:
        changes["clear"] = True
    try:
        if changes:
            answer = httpx.post(f"{base}/_emulator/faults", json=changes, timeout=5)
        else:
            answer = httpx.get(f"{base}/_emulator/faults", timeout=5)
    except httpx.HTTPError as error:
        typer.echo(f"emulator unreachable: {error!r}", err=True)
        raise typer.Exit(1) from error
    if answer.status_code != 200:
        typer.echo(answer.json().get("error", answer.text), err=True)
        raise typer.Exit(2)
    faults = answer.json()
    if as_json:
        typer.echo(json.dumps(faults))
    else:
        for key, value in faults.items():
            typer.echo(f"{key}: {json.dumps(value)}")
