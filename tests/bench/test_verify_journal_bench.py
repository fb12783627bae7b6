"""The journal-verification benchmark's corpus, SCE 1.0 and SCE 2.0, passes the verifier (tiny sizes)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from sce.verifier import verify_export

BENCH = Path(__file__).resolve().parents[2] / "bench" / "verify_journal.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_verify_journal", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("generation", [1, 2])
def test_generated_corpus_passes_the_verifier_with_every_signature_checked(
    tmp_path: Path, generation: int
) -> None:
    bench = _bench()
    bench.generate(tmp_path, 300, generation)
    summary = verify_export(tmp_path, jobs=0)
    assert summary.ok, [finding.text() for finding in summary.first[:5]]
    assert summary.events == 300 and summary.z_reports > 0
    records = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    signed = [record for record in records if record["fdm"] is not None]
    assert summary.signatures == len(signed) > 0
    assert {record["fdm"]["generation"] for record in signed} == {generation}
    keys = json.loads((tmp_path / "keys.json").read_text())
    assert [entry["generation"] for entry in keys["fdms"]] == [generation]
    if generation == 2:  # SCE 2.0 signs every event, the Z reports too, over its GraphQL exchange
        assert len(signed) == len(records)
        assert all(json.loads(record["reply"])["data"]["signResult"] for record in signed)
