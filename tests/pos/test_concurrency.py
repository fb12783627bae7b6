"""Several terminals, one FDM: events serialised, numbers continuous, no lost update on a shared table."""

from __future__ import annotations

import json
import threading
from decimal import Decimal

import pytest
from sqlalchemy import text

from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType
from sce.domain.payments import PaymentMethod, Tender
from sce.journal.format import GENESIS, record_hash
from tests.pos.support import MANAGER, WAITER, WAITER2, Rig


def test_a_table_changed_on_another_terminal_gives_a_clear_conflict(rig: Rig) -> None:
    rig.pos.clock_in(WAITER, "T1")
    rig.pos.clock_in(WAITER2, "T2")
    view = rig.pos.open_order(WAITER, CostCentre(CostCentreType.TABLE, "2"))
    order_id, seen = view.order.order_id, view.version
    rig.pos.add_item(order_id, seen, WAITER, "BEER")  # terminal 1
    with pytest.raises(DomainError) as conflict:  # terminal 2 still shows the old version
        rig.pos.add_item(order_id, seen, WAITER2, "COLA")
    assert (conflict.value.field, conflict.value.rule) == ("version", "STALE_VERSION")
    assert "another terminal" in str(conflict.value)
    with pytest.raises(DomainError, match="STALE_VERSION"):
        rig.pos.send_round(order_id, seen, WAITER2, "T2")
    current = rig.pos.order(order_id)
    assert [line.product_id for line in current.order.lines] == ["BEER"]  # nothing lost, nothing doubled
    rig.pos.add_item(order_id, current.version, WAITER2, "COLA")
    assert len(rig.pos.order(order_id).order.lines) == 2


def test_terminals_in_parallel_are_serialised_on_the_fdm(rig: Rig) -> None:
    staff = (WAITER, WAITER2, MANAGER)
    for index, employee in enumerate(staff):
        rig.pos.clock_in(employee, f"T{index + 1}")
    errors: list[BaseException] = []

    def terminal(index: int) -> None:
        try:
            for _ in range(6):
                rig.pos.quick_sale(
                    staff[index],
                    f"T{index + 1}",
                    [("BEER", Decimal(1))],
                    [Tender(PaymentMethod.CASH, Money(500))],
                )
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=terminal, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with rig.store.engine.connect() as connection:
        bodies = [json.loads(r[0]) for r in connection.execute(text("SELECT body FROM journal ORDER BY seq"))]
    numbers = [b["event"]["ticket_number"] for b in bodies]
    assert numbers == list(range(1, len(numbers) + 1))
    assert sum(1 for b in bodies if b["event"]["kind"] == "SALE") == 18
    totals = [b["fdm"]["total_counter"] for b in bodies]
    assert totals == list(range(totals[0], totals[0] + len(totals)))
    prev = GENESIS
    for body in bodies:
        assert body["prev"] == prev and record_hash(body) == body["hash"]
        prev = body["hash"]
