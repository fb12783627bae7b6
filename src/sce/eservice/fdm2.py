"""The SCE 2.0 chain as the e-service drives it: the FPS stand-in's first-boot data for a linked FDM,
the first boot of the emulated FDM (state directory per serial number) and its first signed event."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from sce.eservice import history, kbo
from sce.eservice.db import now
from sce.eservice.errors import ConflictError, InvalidInputError
from sce.eservice.operator import linked_pos, owned_component
from sce.eservice.tables import components, first_boots
from sce.fiscal.port import EventKind, FiscalEvent, FiscalLine, FiscalPayment
from sce.fiscal.v2.adapter import FdmV2Module, PosIdentity
from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.emulator import EmulatorApp
from sce.fiscal.v2.fdm import Fdm, FdmConfig
from sce.fiscal.v2.serving import ServerThread

BOOT_TIMEOUT_S = 15.0
TEST_EMPLOYEE = "00000000097"


def boot_data(engine: Engine, fdm_serial: str) -> dict[str, Any] | None:
    """What the FPS sends at the first boot of ``fdm_serial``; None when it is not linked (refused)."""
    with engine.connect() as conn:
        row = (
            conn.execute(select(first_boots).where(first_boots.c.fdm_serial == fdm_serial)).mappings().first()
        )
        if row is None:
            return None
        fdm = history.component(conn, fdm_serial)
        allowed = linked_pos(conn, fdm_serial)
        if not allowed:
            return None
        unit = kbo.establishment(conn, fdm["establishment"])
    return {
        "certificate": json.loads(row["certificate_json"]),
        "posAllowList": allowed,
        "footer": [unit["signboard"], unit["address"]],
        "vatNo": fdm["operator_vat"],
        "estNo": fdm["establishment"],
    }


def state_of(state_root: Path, fdm_serial: str) -> Path:
    return state_root / "fdm2" / fdm_serial


def prepare_first_boot(conn: Connection, vat: str, fdm_serial: str, actor: str) -> dict[str, Any]:
    """Issue the FDM's certificate record; the FPS stand-in hands it out at the first boot."""
    fdm = owned_component(conn, vat, fdm_serial, "fdm")
    if fdm["kind"] != "FDM" or fdm["generation"] != "2.0":
        raise InvalidInputError("fdm", "NOT_AN_SCE20_FDM", "first boot concerns an SCE 2.0 FDM")
    if fdm["status"] not in ("linked", "active") or not linked_pos(conn, fdm_serial):
        raise ConflictError(
            "fdm", "NOT_LINKED", f"validate the delivery and link {fdm_serial} to its POS first"
        )
    certificate = {
        "serialNumber": uuid.uuid4().hex,
        "subject": f"FDM {fdm_serial}",
        "vatNo": vat,
        "estNo": fdm["establishment"],
        "issuer": "FPS Finance (stand-in)",
        "issuedAt": now().isoformat() + "Z",
    }
    conn.execute(first_boots.delete().where(first_boots.c.fdm_serial == fdm_serial))
    conn.execute(
        first_boots.insert().values(
            fdm_serial=fdm_serial, certificate_json=json.dumps(certificate), booted_at=None
        )
    )
    history.record(conn, fdm_serial, "certificate_issued", actor, vat, certificate["serialNumber"])
    return certificate


def run_first_boot(
    state: Path, fdm_serial: str, fps_url: str, timeout: float = BOOT_TIMEOUT_S
) -> dict[str, Any]:
    """Start the emulated FDM against the FPS; return what it stored at its first boot."""
    fdm = Fdm(FdmConfig(state=state, fdm_id=fdm_serial, fps_url=fps_url))
    try:
        fdm.start()
        deadline = time.monotonic() + timeout
        while not fdm.uploader.first_boot_done:
            if time.monotonic() > deadline:
                raise ConflictError(
                    "fdm", "FIRST_BOOT_FAILED", f"the FPS did not answer the first boot of {fdm_serial}"
                )
            time.sleep(0.02)
        stored = fdm.store.setting("first_boot")
        return dict(stored) if isinstance(stored, dict) else {}
    finally:
        fdm.close()


def complete_first_boot(
    conn: Connection, vat: str, fdm_serial: str, boot: dict[str, Any], actor: str
) -> None:
    conn.execute(first_boots.update().where(first_boots.c.fdm_serial == fdm_serial).values(booted_at=now()))
    for serial in [fdm_serial, *linked_pos(conn, fdm_serial)]:
        conn.execute(components.update().where(components.c.serial == serial).values(status="active"))
        history.record(
            conn, serial, "first_boot", actor, vat, f"allow-list {', '.join(boot.get('posAllowList', []))}"
        )


@dataclass(frozen=True, slots=True)
class SignedEvent:
    fdm_id: str
    event_label: str
    event_counter: int
    total_counter: int
    short_signature: str
    footer: tuple[str, ...]


def test_sale(state: Path, fdm_serial: str, fps_url: str, vat: str, est: str, pos_id: str) -> SignedEvent:
    """The POS's first signed event through the emulator's GraphQL API: one coffee, paid cash."""
    fdm = Fdm(FdmConfig(state=state, fdm_id=fdm_serial, fps_url=fps_url))
    fdm.start()
    try:
        with ServerThread(EmulatorApp(fdm, AuthMode.NONE)) as server:
            client = FdmClient(f"{server.url}/graphql", language="EN")
            try:
                module = FdmV2Module(client, PosIdentity(vat, est, pos_id, "SCE 0.1.0", "ESERVICE-TEST"))
                receipt = module.sign(
                    FiscalEvent(
                        EventKind.SALE,
                        1,
                        datetime.now(UTC),
                        TEST_EMPLOYEE,
                        lines=(FiscalLine("Coffee", Decimal(1), Decimal("2.50"), "A"),),
                        payments=(FiscalPayment("CASH", Decimal("2.50"), "CASH"),),
                        booking_period_id=str(uuid.uuid4()),
                    )
                )
            finally:
                client.close()
    finally:
        fdm.close()
    return SignedEvent(
        receipt.fdm_id,
        receipt.event_label,
        receipt.event_counter,
        receipt.total_counter,
        receipt.short_signature,
        receipt.footer,
    )
