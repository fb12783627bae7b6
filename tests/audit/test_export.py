"""`sce journal export` and `sce journal verify` from the command line, keys and ranged exports."""

from __future__ import annotations

import json
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sce.audit.export as export_module
from sce.audit.export import export_journal
from sce.audit.keys import KIND, entries_from_file, record_fdm_key
from sce.cli import app
from sce.db.engine import migrate, open_engine
from sce.db.store import PosStore
from sce.verifier import verify_export

runner = CliRunner()


def test_export_then_verify_with_the_cli(pos_db: str, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = runner.invoke(app, ["journal", "export", "--db", pos_db, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["events"] > 100 and summary["z_reports"] == 8 and summary["invoices"] == 2
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {
        "events.jsonl",
        "config.jsonl",
        "keys.json",
        "journal.txt",
        "invoices.jsonl",
        "manifest.json",
    } <= names
    assert "z-reports/z-000004-user.json" in names
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == names - {"manifest.json"}
    assert manifest["site"]["pos_id"] == "BODO0011A2B3C4"
    # events.jsonl holds the stored bodies verbatim
    engine = open_engine(pos_db)
    with PosStore(engine).tx() as tx:
        first = next(tx.journal_bodies())
    assert json.loads((out / "events.jsonl").read_text().splitlines()[0]) == first
    assert "WORK_IN" in (out / "journal.txt").read_text()

    verified = runner.invoke(app, ["journal", "verify", str(out), "--json"])
    assert verified.exit_code == 0, verified.output
    last = json.loads(verified.output.strip().splitlines()[-1])
    assert last["summary"] and last["ok"] and last["findings"] == 0


def test_verify_json_names_each_finding_and_exits_1(pos_db: str, tmp_path: Path) -> None:
    out = tmp_path / "export"
    export_journal(open_engine(pos_db), out)
    lines = (out / "events.jsonl").read_text().splitlines()
    record = json.loads(lines[9])
    record["event"]["employee_id"] = "00000000097"
    lines[9] = json.dumps(record)
    (out / "events.jsonl").write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["journal", "verify", str(out), "--json"])
    assert result.exit_code == 1
    objects = [json.loads(line) for line in result.output.strip().splitlines()]
    findings = [o for o in objects if o.get("finding")]
    assert objects[-1]["summary"] and objects[-1]["findings"] == len(findings)
    assert {"check", "file", "seq", "field", "expected", "actual"} <= set(findings[0])
    assert any(f["seq"] == 10 and f["check"] == "hash" for f in findings)
    plain = runner.invoke(app, ["journal", "verify", str(out)])
    assert plain.exit_code == 1 and "FAILED" in plain.output and "seq 10" in plain.output


def test_verify_refuses_a_directory_that_is_no_export(tmp_path: Path) -> None:
    assert runner.invoke(app, ["journal", "verify", str(tmp_path)]).exit_code == 2


def test_ranged_export_verifies_on_its_own(pos_db: str, tmp_path: Path) -> None:
    out = tmp_path / "range"
    result = export_journal(open_engine(pos_db), out, start=None, end=None)
    all_events = result.events
    ranged = export_journal(
        open_engine(pos_db), tmp_path / "r2", start=date(2026, 3, 2), end=date(2026, 3, 3)
    )
    assert 0 < ranged.events < all_events and ranged.z_reports == 4
    manifest = json.loads((tmp_path / "r2" / "manifest.json").read_text())
    assert manifest["range"] == {"from": "2026-03-02", "to": "2026-03-03"}
    assert manifest["events"]["first_prev"] != "0" * 64
    summary = verify_export(tmp_path / "r2", jobs=1)
    assert summary.ok, [f.text() for f in summary.first]


def test_record_fdm_key_and_keys_file(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'k.db'}")
    migrate(engine)
    record_fdm_key(engine, "RET02000999", 1, vsc_id="0000000001-001", key_hex="AB" * 20)
    record_fdm_key(engine, "RET02000999", 1, vsc_id="0000000001-001", key_hex="cd" * 20)  # replaced
    with PosStore(engine).tx() as tx:
        record_fdm_key(
            tx, "FOD01000002", 2, public_key_pem="-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----\n"
        )
        items = tx.items(KIND)
    assert items["RET02000999"] == {"generation": 1, "vsc_id": "0000000001-001", "key_hex": "cd" * 20}
    assert items["FOD01000002"]["generation"] == 2
    card_export = tmp_path / "cards.json"
    card_export.write_text(
        json.dumps(
            {
                "format": "sce-fdm1-card-keys/1",
                "cards": [
                    {
                        "vsc_id": "0000000002-001",
                        "fdm_id": "RET02000777",
                        "algorithm": "HMAC-SHA1",
                        "key_hex": "ee" * 20,
                    }
                ],
            }
        )
    )
    assert entries_from_file(card_export) == [
        {"fdm_id": "RET02000777", "generation": 1, "vsc_id": "0000000002-001", "key_hex": "ee" * 20}
    ]
    out = tmp_path / "export"
    export_journal(engine, out, keys_file=card_export)
    keys = json.loads((out / "keys.json").read_text())
    assert [k["fdm_id"] for k in keys["fdms"]] == ["FOD01000002", "RET02000777", "RET02000999"]


def test_export_memory_does_not_grow_with_the_journal(
    pos_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # streaming: with batches smaller than a day, four days peak no higher than one
    monkeypatch.setattr(export_module, "BATCH", 20)
    engine = open_engine(pos_db)
    peaks = []
    for name, end in (("one", date(2026, 3, 1)), ("all", None)):
        tracemalloc.start()
        export_journal(engine, tmp_path / name, start=date(2026, 3, 1), end=end)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    sizes = [(tmp_path / n / "events.jsonl").stat().st_size for n in ("one", "all")]
    assert sizes[1] > 3 * sizes[0]
    assert peaks[1] < peaks[0] * 1.5, (peaks, sizes)
