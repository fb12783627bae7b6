"""The journal of the real POS services (``sce simulate``) exports and verifies clean, in both generations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sce.audit.export import export_journal
from sce.db.engine import open_engine
from sce.pos import runtime, simulate
from sce.verifier import verify_export
from tests.verifier.tampering import edit, find_seq


@pytest.mark.parametrize("generation", ["v1", "v2"])
def test_simulated_days_verify(generation: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pos.db'}"
    with runtime.open_pos(url, f"emulator-{generation}", tmp_path / "state", demo=True) as running:
        simulate.simulate_history(running.pos, days=1, tickets_per_day=10, terminals=2, seed=3)
    engine = open_engine(url)
    export_journal(engine, tmp_path / "export")
    engine.dispose()
    summary = verify_export(tmp_path / "export", jobs=1)
    assert summary.ok, [f.text() for f in summary.first]
    assert summary.z_reports == 2 and summary.signatures > 10

    def sale(record: dict[str, Any]) -> bool:
        event = record.get("event") or {}
        return record["type"] == "event" and event.get("kind") == "SALE" and bool(event.get("lines"))

    seq = find_seq(tmp_path / "export", sale, 1)

    def cheaper(record: dict[str, Any]) -> None:
        line = record["event"]["lines"][0]
        line["line_total"] = str(Decimal(line["line_total"]) - 1)
        record["event"]["total"] = str(Decimal(record["event"]["total"]) - 1)
        line["neg_reason"] = line["neg_reason"] or ""

    edit(tmp_path / "export", seq, cheaper, reseal=True)
    found = verify_export(tmp_path / "export", jobs=1).first
    assert any(f.seq == seq and f.check in ("signature", "event") for f in found)
