"""Connecting the POS to its FDM: an embedded emulator (SCE 1.0 on a pty, SCE 2.0 on loopback HTTP) or a
real device (a serial port for 1.0, a URL for 2.0). Returns the port and a function that closes it all.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from sce.fiscal.port import FiscalModule
from sce.fiscal.v1.adapter import FdmV1Module, V1Settings
from sce.fiscal.v1.driver import DriverSettings, FdmV1Driver, SequenceStore, open_port
from sce.fiscal.v1.emulator import FdmEmulator
from sce.fiscal.v1.emulator_store import DeviceIdentity, EmulatorStore
from sce.fiscal.v1.link import EmulatorLink
from sce.fiscal.v1.streams import PseudoTerminal
from sce.fiscal.v1.vsc import CardIdentity
from sce.fiscal.v2.adapter import FdmV2Module, PosIdentity
from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.emulator import EmulatorApp
from sce.fiscal.v2.fdm import Fdm, FdmConfig
from sce.fiscal.v2.serving import ServerThread
from sce.pos.site import SiteConfig

EMULATOR_PIN = "12345"
EMULATOR_V1_ID = "RET02000123"


@dataclass
class Connected:
    """The FDM port in use and how to let go of it (and of an embedded emulator)."""

    module: FiscalModule
    close: Callable[[], None]
    description: str
    key_material: dict[str, str]
    #: Inject a fault into an embedded emulator (SCE 1.0: ``drop-reply@H*3``...; SCE 2.0: JSON settings).
    fault: Callable[[str], None] | None = None


def emulator_v1(state: Path, site: SiteConfig, *, settings: DriverSettings | None = None) -> Connected:
    """An SCE 1.0 emulator in this process behind a real pseudo-terminal, and the driver on it."""
    store = EmulatorStore.open_or_create(
        state / "fdm1",
        lambda: DeviceIdentity(
            EMULATOR_V1_ID, "SCE-EMU 1.0", "1", 10_000_000, CardIdentity.generate(pin=EMULATOR_PIN)
        ),
    )
    terminal = PseudoTerminal()
    stop = threading.Event()
    link = EmulatorLink(FdmEmulator(store), terminal)
    thread = threading.Thread(target=link.serve_forever, args=(stop,), name="fdm1-emulator", daemon=True)
    thread.start()
    connected = serial_v1(terminal.path, state, site, settings=settings)
    card = store.device.card
    inner_close = connected.close

    def close() -> None:
        inner_close()
        stop.set()
        thread.join(timeout=5)
        store.close()

    return Connected(
        connected.module,
        close,
        f"SCE 1.0 emulator {EMULATOR_V1_ID} on {terminal.path}",
        {"generation": "1", "fdm_id": EMULATOR_V1_ID, "vsc_id": card.vsc_id, "key_hex": card.key.hex()},
        lambda spec: EmulatorStore.post_fault_to(state / "fdm1", spec),
    )


def serial_v1(
    port: str, state: Path, site: SiteConfig, *, settings: DriverSettings | None = None
) -> Connected:
    """An SCE 1.0 FDM on a serial port (or pyserial URL such as ``socket://host:port``)."""
    driver = FdmV1Driver(
        open_port(port), settings=settings or DriverSettings(), sequences=SequenceStore(state / "pos.seq")
    )
    module = FdmV1Module(driver, V1Settings(site.pos_id, copies_enabled=site.copies_enabled))
    return Connected(module, driver.close, f"SCE 1.0 FDM on {port}", {})


def _identity(site: SiteConfig, terminal_id: str) -> PosIdentity:
    return PosIdentity(
        vat_no=site.vat_no,
        est_no=site.establishment_no,
        pos_id=site.pos_id,
        pos_sw_version=site.sw_version,
        device_id=terminal_id,
        terminal_id=terminal_id,
        booking_period_id="",
        language=site.language.value,
    )


def emulator_v2(state: Path, site: SiteConfig, terminal_id: str = "T1", *, timeout: float = 5.0) -> Connected:
    """An SCE 2.0 emulator served on loopback HTTP in this process, and the GraphQL client to it."""
    fdm = Fdm(FdmConfig(state=state / "fdm2", vat_no=site.vat_no, est_no=site.establishment_no))
    fdm.start()
    server = ServerThread(EmulatorApp(fdm, AuthMode.NONE, "")).start()
    connected = url_v2(server.url + "/graphql", site, terminal_id, timeout=timeout)
    inner_close = connected.close

    def close() -> None:
        inner_close()
        server.stop()
        fdm.close()

    return Connected(
        connected.module,
        close,
        f"SCE 2.0 emulator at {server.url}/graphql",
        {"generation": "2", "fdm_id": fdm.config.fdm_id, "public_key_pem": fdm.signer.public_pem()},
        lambda spec: fdm.faults.update(json.loads(spec)),
    )


def emulator_key_material(url: str, *, timeout: float = 2.0) -> dict[str, str]:
    """The FDM id and public key an SCE 2.0 emulator at ``url`` shows on ``/_emulator/state``; empty for
    a real FDM (it has no such page: its certificate data comes from a key file, ``--fdm-keys``)."""
    parts = urlsplit(url)
    try:
        answer = httpx.get(f"{parts.scheme}://{parts.netloc}/_emulator/state", timeout=timeout)
        state = answer.json() if answer.status_code == 200 else {}
    except (httpx.HTTPError, ValueError):
        return {}
    fdm_id, pem = state.get("fdmId"), state.get("publicKeyPem")
    if not (isinstance(fdm_id, str) and isinstance(pem, str) and "BEGIN PUBLIC KEY" in pem):
        return {}
    return {"generation": "2", "fdm_id": fdm_id, "public_key_pem": pem}


def url_v2(url: str, site: SiteConfig, terminal_id: str = "T1", *, timeout: float = 5.0) -> Connected:
    client = FdmClient(url, language=site.language.value, timeout=timeout)
    return Connected(
        FdmV2Module(client, _identity(site, terminal_id)),
        client.close,
        f"SCE 2.0 FDM at {url}",
        emulator_key_material(url),
    )


def connect(spec: str, state: Path, site: SiteConfig, terminal_id: str = "T1") -> Connected:
    """``emulator-v1``, ``emulator-v2``, ``serial:PORT`` (SCE 1.0) or an ``http(s)://`` URL (SCE 2.0)."""
    if spec in ("emulator-v1", "v1"):
        return emulator_v1(state, site)
    if spec in ("emulator-v2", "v2"):
        return emulator_v2(state, site, terminal_id)
    if spec.startswith("serial:"):
        return serial_v1(spec.removeprefix("serial:"), state, site)
    if spec.startswith(("http://", "https://")):
        return url_v2(spec, site, terminal_id)
    raise ValueError(f"fdm: {spec!r} is not emulator-v1, emulator-v2, serial:PORT or an http(s) URL")
