"""``sce simulate`` drives days through the real services and emulators and prints a JSON summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("fdm", "sale_label"), [("v1", "NS"), ("v2", "N")])
def test_simulate_prints_a_summary(fdm: str, sale_label: str, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "sce", "simulate", "--db", f"sqlite:///{tmp_path / 'pos.db'}"]
    command += [
        "--fdm",
        fdm,
        "--days",
        "2",
        "--tickets-per-day",
        "6",
        "--seed",
        "7",
        "--state",
        str(tmp_path / "s"),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["z_numbers"] == [1, 2]
    assert summary["first_ticket"] == 1 and summary["last_ticket"] >= summary["events"]
    assert summary["events_per_label"][sale_label] >= 12
    assert summary["events_per_kind"]["WORK_IN"] == summary["events_per_kind"]["WORK_OUT"]
    assert set(summary["totals_per_vat"]) <= {"A", "B", "C", "D"}
    assert "day 2/2" in done.stderr  # progress on stderr


def test_simulate_refuses_an_unknown_fdm(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "sce",
        "simulate",
        "--db",
        f"sqlite:///{tmp_path / 'pos.db'}",
        "--fdm",
        "v3",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "--fdm" in done.stderr
