"""``sce fdm1``: run the SCE 1.0 emulator on a pty, serial port or TCP, and talk to any FDM as a POS would."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from sce.fiscal.errors import FiscalError
from sce.fiscal.v1.driver import FdmV1Driver, SequenceStore, open_port
from sce.fiscal.v1.emulator import FdmEmulator
from sce.fiscal.v1.emulator_store import DeviceIdentity, EmulatorStore
from sce.fiscal.v1.faults import FaultPlan, FaultSpecError, parse_fault
from sce.fiscal.v1.link import EmulatorLink
from sce.fiscal.v1.messages import IdentificationReply, PinReply, StatusReply
from sce.fiscal.v1.streams import ByteStream, PacedStream, PseudoTerminal, SerialStream, SocketStream
from sce.fiscal.v1.vsc import CardIdentity

app = typer.Typer(no_args_is_help=True)

DEFAULT_FDM_ID = "RET02000123"
DEFAULT_PIN = "12345"


def _fail(message: str, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def new_device(
    fdm_id: str = DEFAULT_FDM_ID,
    pin: str = DEFAULT_PIN,
    vsc_id: str | None = None,
    capacity: int = 1_000_000,
    firmware: str = "SCE-EMU 1.0",
) -> DeviceIdentity:
    return DeviceIdentity(fdm_id, firmware, "1", capacity, CardIdentity.generate(vsc_id=vsc_id, pin=pin))


@app.command()
def init(
    state: Annotated[Path, typer.Option(help="State directory to create.")],
    fdm_id: Annotated[str, typer.Option(help="FDM production number (11 characters).")] = DEFAULT_FDM_ID,
    pin: Annotated[str, typer.Option(help="PIN of the new VAT Signing Card (5 digits).")] = DEFAULT_PIN,
    vsc_id: Annotated[str | None, typer.Option(help="VSC id NNNNNNNNNN-NNN (random when omitted).")] = None,
    capacity: Annotated[int, typer.Option(help="Memory capacity in H records.")] = 1_000_000,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create an emulated FDM with a new VAT Signing Card in STATE."""
    try:
        store = EmulatorStore.create(state, new_device(fdm_id, pin, vsc_id, capacity))
    except (ValueError, FileExistsError) as exc:
        _fail(str(exc), as_json)
        return
    card = store.device.card
    info = {
        "ok": True,
        "state": str(state),
        "fdm_id": store.device.fdm_id,
        "vsc_id": card.vsc_id,
        "pin": card.pin,
        "puk": card.puk,
    }
    store.close()
    typer.echo(json.dumps(info) if as_json else "\n".join(f"{k}: {v}" for k, v in info.items() if k != "ok"))


def _open_stream(pty: bool, device: str | None, tcp: str | None) -> tuple[str, Any]:
    chosen = sum((pty, device is not None, tcp is not None))
    if chosen != 1:
        raise typer.BadParameter("choose exactly one of --pty, --device PATH or --tcp HOST:PORT")
    if pty:
        terminal = PseudoTerminal()
        return terminal.path, terminal
    if device is not None:
        return device, SerialStream.open(device)
    assert tcp is not None
    match = re.fullmatch(r"(?:socket://)?([^:]+):(\d+)", tcp)
    if not match:
        raise typer.BadParameter("--tcp must be HOST:PORT")
    server = socket.create_server((match[1], int(match[2])))
    host, port = server.getsockname()[:2]
    return f"socket://{host}:{port}", server


@app.command()
def emulate(
    pty: Annotated[bool, typer.Option("--pty", help="Serve on a new pseudo-terminal.")] = False,
    device: Annotated[
        str | None, typer.Option(help="Serve on a real serial port (e.g. /dev/ttyUSB0).")
    ] = None,
    tcp: Annotated[
        str | None, typer.Option(help="Serve on TCP HOST:PORT (POS side: socket://HOST:PORT).")
    ] = None,
    state: Annotated[Path | None, typer.Option(help="State directory (created when new).")] = None,
    pin: Annotated[str, typer.Option(help="PIN of the card when the state directory is new.")] = DEFAULT_PIN,
    fdm_id: Annotated[str, typer.Option(help="FDM production number when new.")] = DEFAULT_FDM_ID,
    capacity: Annotated[int, typer.Option(help="Memory capacity in H records when new.")] = 1_000_000,
    baud_sim: Annotated[
        int | None, typer.Option(help="Pace replies like a real line at this baud rate.")
    ] = None,
    fault: Annotated[
        list[str] | None, typer.Option(help="Fault to inject, KIND[=ARG][@ID][*COUNT]; repeatable.")
    ] = None,
    fsync: Annotated[bool, typer.Option(help="Flush every journal record to disk before answering.")] = True,
    unlocked: Annotated[bool, typer.Option(help="Start with the card unlocked (testing only).")] = False,
) -> None:
    """Run a software FDM + VSC. The first line printed is ``FDM v1 emulator listening on <path>``."""
    if state is None:
        state = Path(tempfile.mkdtemp(prefix="sce-fdm1-"))
    try:
        store = EmulatorStore.open_or_create(
            state, lambda: new_device(fdm_id, pin, None, capacity), fsync=fsync
        )
        plan = FaultPlan()
        emulator = FdmEmulator(store)
        link_faults = []
        for spec in fault or []:
            link_faults.append(parse_fault(spec))
    except (ValueError, FaultSpecError) as exc:
        _fail(str(exc), False)
        return
    if unlocked:
        emulator.pin.enter(emulator.card, emulator.card.pin)
    path, endpoint = _open_stream(pty, device, tcp)
    typer.echo(f"FDM v1 emulator listening on {path}")
    typer.echo(f"state {state}  FDM {store.device.fdm_id}  VSC {store.device.card.vsc_id}")
    sys.stdout.flush()
    stop = threading.Event()

    def _stop(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    def make_link(stream: ByteStream) -> EmulatorLink:
        wire: ByteStream = PacedStream(stream, baud_sim) if baud_sim else stream
        link = EmulatorLink(emulator, wire, faults=plan)
        for item in link_faults:
            link.add_fault(str(item))
        link_faults.clear()
        return link

    try:
        if isinstance(endpoint, socket.socket):
            endpoint.settimeout(0.5)
            while not stop.is_set():
                try:
                    conn, _ = endpoint.accept()
                except TimeoutError:
                    continue
                make_link(SocketStream(conn)).serve_forever(stop)
                conn.close()
        else:
            make_link(endpoint).serve_forever(stop)
    finally:
        store.close()


FAULT_HELP = (
    "KIND[=ARG][@ID][*COUNT], e.g. drop-reply@H or pull-vsc; also unblock=PUK and clock-offset=SECONDS."
)


@app.command("fault")
def post_fault(
    spec: Annotated[str, typer.Argument(help=FAULT_HELP)],
    state: Annotated[Path, typer.Option(help="State directory of the running emulator.")],
) -> None:
    """Inject a fault into a running emulator (picked up at its next request)."""
    if spec.startswith("clock-offset="):
        try:
            float(spec.partition("=")[2])
        except ValueError:
            _fail("clock-offset takes a number of seconds, e.g. clock-offset=-3600", False)
    elif not spec.startswith("unblock="):
        try:
            parse_fault(spec)
        except FaultSpecError as exc:
            _fail(str(exc), False)
    if not (state / "device.json").exists():
        _fail(f"{state} is not an emulator state directory", False)
    EmulatorStore.post_fault_to(state, spec)
    typer.echo(f"queued {spec}")


@app.command("export-keys")
def export_keys(
    state: Annotated[Path, typer.Option(help="State directory of the emulator.")],
) -> None:
    """Print what a verifier needs to recompute the emulator's signatures (JSON)."""
    device = DeviceIdentity.from_json(json.loads((state / "device.json").read_text(encoding="utf-8")))
    typer.echo(
        json.dumps(
            {"format": "sce-fdm1-card-keys/1", "cards": [device.card.verifier_export(device.fdm_id)]},
            indent=1,
        )
    )


def _driver(port: str, seq_file: Path | None) -> FdmV1Driver:
    if seq_file is None:
        base = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "sce" / "fdm1-seq"
        seq_file = base / re.sub(r"[^A-Za-z0-9_.-]", "_", port)
    return FdmV1Driver(open_port(port), sequences=SequenceStore(seq_file))


def _describe(reply: StatusReply | IdentificationReply | PinReply) -> dict[str, Any]:
    head = reply.header
    data: dict[str, Any] = {
        "ok": True,
        "fdm_id": head.fdm_id.strip(),
        "error": str(head.error),
        "condition": head.error.code.description,
        "sequence": head.sequence,
    }
    if isinstance(reply, IdentificationReply):
        data.update(
            firmware=reply.firmware_version.strip(),
            protocol_version=reply.protocol_version,
            vsc_id=reply.vsc_id.strip(),
            vsc_version=reply.vsc_version,
        )
    if isinstance(reply, PinReply):
        data["vsc_id"] = reply.vsc_id.strip()
    return data


def _print(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(data))
    else:
        for key, value in data.items():
            if key != "ok":
                typer.echo(f"{key}: {value}")


PortArg = Annotated[
    str, typer.Argument(help="Serial device or pyserial URL (/dev/ttyUSB0, socket://host:port).")
]
SeqOpt = Annotated[Path | None, typer.Option(help="File keeping the last sequence number.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _ask(
    port: str,
    seq_file: Path | None,
    as_json: bool,
    question: Callable[[FdmV1Driver], StatusReply | IdentificationReply | PinReply],
) -> None:
    """Open the port, ask one question, print the answer; errors become a clear message and exit 2."""
    try:
        driver = _driver(port, seq_file)
        try:
            _print(_describe(question(driver)), as_json)
        finally:
            driver.close()
    except (FiscalError, OSError) as exc:
        _fail(str(exc), as_json)


@app.command()
def status(port: PortArg, seq_file: SeqOpt = None, as_json: JsonOpt = False) -> None:
    """Ask an FDM for its status (S)."""
    _ask(port, seq_file, as_json, FdmV1Driver.status)


@app.command()
def identify(port: PortArg, seq_file: SeqOpt = None, as_json: JsonOpt = False) -> None:
    """Ask an FDM for its identification (I): firmware, protocol, VSC."""
    _ask(port, seq_file, as_json, FdmV1Driver.identify)


@app.command()
def pin(
    port: PortArg,
    code: Annotated[str, typer.Argument(metavar="PIN", help="The 5-digit PIN of the VAT Signing Card.")],
    seq_file: SeqOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Unlock the VAT Signing Card: asks the status first and sends the PIN only when the FDM wants it."""

    def unlock(driver: FdmV1Driver) -> PinReply:
        driver.status()
        return driver.enter_pin(code)

    _ask(port, seq_file, as_json, unlock)
