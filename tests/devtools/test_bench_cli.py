"""``sce bench``: runs every script of bench/, reports each figure with its floor, records the machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sce.bench_cli import BENCH_DIR, FULL_RUN_VARIANTS, app, headlines, run_benchmarks, scripts

GOOD = """
import json, sys
print("some progress")
print(json.dumps({"benchmark": "good", "x_ms": 2.0, "headlines": [
    {"measure": "x (ms)", "figure": 2.0, "floor": 0.5, "floor_name": "nothing (ms)", "ratio": 4.0}]}))
"""


ARTEFACT = Path(__file__).resolve().parents[1] / "artefacts" / "bench" / "sce-bench-quick.json"


def test_quick_json_run_reports_a_figure_and_a_floor_for_every_benchmark() -> None:
    """The CI run of ``sce bench --quick --json``; its JSON is kept as a test artefact."""
    output = ARTEFACT
    output.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "sce", "bench", "--quick", "--json", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=180,  # the goal (under a minute) is asserted on the reported figure below
        check=False,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert json.loads(output.read_text()) == record
    assert record["quick"] is True and record["seconds"] < 60
    assert set(record["machine"]) >= {"cpu_model", "cores", "memory_mib", "python", "kernel"}
    assert record["machine"]["cores"] >= 1 and record["machine"]["python"] == sys.version.split()[0]
    assert [result["script"] for result in record["results"]] == [path.name for path in scripts(BENCH_DIR)]
    assert {"fdm1_roundtrip.py", "fdm2_sign.py", "pg_parallel.py"} <= {r["script"] for r in record["results"]}
    for result in record["results"]:
        assert "error" not in result, result
        assert result["headlines"], f"{result['benchmark']} reported no figure against a floor"
        for line in result["headlines"]:
            assert line["figure"] > 0 and line["floor"] > 0, line
            assert line["ratio"] == pytest.approx(line["figure"] / line["floor"], rel=0.05)
            assert line["measure"] and line["floor_name"]
    parallel = next(r for r in record["results"] if r["benchmark"] == "pg_parallel")
    assert parallel["chains_verified"] is True and parallel["writers"] == 8


def test_a_failing_benchmark_is_recorded_and_fails_the_command(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "broken.py").write_text("raise SystemExit('no device here')\n")
    (tmp_path / "_helper.py").write_text("raise AssertionError('not a benchmark')\n")
    output = tmp_path / "out.json"
    result = CliRunner().invoke(app, ["--quick", "--bench-dir", str(tmp_path), "--output", str(output)])
    assert result.exit_code == 1
    assert "x (ms)" in result.output and "4.0x" in result.output and "FAILED: no device here" in result.output
    record = json.loads(output.read_text())
    assert [r["benchmark"] for r in record["results"]] == ["broken", "good"]
    assert record["results"][0]["error"] == "no device here"


ECHO = """
import json, sys
print(json.dumps({"benchmark": "echo", "argv": sys.argv[1:]}))
"""


def test_variants_run_in_the_full_run_only(tmp_path: Path) -> None:
    (tmp_path / "echo.py").write_text(ECHO)
    variants = {"echo": [["--generation", "2"]]}
    quick = run_benchmarks(quick=True, bench_dir=tmp_path, progress=False, variants=variants)
    assert [r["argv"] for r in quick["results"]] == [["--json", "--quick"]]
    assert "arguments" not in quick["results"][0]
    full = run_benchmarks(quick=False, bench_dir=tmp_path, progress=False, variants=variants)
    assert [r["argv"] for r in full["results"]] == [["--json"], ["--json", "--generation", "2"]]
    assert [r.get("arguments") for r in full["results"]] == [None, ["--generation", "2"]]
    assert [r["script"] for r in full["results"]] == ["echo.py", "echo.py"]
    assert FULL_RUN_VARIANTS["verify_journal"] == [["--generation", "2"]]  # SCE 2.0, full run only


def test_headlines_of_the_scripts_that_predate_the_convention() -> None:
    lines = headlines({"benchmark": "fdm2_sign", "sign_p50_ms": 2.0, "floor_http_p50_ms": 0.5})
    assert lines == [
        {
            "measure": "FDM v2 signSale, p50 (ms)",
            "figure": 2.0,
            "floor": 0.5,
            "floor_name": "HTTP /health, p50 (ms)",
            "ratio": 4.0,
        }
    ]
    assert headlines({"benchmark": "unknown", "x": 1}) == []
