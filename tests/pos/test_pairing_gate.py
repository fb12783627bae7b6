"""At start-up the POS compares its FDM with the one linked to it in the e-service and refuses to sell
through any other, naming the expected and the found serial numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.payments import PaymentMethod, Tender
from sce.eservice.pairing_client import PairingUnavailableError, fetch_pairing
from sce.eservice.seed import EST_A1
from sce.web.pos.cli import check_pairing_at_start
from tests.eservice.support import SIDE_A, served, supply
from tests.pos.support import MANAGER, WAITER, Rig, pos_rig


def test_a_pos_on_another_fdm_refuses_every_event(rig: Rig) -> None:
    assert rig.pos.device is not None
    found = rig.pos.device.fdm_id
    rig.pos.check_pairing("FDM-OTHER-0001")
    with pytest.raises(DomainError) as refused:
        rig.pos.clock_in(WAITER, "T1")
    assert refused.value.rule == "NOT_PAIRED"
    assert "FDM-OTHER-0001" in str(refused.value) and found in str(refused.value)
    with pytest.raises(DomainError, match="NOT_PAIRED"):
        rig.pos.report("turnover", "X", MANAGER, "T1")
    rig.pos.check_pairing(None)
    with pytest.raises(DomainError, match="linked to no FDM"):
        rig.pos.clock_in(WAITER, "T1")
    rig.pos.check_pairing(found)  # the right FDM: selling allowed
    rig.pos.clock_in(WAITER, "T1")
    sale = rig.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], [Tender(PaymentMethod.CASH, Money(500))])
    assert sale.receipt is not None and sale.receipt.fdm_id == found


def test_the_pairing_record_comes_from_the_eservice(tmp_path: Path) -> None:
    with served(tmp_path) as url:
        pairs = supply(url, SIDE_A, {EST_A1: "2.0"})
        fdm, pos = pairs[EST_A1]
        record = fetch_pairing(url, SIDE_A.operator, "demo", pos)
        assert record is not None and (record.pos_serial, record.fdm_serial) == (pos, fdm)
        assert record.establishment == EST_A1
        assert fetch_pairing(url, SIDE_A.operator, "demo", "CXXX0000000000") is None  # linked to nothing
        with pytest.raises(PairingUnavailableError, match="login refused"):
            fetch_pairing(url, SIDE_A.operator, "wrong-password", pos)


def test_sce_serve_checks_the_pairing_at_start(tmp_path: Path) -> None:
    (tmp_path / "eservice").mkdir()
    with (
        served(tmp_path / "eservice") as url,
        pos_rig(f"sqlite:///{tmp_path / 'pos.db'}", 2, tmp_path / "s") as rig,
    ):
        shown = check_pairing_at_start(SimpleNamespace(pos=rig.pos), url, SIDE_A.operator, "demo")  # type: ignore[arg-type]
        assert "linked to no FDM" in shown and "selling refused" in shown
        with pytest.raises(DomainError, match="NOT_PAIRED"):
            rig.pos.clock_in(WAITER, "T1")
        shown = check_pairing_at_start(SimpleNamespace(pos=rig.pos), url, SIDE_A.operator, "bad")  # type: ignore[arg-type]
        assert "NOT checked" in shown
        assert rig.pos.pairing_refusal is not None and "could not be checked" in rig.pos.pairing_refusal
