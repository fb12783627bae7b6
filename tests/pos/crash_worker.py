"""A POS process that takes payments until it is killed: ``python -m tests.pos.crash_worker DB STATE GEN``.

At start it finishes what a previous run left pending (Pos.start), then loops: a table with one round,
then its payment. It prints how many events were pending, ``ready`` once started and one line per paid
table. With a crash probability it also kills itself right before or right after an FDM signature.
"""

from __future__ import annotations

import os
import random
import signal
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from sce.db.engine import migrate, open_engine
from sce.db.store import PosStore
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType
from sce.domain.payments import PaymentMethod, Tender
from sce.pos import demo_data
from sce.pos.fdm_setup import EMULATOR_PIN, emulator_v1, emulator_v2
from sce.pos.service import Pos
from tests.pos.support import FAST_V1, WAITER


def _with_crashes(module: Any, probability: float, rng: random.Random) -> None:
    """Kill this process right before the FDM is asked, or right after it signed (before the journal)."""
    sign = module.sign

    def crashing_sign(event: Any, prepared: str = "") -> Any:
        if rng.random() < probability / 2:
            os.kill(os.getpid(), signal.SIGKILL)
        receipt = sign(event, prepared)
        if rng.random() < probability:
            os.kill(os.getpid(), signal.SIGKILL)
        return receipt

    module.sign = crashing_sign


def main(db_url: str, state: Path, generation: int, limit: int, crash: float) -> None:
    engine = open_engine(db_url)
    migrate(engine)
    store = PosStore(engine)
    site = demo_data.SITE
    fdm = (
        emulator_v1(state, site, settings=FAST_V1)
        if generation == 1
        else emulator_v2(state, site, timeout=2.0)
    )
    pos = Pos(store, fdm.module)
    with store.tx() as tx:
        configured = tx.item("site", "site") is not None
    if not configured:
        demo_data.seed(pos)
    print("pending", len(pos.signer.pending()), flush=True)
    info = pos.start()
    if not info.ready:
        pos.unlock(EMULATOR_PIN)
    if WAITER not in pos.clocked_in():
        pos.clock_in(WAITER, "T1")
    print("ready", flush=True)
    if crash:
        _with_crashes(fdm.module, crash, random.Random())
    for view in pos.open_orders():  # a table left open by a kill before its payment
        if view.status == "open" and view.order.lines:
            pos.pay(
                view.order.order_id,
                view.version,
                WAITER,
                "T1",
                [Tender(PaymentMethod.CARD, view.order.total)],
            )
    for number in range(limit):
        view = pos.open_order(WAITER, CostCentre(CostCentreType.TABLE, str(number % 12 + 1)))
        view = pos.add_item(view.order.order_id, view.version, WAITER, "BEER", Decimal(2))
        view = pos.add_item(view.order.order_id, view.version, WAITER, "SOUP")
        pos.send_round(view.order.order_id, view.version, WAITER, "T1")
        view = pos.order(view.order.order_id)
        sale = pos.pay(
            view.order.order_id, view.version, WAITER, "T1", [Tender(PaymentMethod.CASH, Money(2000))]
        )
        print("paid", sale.event.ticket_number, flush=True)
    fdm.close()


if __name__ == "__main__":
    main(
        sys.argv[1],
        Path(sys.argv[2]),
        int(sys.argv[3]),
        int(sys.argv[4]) if len(sys.argv) > 4 else 10**9,
        float(sys.argv[5]) if len(sys.argv) > 5 else 0.0,
    )
