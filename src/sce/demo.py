"""``sce demo``: an SCE 1.0 FDM emulator on a pseudo-terminal and a short till session through the port.

It shows what a POS does at start-up (status + identification, PIN on request), a clock-in ticket and a
paid sale with the control data a VAT ticket prints, then keeps the emulator serving so any POS
software or ``sce fdm1`` command can connect to the printed device path.
"""

from __future__ import annotations

import tempfile
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sce.fiscal.errors import PinRequiredError
from sce.fiscal.port import EventKind, FiscalEvent, FiscalLine, FiscalReceipt
from sce.fiscal.v1.adapter import WORK_LINES, FdmV1Module, V1Settings
from sce.fiscal.v1.driver import FdmV1Driver, SequenceStore, open_port
from sce.fiscal.v1.emulator import BRUSSELS, FdmEmulator
from sce.fiscal.v1.emulator_store import DeviceIdentity, EmulatorStore
from sce.fiscal.v1.link import EmulatorLink
from sce.fiscal.v1.streams import PseudoTerminal
from sce.fiscal.v1.vsc import CardIdentity

DEMO_PIN = "12345"
DEMO_USER = "85073003328"
POS_ID = "BSCE0010000001"
MENU = (
    FiscalLine("Dagsoep", Decimal(1), Decimal("5.50"), "B"),
    FiscalLine("Stoofvlees met frieten", Decimal(1), Decimal("21.00"), "B"),
    FiscalLine("Huiswijn (liter)", Decimal("0.5"), Decimal("18.00"), "A", uom="l"),
    FiscalLine("Spa rood", Decimal(2), Decimal("3.20"), "A"),
)


def _ticket(title: str, event: FiscalEvent, receipt: FiscalReceipt) -> list[str]:
    rows = [f"--- {title} ---", f"ticket {event.ticket_number}  {event.pos_datetime:%d/%m/%Y %H:%M:%S}"]

    def euro(cents: int) -> Decimal:
        return Decimal(cents).scaleb(-2)

    for line in event.lines:
        rows.append(f"  {line.quantity:>5} {line.name:<24} {line.total:>8} {line.vat}")
    if event.lines:
        rows.append(f"  {'TOTAL':<30} {euro(event.total_cents):>8}")
        for letter, amounts in receipt.vat.items():
            base, vat = euro(amounts.base_cents), euro(amounts.vat_cents)
            rows.append(f"  {letter}: base {base:>8}  VAT {vat:>7}")
    rows += [
        f"  PLU {receipt.plu_hash}   FDM {receipt.fdm_id}   VSC {receipt.vsc_id}",
        f"  FDM time {receipt.fdm_datetime:%d/%m/%Y %H:%M:%S}   counters {receipt.printed_counters}",
        f"  signature {receipt.signature}",
    ]
    return rows


def run_demo(
    state: Path | None = None, *, serve: bool = True, stop: threading.Event | None = None
) -> list[str]:
    """Run the session, print it, and (with ``serve``) keep the emulator on its pty until ``stop``."""
    state = state or Path(tempfile.mkdtemp(prefix="sce-demo-"))
    store = EmulatorStore.open_or_create(
        state / "fdm1",
        lambda: DeviceIdentity(
            "RET02000123", "SCE-EMU 1.0", "1", 1_000_000, CardIdentity.generate(pin=DEMO_PIN)
        ),
    )
    terminal = PseudoTerminal()
    stop = stop or threading.Event()
    link = EmulatorLink(FdmEmulator(store), terminal)
    thread = threading.Thread(target=link.serve_forever, args=(stop,), daemon=True)
    thread.start()
    out: list[str] = [f"FDM v1 emulator listening on {terminal.path}"]
    print(out[0], flush=True)
    driver = FdmV1Driver(open_port(terminal.path), sequences=SequenceStore(state / "pos.seq"))
    fdm = FdmV1Module(driver, V1Settings(POS_ID))
    info = fdm.start()
    out.append(f"start-up: FDM {info.fdm_id} firmware {info.firmware!r}, VSC {info.vsc_id}: {info.condition}")
    if not info.ready:
        out.append(f"the FDM asks for the VSC PIN; the till sends it ({DEMO_PIN})")
        fdm.unlock(DEMO_PIN)
    now = datetime.now(BRUSSELS).replace(microsecond=0)
    number = store.recovered.signed + 1
    try:
        work_in = FiscalEvent(EventKind.WORK_IN, number, now, DEMO_USER)
        shown = FiscalEvent(EventKind.WORK_IN, number, now, DEMO_USER, (WORK_LINES[EventKind.WORK_IN],))
        out += _ticket("WORK IN", shown, fdm.sign(work_in))
        sale = FiscalEvent(EventKind.SALE, number + 1, now, DEMO_USER, MENU)
        out += _ticket("VAT TICKET", sale, fdm.sign(sale))
    except PinRequiredError:
        out.append("the VSC is locked: enter its PIN with `sce fdm1 pin`")
    out += [
        "",
        f"The emulator keeps serving on {terminal.path} (19 200 baud 8N1 semantics, no pacing).",
        f"Try: sce fdm1 status {terminal.path}    sce fdm1 identify {terminal.path}",
        f"Faults: sce fdm1 fault --state {state / 'fdm1'} drop-reply@H   (see docs/fdm-v1.md)",
        "Stop with Ctrl+C.",
    ]
    for row in out[1:]:
        print(row, flush=True)
    driver.close()
    if serve:
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            stop.set()
    stop.set()
    thread.join(timeout=5)
    store.close()
    return out
